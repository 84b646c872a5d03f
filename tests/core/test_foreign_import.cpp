// Issue 17 part 3, the framework under the imports of other tools' files (foreign.h): bundles of
// several files, what happens to files nobody recognises, the extras (aliases, org units, hints)
// applied in the import's undo step, and suggestion hints stored and offered. The formats' own
// readers are tested in test_mailmap_import.cpp and test_formats_import.cpp.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "foreign.h"
#include "orgunits.h"
#include "session.h"
#include "session_test_util.h"
#include "store.h"
#include "store_test_util.h"
#include "suggest.h"

using namespace roster;
using roster::test::ok;

namespace {

const json kUpdate = {{"mode", "update"}};

bool hasCode(const json& list, const std::string& code) {
    for (const auto& d : list)
        if (d.value("code", "") == code) return true;
    return false;
}

}  // namespace

TEST_CASE("foreign: a bundle of files decodes back to its files, and a cut one is refused", "[foreign]") {
    const std::string b = encodeBundle({{"users.csv", "Id,Name\r\n1,A\r\n"}, {"t\xC3\xA9" "ams.csv", std::string("x\0y", 3)}, {"", ""}});
    REQUIRE(isBundle(b));
    std::vector<ImportFile> files;
    Diag err;
    REQUIRE(decodeBundle(b, files, err));
    REQUIRE(files.size() == 3);
    CHECK(files[0].name == "users.csv");
    CHECK(files[0].data == "Id,Name\r\n1,A\r\n");
    CHECK(files[1].name == "t\xC3\xA9" "ams.csv");
    CHECK(files[1].data == std::string_view("x\0y", 3));
    CHECK(files[2].name.empty());
    CHECK(files[2].data.empty());
    CHECK_FALSE(decodeBundle(b.substr(0, b.size() - 5), files, err));
    CHECK(err.code == "INVALID_ARGUMENT");
    CHECK_FALSE(isBundle("Name,Email\n"));
}

TEST_CASE("foreign: files nobody reads together are refused with UNKNOWN_FORMAT, nothing changes", "[foreign]") {
    Session s;
    const std::string b = encodeBundle({{"a.csv", "Name,Email\nA,a@x.com\n"}, {"b.csv", "Name,Email\nB,b@x.com\n"}});
    json p = s.applyImport(b, kUpdate);
    INFO(p.dump());
    CHECK(p["ok"] == false);
    CHECK(p["applied"] == false);
    REQUIRE(hasCode(p["errors"], "UNKNOWN_FORMAT"));
    CHECK(p["errors"][0]["message"].get<std::string>().find("a.csv, b.csv") != std::string::npos);
    CHECK(s.dir.userCount() == 0);
    // A cut bundle: a clear error, not a crash.
    json cut = s.previewImport(b.substr(0, 30), kUpdate);
    CHECK(cut["ok"] == false);
    CHECK(hasCode(cut["errors"], "INVALID_ARGUMENT"));
}

TEST_CASE("foreign: a bundle of one CSV of people imports as that CSV (format sei)", "[foreign]") {
    Session s;
    const std::string csv = "Full_Name,Email,Integration: GitHub\nAda Lovelace,ada@x.com,ada\n";
    json p = s.applyImport(encodeBundle({{"people.csv", csv}}), kUpdate);
    INFO(p.dump());
    REQUIRE(p["applied"] == true);
    CHECK(p["format"] == "sei");
    CHECK(p["counts"]["added"] == 1);
    CHECK(s.dir.findEmail("ada@x.com") != kNone);
    // The same file alone answers the same format.
    Session t;
    CHECK(t.previewImport(csv, kUpdate)["format"] == "sei");
}

