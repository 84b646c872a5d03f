#pragma once
// The Harness SEI user CSV, both ways.
//
// Import: planImport() reads a parsed table against the directory and decides everything (which
// rows fold into which person, what changes, every error and warning with its line) without
// changing anything; ImportCmd applies a plan as one command (one undo step), all or nothing.
// Export: exportSei() writes SEI's own layout (Full_Name, Email, attributes, Integration: <Name>),
// one row per k-th account, unassigned accounts as blank-email rows, formulas guarded.
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "csv.h"
#include "diag.h"
#include "model.h"

namespace roster {

enum class ImportMode { Update, Replace };

struct ImportCounts { uint32_t added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0; };

struct FieldChange { std::string field, oldValue, newValue; };
struct PersonChange {
    uint32_t slot = kNone;         // existing person (kNone for an added one)
    std::string name, email;
    std::vector<FieldChange> fields;
};

struct NewAttr { std::string key, header; AttrType type; };
struct NewInteg { std::string name; IntegKind kind; };

// Everything decided about an import. Opaque parts (the actions) are used by ImportCmd.
struct ImportPlan {
    bool ok() const { return errors.empty(); }
    ImportMode mode = ImportMode::Update;
    ImportCounts counts;
    std::vector<Diag> errors, warnings;
    std::vector<NewAttr> newAttrs;
    std::vector<NewInteg> newIntegs;
    std::vector<PersonChange> changes;     // updated people with their changed fields (capped)
    std::vector<PersonChange> added;       // (capped)
    std::vector<PersonChange> removed;     // (capped)
    CsvDialect dialect;
    uint32_t rows = 0;                     // data rows read
    uint64_t directoryRevision = 0;        // the plan is valid for this revision only
    struct Actions;
    std::shared_ptr<Actions> actions;      // filled when ok()
};

// Detail lists in a plan are capped (counts are always complete).
constexpr size_t kPlanDetailCap = 2000;

ImportPlan planImport(const Directory& d, std::string_view bytes, ImportMode mode, const CsvOptions& csv = {});
ImportPlan planImportTable(const Directory& d, CsvResult&& parsed, ImportMode mode);

class ImportCmd : public Command {
public:
    explicit ImportCmd(std::shared_ptr<const ImportPlan> plan, std::string label = "") : plan_(std::move(plan)), label_(std::move(label)) {}
    std::string label() const override { return label_.empty() ? "Import CSV" : label_; }
    CmdResult apply(Tx& tx) override;
private:
    std::shared_ptr<const ImportPlan> plan_;
    std::string label_;
};

struct ExportOptions {
    bool bom = false;          // UTF-8 BOM for Excel
    bool formulaGuard = true;  // prefix ' to cells a spreadsheet would run as a formula
};
std::string exportSei(const Directory& d, const ExportOptions& o = {});
std::string attrExportHeader(const Directory& d, uint32_t attr);   // imported header, else Key_capitalised

}  // namespace roster
