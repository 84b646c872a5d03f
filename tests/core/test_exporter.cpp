// The export flow (src/core/exporter.h): the registry of formats behind roster.exportCsv, roster.export
// and the Export dialog.
#include <catch2/catch.hpp>

#include "exporter.h"
#include "session.h"

using namespace roster;

TEST_CASE("exporter: every format is found by its id and writes files, unknown ones are refused", "[export]") {
    Session s;
    REQUIRE(s.applyImport("Full_Name,Email,Team_name,Integration: Github\r\nAda,ada@example.com,=Core,ada-gh\r\n", json{{"mode", "update"}})["applied"] == true);
    REQUIRE_FALSE(exportFormats().empty());
    for (const ExportFormat& f : exportFormats()) {
        INFO(f.id);
        CHECK(findExportFormat(f.id) == &f);
        json r = s.exportFiles(json{{"format", f.id}}, "2026-12-03");
        REQUIRE(r["ok"] == true);
        CHECK(r["format"] == f.id);
        REQUIRE_FALSE(r["files"].empty());
        bool named = false;   // (a format of several files names the person in one of them: DevLake's users.csv)
        for (const auto& file : r["files"]) {
            CHECK_FALSE(file["name"].get<std::string>().empty());
            named = named || file["text"].get<std::string>().find("ada@example.com") != std::string::npos;
        }
        CHECK(named);
    }
    CHECK(findExportFormat("nope") == nullptr);
    json bad = s.exportFiles(json{{"format", "nope"}}, "x");
    CHECK(bad["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(bad["error"]["message"] == "Unknown export format \"nope\" (only \"sei\", \"sei2\", \"mailmap\", \"devlake\", \"faros\", \"sortinghat\")");
    CHECK(s.exportCsv(json{{"format", "nope"}})["error"]["code"] == "INVALID_ARGUMENT");
}

TEST_CASE("exporter: the SEI format is exportSei with the options passed, under a dated name", "[export]") {
    Session s;
    REQUIRE(s.applyImport("Full_Name,Email,Team_name\r\nAda,ada@example.com,=Core\r\n", json{{"mode", "update"}})["applied"] == true);
    ExportOptions guarded, plain;
    plain.formulaGuard = false;
    plain.bom = true;
    json a = s.exportFiles(json{{"format", "sei"}}, "2026-12-03");
    REQUIRE(a["files"].size() == 1);
    CHECK(a["files"][0]["name"] == "user_2026-12-03.csv");
    CHECK(a["files"][0]["text"] == exportSei(s.dir, guarded));
    CHECK(s.exportCsv(json{{"format", "sei"}})["csv"] == exportSei(s.dir, guarded));
    CHECK(s.exportCsv(json{{"bom", true}, {"formulaGuard", false}})["csv"] == exportSei(s.dir, plain));
    CHECK(s.exportCsv(json::object())["csv"].get<std::string>().find("'=Core") != std::string::npos);
}