TEST_CASE("foreign: the extras (aliases, org units under their parents, hints) apply in one undoable step", "[foreign]") {
    Session s;
    ok(s, {{"op", "addUser"}, {"name", "Ada"}, {"email", "ada@x.com"}});
    ok(s, {{"op", "addUser"}, {"name", "Bob"}, {"email", "bob@x.com"}});
    ok(s, {{"op", "addUser"}, {"name", "Ada L"}, {"email", "ada.l@y.org"}});
    ok(s, {{"op", "addAttribute"}, {"key", "teams"}, {"type", "text"}});
    ImportExtras x;
    x.aliases = {{"ada@x.com", "ada@old.example"}, {"bob@x.com", "ada@x.com"} /* someone's already: left */, {"nobody@x.com", "n@x.com"}};
    x.units = {{"Engineering", "", "teams", "Engineering"}, {"Platform", "Engineering", "teams", "Platform"}, {"Core", "Platform", "teams", "Core"}};
    x.hints = {mergeHint("ada@x.com", "ada.l@y.org", "git .mailmap line 3 maps ada.l@y.org to ada@x.com")};
    const uint64_t before = s.history.undoDepth();
    struct Cmd : Command {
        const ImportExtras& x;
        explicit Cmd(const ImportExtras& x) : x(x) {}
        std::string label() const override { return "extras"; }
        CmdResult apply(Tx& tx) override {
            applyImportExtras(tx, x);
            return {};
        }
    } cmd(x);
    REQUIRE(s.execute(cmd).ok);
    CHECK(s.history.undoDepth() == before + 1);
    CHECK(s.dir.findEmail("ada@old.example") == s.dir.findEmail("ada@x.com"));
    CHECK(s.dir.findEmail("n@x.com") == kNone);
    json snap = s.snapshot();
    REQUIRE(snap["orgUnits"].size() == 3);
    std::map<std::string, json> parent;
    for (const auto& u : snap["orgUnits"]) parent[u["name"].get<std::string>()] = u["parent"];
    CHECK(parent["Engineering"].is_null());
    CHECK(parent["Platform"] == "Engineering");
    CHECK(parent["Core"] == "Platform");
    // The hint is offered as a merge of the two people, its reason first.
    json sug = s.suggestions();
    bool found = false;
    for (const auto& g : sug)
        if (g["kind"] == "merge" && g["reasons"][0] == "git .mailmap line 3 maps ada.l@y.org to ada@x.com") {
            found = true;
            CHECK(g["score"].get<double>() >= kHintScore);
        }
    CHECK(found);
    // One undo takes all of it back.
    REQUIRE(s.undo());
    CHECK(s.dir.findEmail("ada@old.example") == kNone);
    CHECK(s.snapshot()["orgUnits"].empty());
    found = false;
    for (const auto& g : s.suggestions())
        for (const auto& r : g["reasons"])
            if (r == "git .mailmap line 3 maps ada.l@y.org to ada@x.com") found = true;
    CHECK_FALSE(found);
    REQUIRE(s.redo());
    CHECK(s.dir.hints().size() == 1);

    SECTION("hints are stored with the directory, and a rejected one is not offered again") {
        const std::string dir = roster::testutil::tempStoreDir("roster-hints");
        Store(dir).wipe();
        REQUIRE(Store(dir).save(s.dir).ok);
        Session t;
        REQUIRE(Store(dir).load(t.dir).ok);
        REQUIRE(t.dir.hints().size() == 1);
        CHECK(t.dir.hasHint(x.hints[0]));
        json ids;
        for (const auto& g : t.suggestions())
            if (g["reasons"][0] == "git .mailmap line 3 maps ada.l@y.org to ada@x.com") ids = g["ids"];
        REQUIRE(ids.is_array());
        ok(t, {{"op", "rejectSuggestion"}, {"ids", ids}});
        for (const auto& g : t.suggestions())
            for (const auto& r : g["reasons"]) CHECK(r != "git .mailmap line 3 maps ada.l@y.org to ada@x.com");
        Store(dir).wipe();
    }
    SECTION("once the two are merged the hint offers nothing") {
        const json ids = {formatUserId(s.dir.userId(s.dir.findEmail("ada@x.com"))), formatUserId(s.dir.userId(s.dir.findEmail("ada.l@y.org")))};
        ok(s, {{"op", "mergeUsers"}, {"into", ids[0]}, {"from", json::array({ids[1]})}});
        for (const auto& g : s.suggestions())
            for (const auto& r : g["reasons"]) CHECK(r != "git .mailmap line 3 maps ada.l@y.org to ada@x.com");
    }
}

