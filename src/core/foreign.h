#pragma once
// Imports of other tools' files (issue 17 part 3): git's .mailmap, SortingHat's JSON, Apache
// DevLake's and Faros' files, through the one import flow (preview, column list, undo, versions,
// jobs) of the SEI CSV.
//
// How: the format's reader turns its files into a table the CSV planner reads (one row per person
// or account, each column's target given) plus what a table cannot hold (ImportExtras: aliases, org
// units, suggestion hints). planImport and ImportJob see through it (translateImport); the plan
// carries the extras and answers `format`; ImportApplier applies them last, in the same undo step.
//
// Several files arrive together as a bundle (the page's drop/picker of several files or a .zip,
// and window.roster's `{files: [{name, data}]}`): the 12 bytes "\0RSTR-FILES\n", then per file a
// u32 little-endian name length, the name (UTF-8), a u32 little-endian data length, the data.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"
#include "model.h"
#include "sei.h"

namespace roster {

inline constexpr std::string_view kBundleMagic{"\0RSTR-FILES\n", 12};
inline bool isBundle(std::string_view bytes) { return bytes.substr(0, kBundleMagic.size()) == kBundleMagic; }

struct ImportFile {
    std::string name;        // as given ("" when a single file came without one)
    std::string_view data;   // a view into the import's bytes
};
// false + err (INVALID_ARGUMENT) when the bundle is cut short.
bool decodeBundle(std::string_view bytes, std::vector<ImportFile>& out, Diag& err);
std::string encodeBundle(const std::vector<std::pair<std::string, std::string>>& files);   // (tests)

// A foreign format's files as the CSV planner reads them, plus the extras.
struct ForeignTable {
    std::string format;                       // "mailmap", "sortinghat", "devlake", "faros"
    std::string label;                        // in words: "git .mailmap", "SortingHat JSON", ...
    std::vector<std::string> files;           // the names of the files read, in the order given
    std::vector<std::string> targets;         // each column's target: "email", "name", "attribute:teams", "integration:GitHub"
    std::vector<std::vector<std::string>> rows;
    // Per row: where it comes from (file index into `files`, 1-based line; 0 = not one line).
    struct Source { uint32_t file = 0, line = 0; };
    std::vector<Source> source;
    ImportExtras extras;
    // The kind of a new integration when the format says it (Faros' vcsId_ = scm...); others are
    // guessed from the name as in a CSV.
    std::vector<std::pair<std::string, IntegKind>> integrationKinds;
    // The reader's own findings; `line` is the line in file `file` (see Source).
    static constexpr uint32_t kNoFile = ~0u;   // a finding about the files together
    struct Finding { Diag diag; uint32_t file = kNoFile; };
    std::vector<Finding> errors, warnings;

    // Helpers for readers.
    size_t column(const std::string& target);     // the column of a target, added when new
    std::vector<std::string>& addRow(uint32_t file, uint32_t line);   // a blank row of every column so far
    void error(const char* code, std::string message, uint32_t file = kNoFile, uint32_t line = 0) { errors.push_back({Diag{code, std::move(message), line, 0}, file}); }
    void warning(const char* code, std::string message, uint32_t file = kNoFile, uint32_t line = 0) { warnings.push_back({Diag{code, std::move(message), line, 0}, file}); }
};

// The files' format when Roster reads it as another tool's, and the table (true); false when the
// bytes are a CSV of people for the SEI mapping (they are read as ever). A bundle of files nobody
// recognises is a table with an UNKNOWN_FORMAT error.
// A bundle of one file nobody else reads is a CSV of people: false, with `plain` set to its data.
bool translateImport(const Directory& d, std::string_view bytes, ForeignTable& out, std::string_view* plain = nullptr);
// The bytes the CSV reader reads for an import (planImport and ImportJob alike): another tool's files
// as their table's CSV (`foreign` set, `opts` given the table's columns), a bundle of one CSV of
// people as that file (a view when the bytes were borrowed), else the bytes as they came.
ImportBytes importBytesFor(const Directory& d, ImportBytes&& bytes, ImportOptions& opts, std::shared_ptr<ForeignTable>& foreign);
// The table as CSV text (header = the targets) and the options that map it (columns given).
std::string foreignCsv(const ForeignTable& t, ImportOptions& opts);
// After the planner: lines and file names of its diagnostics point into the original files, the
// reader's findings join them, the extras and the format are attached.
void finishForeignPlan(ImportPlan& plan, const ForeignTable& t, const Directory& d);

// ---- the readers, each with its format (true: the files are this format's, `out` filled)
bool readMailmapImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out);
bool readSortingHatImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out);
bool readDevlakeImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out);
bool readFarosImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out);

// Applied by ImportApplier once people and accounts are in (same Tx): aliases to the people whose
// email they name (when the address is nobody's yet), org units not yet there (filter: attr hasItem
// item; parents first), suggestion hints not yet recorded.
void applyImportExtras(Tx& tx, const ImportExtras& x);

}  // namespace roster
