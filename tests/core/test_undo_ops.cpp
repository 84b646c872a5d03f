// Undo and redo of every command op: the contract's (shared/automation-api.md) and Roster's
// extensions (docs/automation-api.md). Each op runs on a directory that holds something of every
// kind (people, aliases, typed attributes, integrations, accounts, unassigned and excluded
// accounts, org units, bot patterns, rejected suggestions), must change the full snapshot, and
// undo must give back exactly the snapshot before it, redo exactly the one after.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "sei.h"
#include "session.h"
#include "session_test_util.h"
#include "store.h"
#include "versions.h"

using namespace roster;

namespace {

using test::ok;

// A directory with something of every kind an op can change.
void seed(Session& s) {
    auto plan = std::make_shared<ImportPlan>(planImport(s.dir,
        "Full_Name,Email,Team_name,Level,Start_date,Manager_email,Integration: Github,Integration: Jira\r\n"
        "Ada Lovelace,ada@example.com,Core,3,2020-01-02,grace@example.com,ada-gh,ADA\r\n"
        "Grace Hopper,grace@example.com,Compilers,5,2019-05-06,,grace-gh,GRACE\r\n"
        "Alan Turing,alan@example.com,Core,4,2021-03-04,grace@example.com,alan-gh,\r\n"
        "A. Turing,turing@example.org,,,,,,ATURING\r\n"
        ",,,,,,dependabot[bot],\r\n"
        ",,,,,,stray-login,\r\n",
        ImportMode::Update));
    REQUIRE(plan->ok());
    ImportCmd cmd(plan);
    REQUIRE(s.execute(cmd).ok);
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Core team"}, {"filter", {{"attribute", "team_name"}, {"op", "equals"}, {"value", "Core"}}}});
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Seniors"}, {"filter", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}}, {"parent", "Core team"}});
    ok(s, {{"op", "addBotPattern"}, {"pattern", "*-ci"}});
    ok(s, {{"op", "setIdentityExcluded"}, {"integration", "Github"}, {"accountId", "dependabot[bot]"}, {"excluded", true}});
    ok(s, {{"op", "rejectSuggestion"}, {"ids", {"u3", "u4"}}});
    ok(s, {{"op", "mergeUsers"}, {"into", "u1"}, {"from", {"u4"}}, {"values", {{"name", "Ada Lovelace"}}}});
    s.history.clear();
}

// The ops that Session::command knows, each as a command that changes the seeded directory.
// restoreVersion goes through the platform (App::restoreVersion builds a RestoreVersionCmd): it is
// covered below with that command.
std::map<std::string, json> opCases() {
    return {
        {"addUser", {{"op", "addUser"}, {"name", "Edsger"}, {"email", "edsger@example.com"}}},
        {"updateUser", {{"op", "updateUser"}, {"id", "u2"}, {"name", "Rear Admiral Hopper"}, {"email", "g.hopper@example.com"}}},
        {"removeUsers", {{"op", "removeUsers"}, {"ids", {"u1", "u3"}}}},
        {"addAttribute", {{"op", "addAttribute"}, {"key", "Site"}, {"label", "Site"}, {"type", "text"}}},
        {"updateAttribute", {{"op", "updateAttribute"}, {"key", "level"}, {"label", "Grade"}, {"type", "text"}}},
        {"deleteAttribute", {{"op", "deleteAttribute"}, {"key", "start_date"}}},
        {"setAttribute", {{"op", "setAttribute"}, {"ids", {"u1", "u2", "u3"}}, {"key", "team_name"}, {"value", "Platform"}}},
        {"addIntegration", {{"op", "addIntegration"}, {"name", "PagerDuty"}}},
        {"updateIntegration", {{"op", "updateIntegration"}, {"name", "Jira"}, {"kind", "other"}}},
        {"addIdentity", {{"op", "addIdentity"}, {"id", "u2"}, {"integration", "Github"}, {"accountId", "grace-2"}, {"name", "Grace (2)"}}},
        {"assignIdentity", {{"op", "assignIdentity"}, {"id", "u3"}, {"integration", "Github"}, {"accountId", "stray-login"}}},
        {"moveIdentity", {{"op", "moveIdentity"}, {"integration", "Jira"}, {"accountId", "ADA"}, {"to", "u2"}}},
        {"unassignIdentity", {{"op", "unassignIdentity"}, {"integration", "Github"}, {"accountId", "alan-gh"}}},
        {"splitIdentity", {{"op", "splitIdentity"}, {"id", "u1"}, {"integration", "Jira"}, {"accountId", "ATURING"}}},
        {"mergeUsers", {{"op", "mergeUsers"}, {"into", "u2"}, {"from", {"u3"}},
                        {"values", {{"team_name", "Compilers"}, {"level", "5"}, {"start_date", "2019-05-06"}, {"manager_email", "grace@example.com"}, {"name", "Grace Hopper"}}}}},
        {"rejectSuggestion", {{"op", "rejectSuggestion"}, {"ids", {"u3"}}, {"identity", {{"integration", "Github"}, {"accountId", "stray-login"}}}}},
        {"setIdentityExcluded", {{"op", "setIdentityExcluded"}, {"integration", "Github"}, {"accountId", "stray-login"}, {"excluded", true}}},
        {"addBotPattern", {{"op", "addBotPattern"}, {"pattern", "svc-*"}}},
        {"removeBotPattern", {{"op", "removeBotPattern"}, {"pattern", "*-ci"}}},
        // A new filter and a move to the top level, in one step.
        {"saveOrgUnit", {{"op", "saveOrgUnit"}, {"name", "Seniors"}, {"filter", {{"attribute", "level"}, {"op", "lt"}, {"value", "4"}}}, {"parent", nullptr}}},
        {"renameOrgUnit", {{"op", "renameOrgUnit"}, {"name", "Seniors"}, {"newName", "Senior engineers"}}},
        {"deleteOrgUnit", {{"op", "deleteOrgUnit"}, {"name", "Core team"}}},   // Seniors moves up
        {"importOrgUnits", {{"op", "importOrgUnits"}, {"orgUnits", {{{"name", "Compilers"}, {"filter", {{"attribute", "team_name"}, {"op", "equals"}, {"value", "Compilers"}}}},
                                                                    {{"name", "Everyone"}, {"filter", {{"all", json::array()}}}}}}}},
    };
}

// Every op named in the first cell of a table row of the docs' editing sections.
std::set<std::string> documentedOps(const std::string& path, const std::string& section) {
    std::ifstream in(path);
    std::set<std::string> ops;
    if (!in) return ops;
    std::string line;
    bool inSection = false;
    const std::regex name("`([a-z][A-Za-z]+)`");
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) inSection = line.find(section) != std::string::npos;
        if (!inSection || line.rfind("| `", 0) != 0) continue;
        std::string cell = line.substr(1, line.find('|', 1) - 1);
        for (std::sregex_iterator it(cell.begin(), cell.end(), name), end; it != end; ++it) ops.insert((*it)[1]);
    }
    return ops;
}

}  // namespace

