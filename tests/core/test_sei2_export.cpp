// The SEI 2.0 export (src/core/sei2.h): the developers CSV, its field -> attribute choices, the
// pre-export findings with SEI 2.0's own codes, and the round trip of SEI 2.0's own example file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "exporter.h"
#include "sei2.h"
#include "session.h"
#include "session_test_util.h"

using namespace roster;
using roster::test::ok;

namespace {

const char* const kHeader = "Email,Manager Email,Full Name,Role,Site,Team,Sub Role,Department\r\n";

// Writes the directory straight through a Tx, as an import or an older store may leave it (also
// what commands refuse, such as two people with one email).
struct Build : Command {
    std::function<void(Tx&)> f;
    explicit Build(std::function<void(Tx&)> fn) : f(std::move(fn)) {}
    std::string label() const override { return "build"; }
    CmdResult apply(Tx& tx) override {
        f(tx);
        return {};
    }
};

std::string addUser(Session& s, const std::string& name, const std::string& email) {
    return ok(s, {{"op", "addUser"}, {"name", name}, {"email", email}})["id"].get<std::string>();
}

void set(Session& s, const std::string& id, const std::string& key, const std::string& value) {
    ok(s, {{"op", "setAttribute"}, {"ids", {id}}, {"key", key}, {"value", value}});
}

// The SEI 2.0 attributes, the manager an email relation.
void addSei2Attributes(Session& s) {
    ok(s, {{"op", "addAttribute"}, {"key", "manager_email"}, {"type", "email"}});
    for (const char* key : {"role", "site", "team", "sub_role", "department"}) ok(s, {{"op", "addAttribute"}, {"key", key}, {"type", "text"}});
}

// A small directory: Ada reports to Grace; Grace has no manager; an unassigned account.
Session smallDirectory() {
    Session s;
    addSei2Attributes(s);
    const std::string ada = addUser(s, "Ada Lovelace", "ada@example.com");
    const std::string grace = addUser(s, "Grace Hopper", "grace@example.com");
    set(s, ada, "manager_email", "grace@example.com");
    set(s, ada, "role", "SWE");
    set(s, ada, "site", "London");
    set(s, ada, "team", "Platform");
    set(s, ada, "sub_role", "Backend");
    set(s, ada, "department", "Engineering");
    set(s, grace, "role", "Manager");
    set(s, grace, "site", "New York, NY");
    set(s, grace, "team", "Platform");
    set(s, grace, "department", "Engineering");
    ok(s, {{"op", "addIntegration"}, {"name", "GitHub"}});
    Build account([](Tx& tx) { tx.createIdentity(tx.dir().findIntegration("GitHub"), "stray-login", "Stray", kNone); });
    REQUIRE(s.execute(account).ok);
    return s;
}

using Rows = std::vector<std::vector<std::string>>;

Rows rowsOf(std::string_view csv) {
    CsvResult r = parseCsv(csv);
    REQUIRE(r.ok);
    Rows out(r.table.rows());
    for (size_t i = 0; i < r.table.rows(); ++i)
        for (size_t c = 0; c < r.table.cols(i); ++c) out[i].emplace_back(r.table.cell(i, c));
    return out;
}

std::vector<std::string> codesOf(const json& warnings) {
    std::vector<std::string> codes;
    for (const json& w : warnings) codes.push_back(w["code"].get<std::string>());
    return codes;
}

}  // namespace

