#include "exporter.h"

#include <ctime>

#include "mailmap.h"

namespace roster {

namespace {

std::vector<ExportFile> writeSei(const Directory& d, const ExportOptions& o, const std::string& stem) {
    return {ExportFile{"user_" + stem + ".csv", exportSei(d, o)}};
}

std::vector<ExportFile> writeGitMailmap(const Directory& d, const ExportOptions&, const std::string&) {
    return {ExportFile{".mailmap", writeMailmap(d)}};
}

}  // namespace

std::string exportDateStem() {
    std::time_t now = std::time(nullptr);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
    return date;
}

const std::vector<ExportFormat>& exportFormats() {
    static const std::vector<ExportFormat> formats = {
        {"sei", "Harness SEI user CSV", "Full_Name, Email, attributes, one column per integration.", writeSei},
        {"mailmap", "git .mailmap", "Each person's other addresses (aliases, email-like source-code accounts) mapped to their name and email.", writeGitMailmap},
    };
    return formats;
}

const ExportFormat* findExportFormat(std::string_view id) {
    for (const ExportFormat& f : exportFormats())
        if (id == f.id) return &f;
    return nullptr;
}

bool parseExportOptions(const nlohmann::json& opts, const ExportFormat*& format, ExportOptions& o, nlohmann::json& error) {
    format = findExportFormat("sei");
    if (!opts.is_object()) return true;
    const std::string id = opts.contains("format") && opts["format"].is_string() ? opts["format"].get<std::string>() : "sei";
    format = findExportFormat(id);
    if (!format) {
        std::string known;
        for (const ExportFormat& f : exportFormats()) known += std::string(known.empty() ? "" : ", ") + "\"" + f.id + "\"";
        error = {{"ok", false}, {"error", {{"code", "INVALID_ARGUMENT"}, {"message", "Unknown export format \"" + id + "\" (only " + known + ")"}}}};
        return false;
    }
    o.bom = opts.value("bom", false);
    o.formulaGuard = opts.value("formulaGuard", true);
    return true;
}

}  // namespace roster
