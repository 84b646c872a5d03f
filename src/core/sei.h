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
#include <unordered_map>
#include <utility>
#include <vector>

#include "commands.h"
#include "csv.h"
#include "diag.h"
#include "hashindex.h"
#include "model.h"

namespace roster {

enum class ImportMode { Update, Replace };

struct ImportCounts { uint32_t added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0, rowsSkipped = 0; };

// How a file's columns are read (window.roster's import options {mode, columns?, skipInvalidRows?}).
// A column's target: "name", "email", "firstName", "lastName", "ignore", "attribute:<key>" or
// "integration:<Name>". Columns not given are taken from the mapping remembered for the file's
// header, else proposed (proposeColumns).
struct ImportOptions {
    ImportMode mode = ImportMode::Update;
    std::vector<std::pair<std::string, std::string>> columns;   // header -> target, as given
    bool skipInvalidRows = false;   // rows with row errors are left out (ROW_SKIPPED warnings)
};
// True when `target` is one of the forms above (the bridge refuses others with INVALID_ARGUMENT).
bool validColumnTarget(std::string_view target);

// One column of the file as the plan reads it (the mapping step of the preview).
struct PlanColumn {
    std::string header;            // as written (trimmed)
    std::string target;            // see ImportOptions
    std::string source;            // "given", "remembered", "proposed" ("empty": a blank column ignored)
    std::vector<std::string> samples;   // up to 3 distinct non-blank values
    uint32_t values = 0;           // non-blank cells
    AttrType type = AttrType::Text;     // of an attribute target
    bool newAttribute = false;     // an attribute target that does not exist yet
};

struct FieldChange { std::string field, oldValue, newValue; };
struct PersonChange {
    uint32_t slot = kNone;         // existing person (kNone for an added one)
    std::string name, email;
    std::vector<FieldChange> fields;
};

struct NewAttr { std::string key, header; AttrType type; };
struct NewInteg { std::string name; IntegKind kind; };

// What an import of another tool's files brings besides rows (foreign.h): applied last, in the same
// undo step.
struct ImportExtras {
    std::string format, label;            // "mailmap", "git .mailmap"
    struct Alias { std::string email, alias; };   // `alias` for the person whose email (or alias) is `email`
    std::vector<Alias> aliases;
    // An org unit filtering `attr` hasItem `item`, under `parent` ("" = the top); parents come first.
    struct Unit { std::string name, parent, attr, item; };
    std::vector<Unit> units;
    std::vector<std::string> hints;       // suggestion hint records (suggest.h mergeHint / assignHint)
    // Of the above, what the directory does not hold yet (the plan's counts).
    uint32_t newAliases = 0, newUnits = 0, newHints = 0;
};

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
    std::vector<PlanColumn> columns;       // every column of the header, with its target
    std::string mappingSource;             // "given" (some given), "remembered", "proposed"
    std::string headerSignature;           // the folded header, by which mappings are remembered
    std::string rememberMapping;           // the record to remember when applied (columns were given), or ""
    bool rowErrorsOnly = false;            // every error is a row error (skipInvalidRows would import the rest)
    uint32_t rowsInError = 0;              // rows with row errors (when rowErrorsOnly)
    std::string skippedCsv;                // the skipped rows (header + cells + Error), or "" when none
    uint64_t directoryRevision = 0;        // the plan is valid for this revision only
    struct Actions;
    std::shared_ptr<Actions> actions;      // filled when ok()
    std::shared_ptr<const ImportExtras> extras;   // another tool's files (foreign.h), else null
    // Whether applying changes anything (people, accounts, or the extras).
    bool changesSomething() const;
};

// Detail lists in a plan are capped (counts are always complete).
constexpr size_t kPlanDetailCap = 2000;

ImportPlan planImport(const Directory& d, std::string_view bytes, ImportMode mode, const CsvOptions& csv = {});
ImportPlan planImport(const Directory& d, std::string_view bytes, const ImportOptions& o, const CsvOptions& csv = {});
ImportPlan planImportTable(const Directory& d, CsvResult&& parsed, ImportMode mode);
ImportPlan planImportTable(const Directory& d, CsvResult&& parsed, const ImportOptions& o);
// The mapping remembered for a folded header signature ("" when none): "<header>\x1f<target>"
// pairs joined by \x1e.
std::string rememberedMapping(const Directory& d, std::string_view signature);

// An account named by the file (texts are offsets into the parsed table's text).
struct ImportAccount {
    uint32_t person;               // index into the plan's people, or kNone (a blank-email row)
    uint32_t integCol;
    uint32_t line;
    uint32_t accOff, accLen, dispOff, dispLen;
};

