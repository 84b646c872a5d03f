#pragma once
// The one export flow: a registry of formats, each writing the directory as one or more files.
// window.roster (exportCsv, export), the Export dialog and the page's save all go through it. A new
// format is one ExportFormat added to the registry in exporter.cpp (its writer next to its reader).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model.h"
#include "sei.h"
#include "sei2.h"

namespace roster {

struct ExportFile {
    std::string name;   // a file name suggestion, e.g. "user_2026-12-03.csv"
    std::string text;
};

struct ExportFormat {
    const char* id;            // "sei": what roster.export({format}) names
    const char* label;         // what the Export dialog shows
    const char* description;   // one line under it
    // Writes the directory; `stem` names the files (a date, e.g. "2026-12-03").
    std::vector<ExportFile> (*write)(const Directory& d, const ExportOptions& o, const std::string& stem);
    // What the receiving system would refuse in what `write` writes (nullptr: no check). The files
    // are written all the same; roster.export answers the findings as `warnings`.
    std::vector<ExportFinding> (*check)(const Directory& d, const ExportOptions& o) = nullptr;
    // The fields whose attribute ExportOptions::fields may choose (nullptr: none), with their
    // default attribute keys.
    const std::vector<Sei2Field>& (*fields)() = nullptr;
    // The one file's name for a stem, as `write` names it (the dialog's Save button), e.g. "user_" + stem + ".csv".
    std::string (*fileName)(const std::string& stem) = nullptr;
};

// Every format, in the order the dialog lists them.
const std::vector<ExportFormat>& exportFormats();
const ExportFormat* findExportFormat(std::string_view id);

// Today's date as files are named after it ("2026-12-03", local time).
std::string exportDateStem();

// {format?, bom?, formulaGuard?, fields?} as window.roster passes them; false with `error` the
// answer: INVALID_ARGUMENT for an unknown format or a bad option (a field the format does not have,
// a value that is not a string), NOT_FOUND for a field's attribute the directory `d` lacks (checked
// when `d` is given; "" is allowed: a blank column).
bool parseExportOptions(const nlohmann::json& opts, const ExportFormat*& format, ExportOptions& o, nlohmann::json& error,
                        const Directory* d = nullptr);

// The format's findings as window.roster answers them: [{code, message, userIds}].
nlohmann::json exportFindingsJson(const Directory& d, const std::vector<ExportFinding>& findings);

}  // namespace roster