TEST_CASE("sei2 export: exact header and one row per person from the SEI 2.0 attributes", "[export][sei2]") {
    Session s = smallDirectory();
    const std::string expected = std::string(kHeader) +
                                 "ada@example.com,grace@example.com,Ada Lovelace,SWE,London,Platform,Backend,Engineering\r\n"
                                 "grace@example.com,,Grace Hopper,Manager,\"New York, NY\",Platform,,Engineering\r\n";
    CHECK(exportSei2(s.dir) == expected);
    CHECK(sei2Header() + "\r\n" == kHeader);

    // Through window.roster's doors: exportCsv answers the text, export the file and no findings.
    CHECK(s.exportCsv(json{{"format", "sei2"}})["csv"] == expected);
    json r = s.exportFiles(json{{"format", "sei2"}}, "2026-12-03");
    REQUIRE(r["ok"] == true);
    CHECK(r["format"] == "sei2");
    REQUIRE(r["files"].size() == 1);
    CHECK(r["files"][0]["name"] == "developers_2026-12-03.csv");
    CHECK(r["files"][0]["text"] == expected);
    CHECK(r["warnings"] == json::array());
    // The sei format answers warnings too (it has no check: always empty).
    CHECK(s.exportFiles(json{{"format", "sei"}}, "x")["warnings"] == json::array());

    // No SEI 2.0 attributes at all: the columns are blank, the people still written.
    Session bare;
    addUser(bare, "Ada Lovelace", "ada@example.com");
    CHECK(exportSei2(bare.dir) == std::string(kHeader) + "ada@example.com,,Ada Lovelace,,,,,\r\n");
    // An empty directory: the header alone.
    CHECK(exportSei2(Session().dir) == kHeader);
}

TEST_CASE("sei2 export: attributes stored under other spellings of the SEI 2.0 keys fill their fields", "[export][sei2]") {
    // As imported before keys were normalised: "Manager Email" -> "manager email", "Sub Role" -> "sub role".
    Session s;
    Build attrs([](Tx& tx) {
        Directory& d = tx.dir();
        const uint32_t mgr = tx.createAttr("manager email", "Manager Email", "Manager Email", AttrType::Text);
        const uint32_t sub = tx.createAttr("Sub-Role", "Sub Role", "Sub Role", AttrType::Text);
        const uint32_t ada = tx.createUser("Ada", "ada@example.com");
        tx.setAttr(mgr, ada, "boss@example.com");
        tx.setAttr(sub, ada, "Backend");
        (void)d;
    });
    REQUIRE(s.execute(attrs).ok);
    CHECK(findAttrFolded(s.dir, "manager_email") == s.dir.findAttr("manager email"));
    CHECK(findAttrFolded(s.dir, "sub_role") == s.dir.findAttr("sub-role"));
    CHECK(findAttrFolded(s.dir, "team") == kNone);
    CHECK(exportSei2(s.dir) == std::string(kHeader) + "ada@example.com,boss@example.com,Ada,,,,Backend,\r\n");
}