TEST_CASE("every documented op has an undo case here", "[undo]") {
    const std::string root = ROSTER_SOURCE_DIR;
    std::set<std::string> ops = documentedOps(root + "/docs/automation-api.md", "Reading and editing");
    REQUIRE(ops.size() >= 20);   // the table was found and read
    std::set<std::string> contract = documentedOps(root + "/../shared/automation-api.md", "Editing");
    if (contract.empty())
        WARN("../shared/automation-api.md not found: checking the project's own docs only");
    else
        CHECK(contract.size() >= 10);
    ops.insert(contract.begin(), contract.end());
    auto cases = opCases();
    for (const std::string& op : ops) {
        INFO("op " << op);
        CHECK((cases.count(op) == 1 || op == "restoreVersion"));
    }
}

TEST_CASE("undo and redo of every op give back the exact snapshots", "[undo]") {
    for (const auto& [op, cmd] : opCases()) {
        DYNAMIC_SECTION(op) {
            Session s;
            seed(s);
            const json before = s.snapshot();
            const size_t depth = s.history.undoDepth();
            ok(s, cmd);
            const json after = s.snapshot();
            INFO(op);
            CHECK(after != before);
            CHECK(s.history.undoDepth() == depth + 1);   // one undo step
            REQUIRE(s.undo());
            CHECK(s.snapshot() == before);
            REQUIRE(s.redo());
            CHECK(s.snapshot() == after);
            REQUIRE(s.undo());
            CHECK(s.snapshot() == before);
            CHECK_FALSE(s.undo());
        }
    }
}

