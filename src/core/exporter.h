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
};

// Every format, in the order the dialog lists them.
const std::vector<ExportFormat>& exportFormats();
const ExportFormat* findExportFormat(std::string_view id);

// {format?, bom?, formulaGuard?} as window.roster passes them; false with INVALID_ARGUMENT in
// `error` for an unknown format or a bad option.
// Today's date as files are named after it ("2026-12-03", local time).
std::string exportDateStem();

bool parseExportOptions(const nlohmann::json& opts, const ExportFormat*& format, ExportOptions& o, nlohmann::json& error);

}  // namespace roster