TEST_CASE("foreign: an assign hint offers an unassigned account to the person", "[foreign]") {
    Session s;
    ok(s, {{"op", "addUser"}, {"name", "n5"}, {"email", "e5@x.com"}});
    json r = s.applyImport("Full_Name,Email,Integration: DevLake\n,,a7\n", kUpdate);   // a7 unassigned
    INFO(r.dump());
    REQUIRE(r["applied"] == true);
    Directory& d = s.dir;
    Tx tx(d);
    Change c{ChangeOp::HintAlive, d.newHint(assignHint("DevLake", "a7", "E5@x.com", "DevLake: the account's full name is the user's name"))};
    c.oldV = 0;
    c.newV = 1;
    tx.rec(c);
    s.history.commit("hint", tx);
    bool found = false;
    for (const auto& g : s.suggestions())
        if (g["kind"] == "assign" && g["reasons"][0] == "DevLake: the account's full name is the user's name") {
            found = true;
            CHECK(g["ids"][0] == formatUserId(d.userId(d.findEmail("e5@x.com"))));
            CHECK(g["identity"]["accountId"] == "a7");
        }
    CHECK(found);
}

TEST_CASE("foreign: line numbers inside the planner's messages are the file's, not the table's", "[foreign]") {
    Session s;
    const std::string mm = "# a comment\n# another\nAda <ada@x.com>\n\nGreg <greg@echidna.(none)>\n";
    json p = s.previewImport(mm, kUpdate);
    INFO(p.dump());
    REQUIRE(p["format"] == "mailmap");
    bool found = false;
    for (const auto& w : p["warnings"])
        if (w["code"] == "SUSPICIOUS_EMAIL") {
            found = true;
            CHECK(w["line"] == 5);
            CHECK(w["message"].get<std::string>().find("Line 5") != std::string::npos);
            CHECK(w["message"].get<std::string>().find("Line 3") == std::string::npos);
        }
    CHECK(found);
}

TEST_CASE("foreign: a format that says an integration's kind gives it (Faros vcsId_Forgejo is source code)", "[foreign]") {
    Session s;
    const std::string emp = "employeeId,fullName,email,teamId,title,location,joinedAt,terminatedAt,inactive,vcsId_Forgejo,tmsId_Plane\r\n"
                            "u1,Ada Lovelace,ada@x.com,,,,,,,ada-fj,ada-plane\r\n";
    json p = s.applyImport(emp, kUpdate);
    INFO(p.dump());
    REQUIRE(p["applied"] == true);
    CHECK(p["format"] == "faros");
    std::map<std::string, std::string> kinds;
    for (const auto& i : p["newIntegrations"]) kinds[i["name"].get<std::string>()] = i["kind"].get<std::string>();
    CHECK(kinds["Forgejo"] == "scm");
    CHECK(kinds["Plane"] == "issues");
    // ... so that the Faros export writes them back under the same columns.
    json out = s.exportFiles(json{{"format", "faros"}}, "x");
    REQUIRE(out["ok"] == true);
    const std::string employees = out["files"][0]["text"];
    CHECK(employees.find("vcsId_Forgejo") != std::string::npos);
    CHECK(employees.find("tmsId_Plane") != std::string::npos);
}

TEST_CASE("foreign: an odd email is reported once, not once per account row", "[foreign]") {
    Session s;
    const std::string users = "Id,Name,Email,TeamIds\r\n1,Ann,e1,\r\n";
    const std::string accts = "Id,Email,FullName,UserName,AvatarUrl,Organization,CreatedDate,Status,UserId\r\n"
                              "github:GithubAccount:1:ann,,Ann,ann,,,,0,1\r\n"
                              "jira:JiraAccount:1:557058:abc,,Ann,ann,,,,0,1\r\n";
    json p = s.previewImport(encodeBundle({{"users.csv", users}, {"user_account_mapping.csv", accts}}), kUpdate);
    INFO(p.dump());
    REQUIRE(p["format"] == "devlake");
    int n = 0;
    for (const auto& w : p["warnings"]) n += w["code"] == "SUSPICIOUS_EMAIL";
    CHECK(n == 1);
}