TEST_CASE("undo of an import and of a restored version give back the exact snapshots", "[undo]") {
    Session s;
    seed(s);
    const json before = s.snapshot();
    json r = s.applyImport(std::string_view("Full_Name,Email,Team_name,Integration: Github\r\n"
                                            "Ada Lovelace,ada@example.com,Research,ada-gh\r\n"
                                            "Katherine Johnson,kj@example.com,Orbits,kj-gh\r\n"),
                           json{{"mode", "replace"}});
    REQUIRE(r["applied"] == true);
    const json after = s.snapshot();
    CHECK(after != before);
    REQUIRE(s.undo());
    CHECK(s.snapshot() == before);
    REQUIRE(s.redo());
    CHECK(s.snapshot() == after);

    // restoreVersion: the seeded directory kept as a version, restored over the import.
    Session v;
    seed(v);
    RestoreVersionCmd restore(v.dir, "Before import");
    REQUIRE(s.execute(restore).ok);
    CHECK(s.snapshot() == v.snapshot());
    REQUIRE(s.undo());
    CHECK(s.snapshot() == after);
    REQUIRE(s.redo());
    CHECK(s.snapshot() == v.snapshot());
}

TEST_CASE("bot patterns, excluded accounts and rejected suggestions round-trip through storage", "[undo][storage]") {
    Session s;
    seed(s);
    ok(s, {{"op", "addBotPattern"}, {"pattern", "release-bot?"}});
    const json snap = s.snapshot();
    REQUIRE(snap["botPatterns"].size() == 2);
    REQUIRE(snap["rejectedSuggestions"].size() == 1);
    bool excluded = false;
    for (const auto& u : snap["unassigned"]) excluded = excluded || u.value("excluded", false);
    REQUIRE(excluded);

    char tmpl[] = "/tmp/roster-undo-XXXXXX";
    char* d = mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    const std::string dir = std::string(d) + "/store";
    Store store(dir);
    REQUIRE(store.save(s.dir).ok);
    Session loaded;
    Store reader(dir);
    REQUIRE(reader.load(loaded.dir).ok);
    CHECK(loaded.snapshot() == snap);

    // Undo of the pattern, saved again: the stored directory follows.
    REQUIRE(s.undo());
    REQUIRE(store.save(s.dir).ok);
    Session again;
    Store reader2(dir);
    REQUIRE(reader2.load(again.dir).ok);
    CHECK(again.snapshot() == s.snapshot());
    CHECK(again.snapshot()["botPatterns"].size() == 1);
}

// stats().historyBytes: what the undo and redo steps hold follows what they changed (an import
// into the empty directory is one range record; an update holds a record a changed value), and a
// redo dropped by a new edit gives its memory back.
TEST_CASE("the history's memory follows what its steps changed", "[undo][history]") {
    Session s;
    CHECK(s.history.bytes() == 0);
    auto file = [](const char* team, int changedEvery) {
        std::string csv = "Full_Name,Email,Team_name\r\n";
        for (int i = 0; i < 2000; ++i)
            csv += "P" + std::to_string(i) + ",p" + std::to_string(i) + "@example.com," + (i % changedEvery == 0 ? team : "T") + "\r\n";
        return csv;
    };
    auto import = [&](const std::string& csv) {
        auto plan = std::make_shared<ImportPlan>(planImport(s.dir, csv, ImportMode::Update));
        ImportCmd cmd(plan);
        REQUIRE(s.execute(cmd).ok);
        return plan->counts.updated;
    };
    import(file("T", 1));
    const size_t afterFirst = s.history.bytes();
    CHECK(afterFirst < 4096);                         // 2,000 people made as one range
    CHECK(import(file("U", 1)) == 2000);              // every team changed
    const size_t afterAll = s.history.bytes();
    CHECK(afterAll - afterFirst >= 2000 * sizeof(Change));
    REQUIRE(s.undo());
    CHECK(s.history.bytes() == afterAll);             // kept as the redo step
    CHECK(import(file("V", 100)) == 20);              // 1 % changed: a redo dropped, 1 % kept
    const size_t afterOnePercent = s.history.bytes();
    CHECK(afterOnePercent - afterFirst >= 20 * sizeof(Change));
    CHECK((afterOnePercent - afterFirst) * 20 < afterAll - afterFirst);
}