// planImportTable in resumable steps, so a long import can run across frames (ImportJob):
// start() reads the header; readRows() folds rows into people a slice at a time; finish() matches
// accounts and decides every change. planImportTable() is the three run back to back.
class ImportPlanner {
public:
    ImportPlanner(const Directory& d, ImportMode mode) : d(d), mode(mode) { opts.mode = mode; }
    ImportPlanner(const Directory& d, const ImportOptions& o) : d(d), mode(o.mode), opts(o) {}
    bool start(CsvResult&& parsed);        // false: the plan is already final (file-level errors)
    bool readRows(size_t maxRows);         // true when every row has been read
    void finish();
    size_t rowsRead() const { return r_ > 1 ? r_ - 1 : 0; }
    size_t rowsTotal() const;
    ImportPlan take() { return std::move(plan); }

private:
    // Each diagnostic notes how many account cells had been read when it was made, so that the
    // account checks (made later, see dedupeAccounts) take their places in reading order.
    void err(const char* code, std::string msg, uint32_t line, uint32_t column = 0) {
        plan.errors.push_back(Diag{code, std::move(msg), line, column});
        errMark_.push_back(accsRead());
    }
    void warn(const char* code, std::string msg, uint32_t line) {
        plan.warnings.push_back(Diag{code, std::move(msg), line, 0});
        warnMark_.push_back(accsRead());
    }
    uint32_t accsRead() const;
    std::string integName(uint32_t integCol) const;
    std::string ownerName(uint32_t person) const;
    void dedupeAccounts();
    bool mapColumns();                     // the header's targets (false: file-level errors)
    struct Mapping;
    void readHeader(Mapping& M);
    void takeGivenTargets(Mapping& M);
    void proposeTargets(Mapping& M);
    void setColumns(Mapping& M);
    bool allRowErrors() const;
    void restartSkipping();                // a second reading that leaves the rows in error out
    std::string_view cellAt(size_t r, size_t c) const;

    const Directory& d;
    ImportMode mode;
    ImportOptions opts;
    int pass_ = 0;                         // 1: the reading that skips rows in error
    std::vector<uint8_t> skipRow_;         // by row index (pass 1)
    std::unordered_map<uint32_t, Diag> rowError_;   // row index -> its first error (pass 1)
    std::vector<Diag> errorsAtStart_, warningsAtStart_;
    size_t errMarkAtStart_ = 0, warnMarkAtStart_ = 0;
    uint32_t firstCol = kNone, lastCol = kNone;
    ImportPlan plan;
    std::shared_ptr<ImportPlan::Actions> A;
    size_t ncols = 0, nAttr = 0, nInteg = 0, r_ = 0;
    uint32_t nameCol = kNone, emailCol = kNone, headerLine = 0, skipped = 0;
    HashIndex personIdx;                                  // folded email -> person (people new to the directory)
    std::unordered_map<uint32_t, uint32_t> personBySlot;  // matched directory slot -> person
    std::vector<uint32_t> accHash_;                       // hash of each account cell read, (integration column, folded account)
    std::vector<uint32_t> errMark_, warnMark_;            // see err()
    std::unordered_map<uint64_t, std::vector<uint32_t>> conflicts;   // (person, col) -> lines
    std::string norm;
};

// Applies a plan through a Tx in resumable steps (ImportCmd runs it to the end in one go). New
// people and accounts are written as dead records and brought to life by range changes of at most
// kRangeStep records each, so a step stays short and undo is a handful of Change records.
class ImportApplier {
public:
    static constexpr uint32_t kRangeStep = 65536;
    static inline size_t adoptTextMin = 8u << 20;   // see kAdoptTextMin (tests lower or raise it)
    ImportApplier(std::shared_ptr<const ImportPlan> plan) : plan_(std::move(plan)) {}
    CmdResult begin(Tx& tx);                         // checks; integrations, attributes, removals
    bool step(Tx& tx, size_t maxUnits);              // true when done
    uint64_t done() const { return done_; }
    uint64_t total() const { return total_; }

private:
    bool sizeNext(Directory& d);
    std::shared_ptr<const ImportPlan> plan_;
    int phase_ = 0;
    size_t pos_ = 0;
    uint64_t done_ = 0, total_ = 0;
    std::vector<uint32_t> integOfCol_, attrOfCol_, slotOf_;
    uint32_t firstNewSlot_ = 0, newSlots_ = 0, firstNewIdent_ = 0;
    bool adopted_ = false;        // the plan's text was handed to the directory's pool as it is
    uint32_t textBase_ = 0;       // ... at this pool offset
};

// Texts of at least this size (ImportApplier::adoptTextMin) are adopted by the pool when applied;
// smaller ones are copied value by value (each adoption takes whole 16 MiB pages of the pool's
// 4 GiB offset space).
constexpr size_t kAdoptTextMin = 8u << 20;

class ImportCmd : public Command {
public:
    explicit ImportCmd(std::shared_ptr<const ImportPlan> plan, std::string label = "") : plan_(std::move(plan)), label_(std::move(label)) {}
    std::string label() const override { return label_.empty() ? "Import CSV" : label_; }
    CmdResult apply(Tx& tx) override;
    bool endsRedoFirst() const override { return true; }
private:
    std::shared_ptr<const ImportPlan> plan_;
    std::string label_;
};

struct ExportOptions {
    bool bom = false;          // UTF-8 BOM for Excel
    bool formulaGuard = true;  // prefix ' to cells a spreadsheet would run as a formula
    // A format's field -> the attribute key that fills it, overriding the format's default (sei2:
    // {"Team", "team_name"}; "" leaves the column blank). Formats without such fields ignore it.
    std::vector<std::pair<std::string, std::string>> fields;
};
// What a format's pre-export check finds (the receiving system would refuse it), naming the people.
struct ExportFinding {
    std::string code;              // the receiving system's own code, e.g. DUPLICATE_EMAIL
    std::string message;
    std::vector<uint32_t> slots;   // the people concerned
};
std::string exportSei(const Directory& d, const ExportOptions& o = {});
// Appends one CSV cell of a spreadsheet export: with a leading ' when `guard` and the value would
// run as a formula (needsFormulaGuard). `scratch` is reused between cells.
void appendSpreadsheetField(std::string& out, std::string_view v, bool guard, std::string& scratch);
std::string attrExportHeader(const Directory& d, uint32_t attr);   // imported header, else Key_capitalised

}  // namespace roster