TEST_CASE("sei2 export: another attribute can fill a field, and bad choices are refused", "[export][sei2]") {
    Session s = smallDirectory();
    ok(s, {{"op", "addAttribute"}, {"key", "team_name"}, {"type", "text"}});
    ok(s, {{"op", "addAttribute"}, {"key", "boss"}, {"type", "email"}});
    const std::string ada = s.snapshot()["users"][0]["id"].get<std::string>();
    set(s, ada, "team_name", "Compilers");
    set(s, ada, "boss", "ada@example.com");

    // Team from team_name, Sub Role left blank, Manager Email from boss; field names as written or folded.
    json r = s.exportFiles(json{{"format", "sei2"}, {"fields", {{"Team", "team_name"}, {"sub_role", ""}, {"manager-email", "boss"}}}}, "d");
    REQUIRE(r["ok"] == true);
    CHECK(r["files"][0]["text"] == std::string(kHeader) +
                                       "ada@example.com,ada@example.com,Ada Lovelace,SWE,London,Compilers,,Engineering\r\n"
                                       "grace@example.com,,Grace Hopper,Manager,\"New York, NY\",,,Engineering\r\n");
    // The findings follow the chosen manager field: Ada now manages herself.
    CHECK(codesOf(r["warnings"]) == std::vector<std::string>{"CIRCULAR_REFERENCE"});
    CHECK(s.exportCsv(json{{"format", "sei2"}, {"fields", {{"Team", "team_name"}}}})["csv"].get<std::string>().find(",Compilers,") !=
          std::string::npos);

    // The same through ExportOptions, as the Export dialog passes them.
    ExportOptions o;
    o.fields = {{"Team", "team_name"}};
    CHECK(sei2Attributes(s.dir, o)[5] == s.dir.findAttr("team_name"));
    CHECK(sei2Attributes(s.dir, o)[3] == s.dir.findAttr("role"));
    CHECK(sei2Attributes(s.dir, o)[0] == kNone);

    // Refused: a field SEI 2.0 does not have or whose value is the person's own, an attribute that
    // does not exist, a value that is not a string, fields for a format without them.
    auto code = [&](const json& opts) { return s.exportFiles(opts, "d")["error"]["code"]; };
    CHECK(code({{"format", "sei2"}, {"fields", {{"Level", "team"}}}}) == "INVALID_ARGUMENT");
    CHECK(code({{"format", "sei2"}, {"fields", {{"Email", "team"}}}}) == "INVALID_ARGUMENT");
    CHECK(code({{"format", "sei2"}, {"fields", {{"Full Name", "team"}}}}) == "INVALID_ARGUMENT");
    CHECK(code({{"format", "sei2"}, {"fields", {{"Team", "nope"}}}}) == "NOT_FOUND");
    CHECK(code({{"format", "sei2"}, {"fields", {{"Team", 3}}}}) == "INVALID_ARGUMENT");
    CHECK(code({{"format", "sei2"}, {"fields", json::array({"team"})}}) == "INVALID_ARGUMENT");
    CHECK(code({{"format", "sei"}, {"fields", {{"Team", "team"}}}}) == "INVALID_ARGUMENT");
    CHECK(s.exportCsv(json{{"format", "sei2"}, {"fields", {{"Team", "nope"}}}})["error"]["code"] == "NOT_FOUND");
    CHECK(s.exportFiles(json{{"format", "sei2"}, {"fields", {{"Team", "nope"}}}}, "d")["error"]["message"] ==
          "No attribute \"nope\" to fill the field \"Team\"");
}

