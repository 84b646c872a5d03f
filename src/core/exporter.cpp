#include "exporter.h"

#include <ctime>

#include "commands.h"
#include "devlake.h"
#include "faros.h"
#include "mailmap.h"
#include "sortinghat.h"
#include "text.h"

namespace roster {

namespace {

std::string seiFileName(const std::string& stem) { return "user_" + stem + ".csv"; }
std::vector<ExportFile> writeSei(const Directory& d, const ExportOptions& o, const std::string& stem) {
    return {ExportFile{seiFileName(stem), exportSei(d, o)}};
}

std::string sei2FileName(const std::string& stem) { return "developers_" + stem + ".csv"; }
std::vector<ExportFile> writeSei2(const Directory& d, const ExportOptions& o, const std::string& stem) {
    return {ExportFile{sei2FileName(stem), exportSei2(d, o)}};
}
std::vector<ExportFinding> checkSei2All(const Directory& d, const ExportOptions& o) { return checkSei2(d, o); }

nlohmann::json errorAnswer(const char* code, const std::string& message) {
    return {{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
}

std::string mailmapFileName(const std::string&) { return ".mailmap"; }
std::vector<ExportFile> writeGitMailmap(const Directory& d, const ExportOptions&, const std::string& stem) {
    return {ExportFile{mailmapFileName(stem), writeMailmap(d)}};
}

std::vector<ExportFile> writeDevlake(const Directory& d, const ExportOptions&, const std::string&) {
    return {ExportFile{"users.csv", writeDevlakeUsers(d)}, ExportFile{"teams.csv", writeDevlakeTeams(d)},
            ExportFile{"user_account_mapping.csv", writeDevlakeAccounts(d)}};
}

std::vector<ExportFile> writeFaros(const Directory& d, const ExportOptions&, const std::string&) {
    return {ExportFile{"employees.csv", writeFarosEmployees(d)}, ExportFile{"teams.csv", writeFarosTeams(d)}};
}
std::vector<ExportFinding> checkFarosAll(const Directory& d, const ExportOptions&) { return checkFaros(d); }

std::string sortingHatFileName(const std::string& stem) { return "sortinghat_" + stem + ".json"; }
std::vector<ExportFile> writeSortingHatFile(const Directory& d, const ExportOptions&, const std::string& stem) {
    return {ExportFile{sortingHatFileName(stem), writeSortingHat(d, stem + " 00:00:00").dump(2) + "\n"}};
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
        {"sei", "Harness SEI user CSV", "Full_Name, Email, attributes, one column per integration.", writeSei, nullptr, nullptr, seiFileName},
        {"sei2", "Harness SEI 2.0 developers CSV",
         "Email, Manager Email, Full Name, Role, Site, Team, Sub Role, Department: one row per person.", writeSei2, checkSei2All,
         sei2Fields, sei2FileName},
        {"mailmap", "git .mailmap", "Each person's other addresses (aliases, email-like source-code accounts) mapped to their name and email.",
         writeGitMailmap, nullptr, nullptr, mailmapFileName},
        {"devlake", "Apache DevLake org files",
         "users.csv, teams.csv (the org-unit tree) and user_account_mapping.csv for DevLake's team plugin.", writeDevlake},
        {"faros", "Faros org import files",
         "employees.csv (attributes by name, one column per integration) and teams.csv (the org-unit tree).", writeFaros,
         checkFarosAll},
        {"sortinghat", "GrimoireLab SortingHat JSON",
         "uidentities with profiles, identities per email, alias and account, enrollments in the org units.", writeSortingHatFile,
         nullptr, nullptr, sortingHatFileName},
    };
    return formats;
}

const ExportFormat* findExportFormat(std::string_view id) {
    for (const ExportFormat& f : exportFormats())
        if (id == f.id) return &f;
    return nullptr;
}

bool parseExportOptions(const nlohmann::json& opts, const ExportFormat*& format, ExportOptions& o, nlohmann::json& error,
                        const Directory* d) {
    format = findExportFormat("sei");
    if (!opts.is_object()) return true;
    const std::string id = opts.contains("format") && opts["format"].is_string() ? opts["format"].get<std::string>() : "sei";
    format = findExportFormat(id);
    if (!format) {
        std::string known;
        for (const ExportFormat& f : exportFormats()) known += std::string(known.empty() ? "" : ", ") + "\"" + f.id + "\"";
        error = errorAnswer("INVALID_ARGUMENT", "Unknown export format \"" + id + "\" (only " + known + ")");
        return false;
    }
    o.bom = opts.value("bom", false);
    o.formulaGuard = opts.value("formulaGuard", true);
    if (!opts.contains("fields") || opts["fields"].is_null()) return true;
    const nlohmann::json& fields = opts["fields"];
    if (!format->fields) {
        error = errorAnswer("INVALID_ARGUMENT", std::string("The format \"") + format->id + "\" has no fields to choose attributes for");
        return false;
    }
    if (!fields.is_object()) {
        error = errorAnswer("INVALID_ARGUMENT", "fields must be an object: {\"<field>\": \"<attribute key>\"}");
        return false;
    }
    for (const auto& [name, value] : fields.items()) {
        const Sei2Field* field = nullptr;
        for (const Sei2Field& f : format->fields())
            if (f.defaultKey && foldHeader(f.header) == foldHeader(name)) field = &f;
        if (!field) {
            std::string known;
            for (const Sei2Field& f : format->fields())
                if (f.defaultKey) known += std::string(known.empty() ? "" : ", ") + "\"" + f.header + "\"";
            error = errorAnswer("INVALID_ARGUMENT", std::string("The format \"") + format->id + "\" has no field \"" + name +
                                                        "\" whose attribute can be chosen (only " + known + ")");
            return false;
        }
        if (!value.is_string()) {
            error = errorAnswer("INVALID_ARGUMENT", std::string("fields[\"") + name + "\"] must be an attribute key (a string; \"\" for a blank column)");
            return false;
        }
        const std::string key = value.get<std::string>();
        if (d && !key.empty() && findAttrFolded(*d, key) == kNone) {
            error = errorAnswer("NOT_FOUND", "No attribute \"" + key + "\" to fill the field \"" + field->header + "\"");
            return false;
        }
        o.fields.emplace_back(field->header, key);
    }
    return true;
}

nlohmann::json exportFindingsJson(const Directory& d, const std::vector<ExportFinding>& findings) {
    nlohmann::json out = nlohmann::json::array();
    for (const ExportFinding& f : findings) {
        nlohmann::json ids = nlohmann::json::array();
        for (uint32_t s : f.slots) ids.push_back(formatUserId(d.userId(s)));
        out.push_back({{"code", f.code}, {"message", f.message}, {"userIds", std::move(ids)}});
    }
    return out;
}

}  // namespace roster
