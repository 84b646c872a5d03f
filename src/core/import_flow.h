#pragma once
// The one import flow: a file's bytes are read and checked into a plan, a version of the directory
// is kept when the import will change it, and the plan is applied as one undo step, at once or as a
// job spread over frames. window.roster (the bridge), a file dropped, picked or pasted in the page,
// and the import dialog all go through it; none of them decides anything about imports:
//   - what runs as a job (kJobBytes, kJobRows),
//   - when a version is kept before an import, and under which label (keepVersionBefore),
//   - when a previewed plan must be checked again (the directory moved past it),
//   - the import waiting for the person to confirm it (the pending import).
#include <functional>
#include <memory>
#include <string>

#include "import_job.h"
#include "session.h"

namespace roster {

class ImportFlow {
public:
    explicit ImportFlow(Session& s) : s_(s) {}
    // Keeps a version of the directory under a label (the platform's versions); false when it did not.
    using KeepVersion = std::function<bool(const std::string& label)>;
    void setKeepVersion(KeepVersion keep) { keep_ = std::move(keep); }

    // Work started in the page runs as a job (progress bar, Cancel) from these sizes on: reading a
    // file opened in the page, and checking or applying a plan of this many rows or people.
    static constexpr size_t kJobBytes = 4u << 20;
    static constexpr uint32_t kJobRows = 20000;

    // ---- the version kept before an import: the one rule
    // A version is kept before an import that changes something, into a directory that is not
    // empty, in the tab that edits. `source` names the file ("" when unnamed: an API call).
    bool keepVersionBefore(const ImportPlan& plan, const std::string& source);
    static std::string versionLabel(const std::string& source);

    // ---- at once: window.roster.applyImport, the sample
    json apply(ImportBytes bytes, const json& opts, const std::string& source = "");

    // ---- the pending import: a file opened in the page waits for the person to confirm it
    const ImportPlan* pending() const { return pending_.get(); }
    const std::string& pendingName() const { return name_; }
    ImportMode pendingMode() const { return mode_; }
    json pendingJson() const;                               // the plan with fileName, or null
    bool opensAsJob(size_t bytes) const { return bytes >= kJobBytes; }
    // Plans the file now and keeps it pending (the answer: the plan with fileName).
    json open(std::string name, std::string bytes, ImportMode mode = ImportMode::Update);
    // Keeps a large file pending without a plan yet: checkJob reads it.
    void stage(std::string name, std::string bytes);
    // Changing the mode of the previewed file: at once, or (rechecksAsJob) as checkJob(mode).
    bool rechecksAsJob() const { return pending_ && pending_->rows >= kJobRows; }
    json recheck(ImportMode mode);   // keeps the options (columns, skipInvalidRows) of the pending plan
    // The pending file read again with other options: a column mapping changed in the preview's
    // mapping step, or "Skip the N rows with errors" (skipInvalidRows). At once; for a large file
    // set the options with setPendingOptions and run checkJob.
    json recheck(const ImportOptions& opts);
    void setPendingOptions(const ImportOptions& opts) { opts_ = opts; mode_ = opts.mode; }
    const ImportOptions& pendingOptions() const { return opts_; }
    // A job that reads and checks the pending file in `mode`; takeChecked(job, mode) makes its plan
    // the pending one when it ended with one (false: cancelled or unreadable, nothing taken).
    std::shared_ptr<ImportJob> checkJob(ImportMode mode, const std::string& title);
    bool takeChecked(ImportJob& job, ImportMode mode);
    // Confirming: a large plan is applied as a job (applyJob); a plan the directory has moved past
    // is checked again first (checkJob, then applyJob).
    bool appliesAsJob() const;
    bool stale() const { return pending_ && pending_->directoryRevision != s_.dir.revision(); }
    std::shared_ptr<ImportJob> applyJob();                  // keeps the version first
    json finishApply(ImportJob& job);                       // the applied plan's JSON (pending cleared), or null
    json confirm();                                         // at once: check again if stale, keep a version, apply
    json cancel();

private:
    std::string undoLabel() const { return "Import " + name_; }
    Session& s_;
    KeepVersion keep_;
    std::shared_ptr<ImportPlan> pending_;
    std::string name_;
    // The file's bytes as opened (a re-check in the other mode reads them again): a string, so that
    // the page's input buffer is taken over instead of copied.
    std::string bytes_;
    ImportMode mode_ = ImportMode::Update;
    ImportOptions opts_;   // of the pending plan (opts_.mode == mode_)
};

}  // namespace roster