TEST_CASE("sei2 export: what SEI 2.0 would refuse is found with its own codes, and the file is still written", "[export][sei2]") {
    Session s;
    addSei2Attributes(s);
    Build people([](Tx& tx) {
        Directory& d = tx.dir();
        const uint32_t mgr = d.findAttr("manager_email");
        tx.createUser("", "noname@example.com");                       // u1: blank Full Name
        tx.createUser("No Email", "");                                 // u2: blank Email
        tx.createUser("Dup One", "dup@example.com");                   // u3, u4: one email, twice
        tx.createUser("Dup Two", "DUP@example.com");
        const uint32_t a = tx.createUser("Ann", "ann@example.com");    // u5 -> u6 -> u5
        const uint32_t b = tx.createUser("Bob", "bob@example.com");
        tx.setAttr(mgr, a, "BOB@example.com");
        tx.setAttr(mgr, b, "ann@example.com");
        const uint32_t self = tx.createUser("Sam", "sam@example.com"); // u7 -> u7
        tx.setAttr(mgr, self, "sam@example.com");
        const uint32_t m1 = tx.createUser("Mia", "mia@example.com");   // u8, u9 -> boss@ (nobody)
        const uint32_t m2 = tx.createUser("Max", "max@example.com");
        tx.setAttr(mgr, m1, "boss@example.com");
        tx.setAttr(mgr, m2, "Boss@Example.com");
        const uint32_t al = tx.createUser("Al", "al@example.com");     // u10 -> an alias of Ann's
        tx.createAlias("ann.old@example.com", a);
        tx.setAttr(mgr, al, "ann.old@example.com");
        const uint32_t otto = tx.createUser("Otto", "otto@example.com"); // u11 -> Ann: fine
        tx.setAttr(mgr, otto, "ann@example.com");
    });
    REQUIRE(s.execute(people).ok);

    json r = s.exportFiles(json{{"format", "sei2"}}, "d");
    REQUIRE(r["ok"] == true);
    // Every person is written all the same.
    const Rows rows = rowsOf(r["files"][0]["text"].get<std::string>());
    CHECK(rows.size() == 1 + 11);
    CHECK(rows[2] == std::vector<std::string>{"", "", "No Email", "", "", "", "", ""});

    const json& w = r["warnings"];
    INFO(w.dump(2));
    CHECK(codesOf(w) == std::vector<std::string>{"REQUIRED_VALUE_MISSING", "REQUIRED_VALUE_MISSING", "DUPLICATE_EMAIL", "CIRCULAR_REFERENCE",
                                                 "CIRCULAR_REFERENCE", "MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS",
                                                 "MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS"});
    CHECK(w[0]["userIds"] == json{"u1"});
    CHECK(w[0]["message"] == "<noname@example.com>: Full Name is blank (SEI 2.0 requires both)");
    CHECK(w[1]["userIds"] == json{"u2"});
    CHECK(w[1]["message"] == "No Email (u2, no email): Email is blank (SEI 2.0 requires both)");
    CHECK(w[2]["userIds"] == json({"u3", "u4"}));
    CHECK(w[2]["message"] == "The Email dup@example.com is on 2 rows: Dup One <dup@example.com> and Dup Two <DUP@example.com>");
    CHECK(w[3]["userIds"] == json({"u5", "u6"}));
    CHECK(w[3]["message"] == "Reporting cycle of 2 people through Manager Email: Ann <ann@example.com> -> Bob <bob@example.com> -> Ann <ann@example.com>");
    CHECK(w[4]["userIds"] == json{"u7"});
    CHECK(w[4]["message"] == "Reporting cycle of 1 person through Manager Email: Sam <sam@example.com> is their own manager");
    CHECK(w[5]["userIds"] == json({"u8", "u9"}));
    CHECK(w[5]["message"] ==
          "The Manager Email boss@example.com of Mia <mia@example.com> and Max <max@example.com> is no developer's Email in the file "
          "(add the manager as a person, or change the Manager Email)");
    CHECK(w[6]["userIds"] == json{"u10"});
    CHECK(w[6]["message"] ==
          "The Manager Email ann.old@example.com of Al <al@example.com> is no developer's Email in the file "
          "(it is another email of Ann <ann@example.com>: write their Email instead)");

    // checkSei2 is what the answer carries (the Export dialog shows the same list).
    const std::vector<ExportFinding> findings = checkSei2(s.dir);
    REQUIRE(findings.size() == w.size());
    CHECK(findings[3].slots == std::vector<uint32_t>{s.dir.slotOfId(5), s.dir.slotOfId(6)});
    // The cap bounds each code.
    CHECK(codesOf(exportFindingsJson(s.dir, checkSei2(s.dir, {}, 1))) ==
          std::vector<std::string>{"REQUIRED_VALUE_MISSING", "DUPLICATE_EMAIL", "CIRCULAR_REFERENCE", "MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS"});
}

TEST_CASE("sei2 export: a cycle reached from outside it names only the people in it", "[export][sei2]") {
    Session s;
    addSei2Attributes(s);
    Build people([](Tx& tx) {
        const uint32_t mgr = tx.dir().findAttr("manager_email");
        const uint32_t x = tx.createUser("X", "x@example.com");   // X -> A -> B -> C -> A
        const uint32_t a = tx.createUser("A", "a@example.com");
        const uint32_t b = tx.createUser("B", "b@example.com");
        const uint32_t c = tx.createUser("C", "c@example.com");
        tx.setAttr(mgr, x, "a@example.com");
        tx.setAttr(mgr, a, "b@example.com");
        tx.setAttr(mgr, b, "c@example.com");
        tx.setAttr(mgr, c, "a@example.com");
    });
    REQUIRE(s.execute(people).ok);
    const std::vector<ExportFinding> f = checkSei2(s.dir);
    REQUIRE(f.size() == 1);
    CHECK(f[0].code == "CIRCULAR_REFERENCE");
    CHECK(f[0].slots == std::vector<uint32_t>{s.dir.slotOfId(2), s.dir.slotOfId(3), s.dir.slotOfId(4)});
}

