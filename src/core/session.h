#pragma once
// The editing session: the directory, its undo history, and the JSON door used by window.roster.
// Pure C++ (nlohmann/json for the wire format), so the automation API is tested natively.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "model.h"
#include "sei.h"

namespace roster {

using json = nlohmann::json;

// The one answer to an edit or an import while a long operation runs (code BUSY).
Diag busyError();

class Session {
public:
    Directory dir;
    History history;

    // Runs a command object through the one door (refused while another tab edits or a long
    // operation runs).
    CmdResult execute(Command& cmd) {
        if (readOnly) return fail(readOnlyError());
        if (busy) return fail(busyError());
        return history.execute(dir, cmd);
    }
    bool undo() { return !readOnly && !busy && history.undo(dir); }
    bool redo() { return !readOnly && !busy && history.redo(dir); }

    // window.roster.command(cmd): {ok:true,...} or {ok:false, error:{code,message}}. Never throws.
    json command(const json& cmd);
    // Builds the Command for a JSON op (nullptr + error when the op or its fields are bad).
    std::unique_ptr<Command> makeCommand(const json& cmd, Diag& error) const;
    json snapshot() const;
    json userJson(uint32_t slot) const;

    // ---- CSV (window.roster.parseCsv / previewImport / applyImport / exportCsv / pending imports)
    static constexpr uint64_t kMaxImportBytes = 1536ull * 1024 * 1024;
    json parseCsvJson(std::string_view bytes) const;
    json previewImport(std::string_view bytes, const json& opts, std::shared_ptr<ImportPlan>* keep = nullptr) const;
    // Reads, checks and applies a file at once (no version kept: that is ImportFlow's).
    json applyImport(ImportBytes bytes, const json& opts);
    // `preview`, when given, is planJson(*plan) already computed (a million-row plan's JSON is not free).
    json applyPlan(const std::shared_ptr<ImportPlan>& plan, const std::string& label, json* preview = nullptr);
    json exportCsv(const json& opts) const;                                  // {ok, csv}: a one-file format (exporter.h)
    json exportFiles(const json& opts, const std::string& stem) const;       // {ok, format, files: [{name, text}], warnings: [{code, message, userIds}]}
    json planJson(const ImportPlan& plan) const;
    // What every import at once checks first: a read-only tab, a job running, the mode, the size.
    bool canImport(std::string_view bytes, const json& opts, ImportMode& mode, json& error) const;
    static std::string importLabel(ImportMode mode);   // "Import CSV (update)" / "(replace)": the undo label
    // The import options {mode, columns?, skipInvalidRows?} (false + error: INVALID_ARGUMENT).
    static bool parseImportOptions(const json& opts, ImportOptions& out, json& error);
    // window.roster.exportSkippedRows(): the rows the latest applied import left out
    // (skipInvalidRows), as CSV with an Error column, or null.
    json exportSkippedRows() const { return lastSkippedCsv_.empty() ? json(nullptr) : json(lastSkippedCsv_); }
    void noteApplied(const ImportPlan& plan) { lastSkippedCsv_ = plan.skippedCsv; }

    // ---- queries (session.cpp, lint.cpp, collate.cpp)
    json query(const json& filter) const;          // {ok, ids} or {ok:false, error}
    // The same answer as JSON text, written directly (a million-user answer without a json node
    // per id).
    std::string queryText(const json& filter) const;
    json lint() const;                             // [{code, severity, message, userIds, identities?}]
    json suggestions() const;                      // [{kind, ids, identity?, score, reasons}]

    // Read-only mode (another tab holds the directory): commands answer READ_ONLY. The one record
    // of the tab's role: the platform's saver and versions read it.
    bool readOnly = false;
    std::string readOnlyReason;
    Diag readOnlyError() const { return Diag{"READ_ONLY", readOnlyReason.empty() ? "Another tab is editing this directory" : readOnlyReason, 0, 0}; }
    // A long operation is running: commands answer BUSY.
    bool busy = false;

private:
    std::string lastSkippedCsv_;
    static CmdResult fail(Diag d) {
        CmdResult r;
        r.ok = false;
        r.error = std::move(d);
        return r;
    }
};

json errorJson(const Diag& d);
json errorJson(const std::string& code, const std::string& message);

}  // namespace roster