TEST_CASE("sei2 export: formulas are guarded as in the SEI export, BOM on request", "[export][sei2]") {
    Session s;
    addSei2Attributes(s);
    ok(s, {{"op", "addAttribute"}, {"key", "floor"}, {"type", "number"}});
    const std::string ada = addUser(s, "=Ada", "ada@example.com");
    set(s, ada, "role", "=HYPERLINK(\"x\")");
    set(s, ada, "team", "@core");
    set(s, ada, "sub_role", "'+1");
    set(s, ada, "floor", "-2");

    const std::string guarded = exportSei2(s.dir);
    CHECK(guarded == std::string(kHeader) + "ada@example.com,,'=Ada,\"'=HYPERLINK(\"\"x\"\")\",,'@core,''+1,\r\n");
    ExportOptions plain;
    plain.formulaGuard = false;
    CHECK(exportSei2(s.dir, plain) == std::string(kHeader) + "ada@example.com,,=Ada,\"=HYPERLINK(\"\"x\"\")\",,@core,'+1,\r\n");
    // A number attribute's value is never guarded (here chosen for Site).
    CHECK(s.exportCsv(json{{"format", "sei2"}, {"fields", {{"Site", "floor"}}}})["csv"] ==
          std::string(kHeader) + "ada@example.com,,'=Ada,\"'=HYPERLINK(\"\"x\"\")\",-2,'@core,''+1,\r\n");
    // Options as window.roster passes them.
    CHECK(s.exportCsv(json{{"format", "sei2"}, {"formulaGuard", false}})["csv"] == exportSei2(s.dir, plain));
    const std::string bom = s.exportCsv(json{{"format", "sei2"}, {"bom", true}})["csv"].get<std::string>();
    CHECK(bom == "\xEF\xBB\xBF" + guarded);
    // The guarded file reads back as written (the import removes one leading ').
    Session back;
    REQUIRE(back.applyImport(guarded, json{{"mode", "update"}})["applied"] == true);
    CHECK(back.snapshot()["users"][0]["name"] == "=Ada");
}

TEST_CASE("sei2 export: SEI 2.0's own download example imports and exports as the same rows", "[export][sei2][corpus]") {
    const char* env = std::getenv("ROSTER_CORPUS");
    const std::filesystem::path file = std::filesystem::path(env && *env ? env : ROSTER_SOURCE_DIR "/../shared/corpus") / "harness-sei" /
                                       "manage-developers_download-example.csv";
    if (!std::filesystem::exists(file)) {
        WARN("The corpus is absent (" << file.string() << "): the SEI 2.0 round trip is skipped");
        SUCCEED("no corpus");
        return;
    }
    std::ifstream in(file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();

    Session s;
    json plan = s.applyImport(bytes.str(), json{{"mode", "update"}});
    INFO(plan.dump());
    REQUIRE(plan["applied"] == true);
    json r = s.exportFiles(json{{"format", "sei2"}}, "d");
    REQUIRE(r["ok"] == true);
    const std::string out = r["files"][0]["text"].get<std::string>();
    CHECK(out.substr(0, std::string(kHeader).size()) == kHeader);

    // The same rows, as sets (the example's line endings are LF, the export's CRLF; parsing both
    // normalises that, and the order of rows does not matter to SEI).
    Rows original = rowsOf(bytes.str()), exported = rowsOf(out);
    std::sort(original.begin() + 1, original.end());
    std::sort(exported.begin() + 1, exported.end());
    CHECK(exported == original);

    // Its managers are no developers in the file (PROVENANCE.md: a real dangling-reference case).
    std::vector<std::string> missing;
    for (const json& w : r["warnings"]) {
        CHECK(w["code"] == "MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS");
        missing.push_back(w["message"].get<std::string>().substr(0, w["message"].get<std::string>().find(" of ")));
    }
    CHECK(missing == std::vector<std::string>{"The Manager Email eve.manager@example.com", "The Manager Email frank.manager@example.com",
                                              "The Manager Email heidi.manager@example.com"});

    // And a second import of the export changes nothing.
    json again = s.previewImport(out, json{{"mode", "update"}});
    CHECK(again["counts"]["updated"] == 0);
    CHECK(again["counts"]["added"] == 0);
    CHECK(again["counts"]["unchanged"] == 5);
}
