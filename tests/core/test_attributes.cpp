// Custom attributes (add, set in bulk, rename, change type with conversion, delete) and org units
// (save, rename, delete, import/export, persistence), all through the JSON door with undo.
#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "attributes.h"
#include "orgunits.h"
#include "session.h"
#include "session_test_util.h"
#include "store.h"

using namespace roster;

namespace {

using test::ok;

std::string code(Session& s, const json& cmd) {
    json r = s.command(cmd);
    return r["ok"] == true ? "ok" : r["error"]["code"].get<std::string>();
}

std::vector<std::string> addPeople(Session& s, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i)
        ids.push_back(ok(s, {{"op", "addUser"}, {"name", "Person " + std::to_string(i)}, {"email", "p" + std::to_string(i) + "@example.com"}})["id"]);
    return ids;
}

std::string value(Session& s, const std::string& id, const std::string& key) {
    json snap = s.snapshot();
    for (auto& u : snap["users"])
        if (u["id"] == id) return u["attributes"].value(key, "");
    return "<no user " + id + ">";
}

}  // namespace

TEST_CASE("addAttribute: keys are trimmed and lower-cased, built-ins, duplicates and bad types are refused", "[attributes]") {
    Session s;
    ok(s, {{"op", "addAttribute"}, {"key", " Team_Name "}, {"label", "Team"}, {"type", "text"}});
    ok(s, {{"op", "addAttribute"}, {"key", "start"}, {"type", "date"}});
    auto attrs = s.snapshot()["attributes"];
    REQUIRE(attrs.size() == 2);
    CHECK(attrs[0] == json{{"key", "team_name"}, {"label", "Team"}, {"type", "text"}});
    CHECK(attrs[1] == json{{"key", "start"}, {"label", "start"}, {"type", "date"}});
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "TEAM_NAME"}, {"type", "text"}}) == "DUPLICATE_ATTRIBUTE");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "Email"}, {"type", "email"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "name"}, {"type", "text"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "Integration: Jira"}, {"type", "text"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "  "}, {"type", "text"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", "x"}, {"type", "colour"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"type", "text"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "addAttribute"}, {"key", 5}, {"type", "text"}}) == "INVALID_ARGUMENT");
    CHECK(s.history.undoDepth() == 2);
    REQUIRE(s.undo());
    CHECK(s.snapshot()["attributes"].size() == 1);
    // After undo the key is free again.
    ok(s, {{"op", "addAttribute"}, {"key", "start"}, {"type", "number"}});
    CHECK(s.snapshot()["attributes"][1]["type"] == "number");
}

TEST_CASE("setAttribute checks each type, normalises, clears with an empty value, and is one undo step for many ids", "[attributes]") {
    Session s;
    auto ids = addPeople(s, 50);
    for (auto [k, t] : {std::pair{"team", "text"}, {"level", "number"}, {"start", "date"}, {"active", "boolean"}, {"manager", "email"}})
        ok(s, {{"op", "addAttribute"}, {"key", k}, {"type", t}});
    size_t depth = s.history.undoDepth();
    ok(s, {{"op", "setAttribute"}, {"ids", ids}, {"key", "team"}, {"value", "  Platform "}});
    CHECK(s.history.undoDepth() == depth + 1);
    for (auto& id : ids) CHECK(value(s, id, "team") == "Platform");
    CHECK(s.history.undoLabel() == "Set team for 50 people");

    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "level"}, {"value", "-3.5e2"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "start"}, {"value", "2024/02/29"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "active"}, {"value", "YES"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "manager"}, {"value", "Boss@Example.com"}});
    CHECK(value(s, ids[0], "level") == "-3.5e2");
    CHECK(value(s, ids[0], "start") == "2024-02-29");
    CHECK(value(s, ids[0], "active") == "true");
    CHECK(value(s, ids[0], "manager") == "Boss@Example.com");   // kept as entered; may name someone not in the directory

    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "level"}, {"value", "ten"}}) == "INVALID_VALUE");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "start"}, {"value", "2023-02-29"}}) == "INVALID_VALUE");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "start"}, {"value", "29.02.2024"}}) == "INVALID_VALUE");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "active"}, {"value", "maybe"}}) == "INVALID_VALUE");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "manager"}, {"value", "not an email"}}) == "INVALID_VALUE");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "shoe"}, {"value", "9"}}) == "NOT_FOUND");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1], "u999"}}, {"key", "team"}, {"value", "X"}}) == "NOT_FOUND");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", json::array()}, {"key", "team"}, {"value", "X"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {"bogus"}}, {"key", "team"}, {"value", "X"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "team"}, {"value", std::string(70000, 'x')}}) == "VALUE_TOO_LONG");
    // Nothing of the refused calls changed anything (the NOT_FOUND with one good id included).
    CHECK(value(s, ids[1], "team") == "Platform");

    // Clearing for everyone, undo brings every value back.
    ok(s, {{"op", "setAttribute"}, {"ids", ids}, {"key", "team"}, {"value", ""}});
    CHECK(value(s, ids[7], "team") == "");
    CHECK(s.snapshot()["users"][7]["attributes"].is_object());
    CHECK_FALSE(s.snapshot()["users"][7]["attributes"].contains("team"));
    REQUIRE(s.undo());
    for (auto& id : ids) CHECK(value(s, id, "team") == "Platform");
    REQUIRE(s.redo());
    CHECK(value(s, ids[3], "team") == "");
    // Setting the value everyone already has is not an undo step.
    depth = s.history.undoDepth();
    ok(s, {{"op", "setAttribute"}, {"ids", ids}, {"key", "team"}, {"value", ""}});
    CHECK(s.history.undoDepth() == depth);
}

TEST_CASE("updateAttribute: label, type change converts, reports what would not convert, force clears", "[attributes]") {
    Session s;
    auto ids = addPeople(s, 4);
    ok(s, {{"op", "addAttribute"}, {"key", "since"}, {"type", "text"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "since"}, {"value", "2020/01/02"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "since"}, {"value", "2021-03-04"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[2]}}, {"key", "since"}, {"value", "last spring"}});

    ok(s, {{"op", "updateAttribute"}, {"key", "since"}, {"label", "Member since"}});
    CHECK(s.snapshot()["attributes"][0]["label"] == "Member since");

    std::vector<uint32_t> bad = typeConversionFailures(s.dir, 0, AttrType::Date);
    REQUIRE(bad.size() == 1);
    CHECK(s.dir.userName(bad[0]) == "Person 2");

    json r = s.command({{"op", "updateAttribute"}, {"key", "since"}, {"type", "date"}});
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == "INVALID_VALUE");
    std::string msg = r["error"]["message"];
    CHECK(msg.find("Person 2") != std::string::npos);
    CHECK(msg.find("last spring") != std::string::npos);
    CHECK(s.snapshot()["attributes"][0]["type"] == "text");

    // Fix the value, then the change applies and converts YYYY/MM/DD.
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[2]}}, {"key", "since"}, {"value", "2022-05-06"}});
    ok(s, {{"op", "updateAttribute"}, {"key", "since"}, {"type", "date"}});
    CHECK(s.snapshot()["attributes"][0]["type"] == "date");
    CHECK(value(s, ids[0], "since") == "2020-01-02");
    CHECK(code(s, {{"op", "setAttribute"}, {"ids", {ids[3]}}, {"key", "since"}, {"value", "soon"}}) == "INVALID_VALUE");
    REQUIRE(s.undo());   // the type change: value and type come back
    CHECK(value(s, ids[0], "since") == "2020/01/02");
    CHECK(s.snapshot()["attributes"][0]["type"] == "text");
    REQUIRE(s.undo());
    CHECK(value(s, ids[2], "since") == "last spring");

    // force: what does not convert is cleared, in one undo step.
    ok(s, {{"op", "updateAttribute"}, {"key", "since"}, {"type", "date"}, {"force", true}});
    CHECK(value(s, ids[2], "since") == "");
    CHECK(value(s, ids[1], "since") == "2021-03-04");
    REQUIRE(s.undo());
    CHECK(value(s, ids[2], "since") == "last spring");

    // Booleans normalise; numbers keep their spelling.
    ok(s, {{"op", "addAttribute"}, {"key", "remote"}, {"type", "text"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0]}}, {"key", "remote"}, {"value", "Yes"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[1]}}, {"key", "remote"}, {"value", "0"}});
    ok(s, {{"op", "updateAttribute"}, {"key", "remote"}, {"type", "boolean"}});
    CHECK(value(s, ids[0], "remote") == "true");
    CHECK(value(s, ids[1], "remote") == "false");
    // Back to text: everything converts.
    ok(s, {{"op", "updateAttribute"}, {"key", "remote"}, {"type", "text"}});
    CHECK(value(s, ids[0], "remote") == "true");

    CHECK(code(s, {{"op", "updateAttribute"}, {"key", "nope"}, {"label", "x"}}) == "NOT_FOUND");
    CHECK(code(s, {{"op", "updateAttribute"}, {"key", "remote"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "updateAttribute"}, {"key", "remote"}, {"type", "colour"}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "updateAttribute"}, {"key", "remote"}, {"type", "date"}, {"force", "yes"}}) == "INVALID_ARGUMENT");
}

TEST_CASE("deleteAttribute clears the values, undo restores them, units that use it hold it back", "[attributes]") {
    Session s;
    auto ids = addPeople(s, 3);
    ok(s, {{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[0], ids[2]}}, {"key", "team"}, {"value", "Core"}});
    CHECK(attrValueCount(s.dir, 0) == 2);
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Core"}, {"filter", {{"attribute", "team"}, {"op", "equals"}, {"value", "core"}}}});
    CHECK(orgUnitsUsingAttribute(s.dir, "TEAM") == std::vector<std::string>{"Core"});
    CHECK(code(s, {{"op", "deleteAttribute"}, {"key", "team"}}) == "ATTRIBUTE_IN_USE");
    ok(s, {{"op", "deleteAttribute"}, {"key", "team"}, {"force", true}});
    CHECK(s.snapshot()["attributes"].empty());
    CHECK(value(s, ids[0], "team") == "");
    CHECK(s.dir.attrValue(0, s.dir.slotOfId(1)).empty());   // really cleared, not just hidden
    CHECK(code(s, {{"op", "deleteAttribute"}, {"key", "team"}}) == "NOT_FOUND");
    REQUIRE(s.undo());
    CHECK(value(s, ids[0], "team") == "Core");
    CHECK(value(s, ids[2], "team") == "Core");
    CHECK(s.query({{"attribute", "team"}, {"op", "equals"}, {"value", "core"}})["ids"].size() == 2);
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "core"}});
    ok(s, {{"op", "deleteAttribute"}, {"key", "TEAM"}});
    // A new attribute with the same key starts empty.
    ok(s, {{"op", "addAttribute"}, {"key", "team"}, {"type", "number"}});
    CHECK(value(s, ids[0], "team") == "");
}

TEST_CASE("org units: RenameAndSaveCmd renames and saves in one undo step, and does neither when the new name is taken", "[orgunits]") {
    Session s;
    addPeople(s, 3);
    json all = {{"all", json::array()}};
    json none = {{"any", json::array()}};
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Old"}, {"filter", all}});
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Taken"}, {"filter", all}});
    const size_t depth = s.history.undoDepth();
    RenameAndSaveCmd cmd("Old", "New", SaveOrgUnitCmd("New", none));
    CHECK(cmd.label() == "Save org unit New");
    REQUIRE(s.execute(cmd).ok);
    CHECK(s.history.undoDepth() == depth + 1);
    CHECK(s.snapshot()["orgUnits"][0] == json{{"id", "o1"}, {"name", "New"}, {"filter", none}, {"parent", nullptr}});
    REQUIRE(s.undo());
    CHECK(s.snapshot()["orgUnits"][0] == json{{"id", "o1"}, {"name", "Old"}, {"filter", all}, {"parent", nullptr}});
    RenameAndSaveCmd clash("Old", "taken", SaveOrgUnitCmd("taken", none));
    CHECK(s.execute(clash).error.code == "DUPLICATE_ORG_UNIT");
    CHECK(s.snapshot()["orgUnits"][0] == json{{"id", "o1"}, {"name", "Old"}, {"filter", all}, {"parent", nullptr}});
}

TEST_CASE("org units: save creates or replaces, rename, delete, all undoable, bad filters refused", "[orgunits]") {
    Session s;
    auto ids = addPeople(s, 5);
    ok(s, {{"op", "addAttribute"}, {"key", "level"}, {"type", "number"}});
    ok(s, {{"op", "setAttribute"}, {"ids", {ids[1], ids[3]}}, {"key", "level"}, {"value", "7"}});
    json seniors = {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}};
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Seniors"}, {"filter", seniors}});
    auto units = s.snapshot()["orgUnits"];
    REQUIRE(units.size() == 1);
    CHECK(units[0] == json{{"id", "o1"}, {"name", "Seniors"}, {"filter", seniors}, {"parent", nullptr}});
    CHECK(s.query(units[0]["filter"])["ids"] == json{ids[1], ids[3]});

    // Replace (case-insensitive name): one unit, new filter.
    json all = {{"all", json::array()}};
    ok(s, {{"op", "saveOrgUnit"}, {"name", "seniors"}, {"filter", all}});
    units = s.snapshot()["orgUnits"];
    REQUIRE(units.size() == 1);
    CHECK(units[0]["filter"] == all);
    REQUIRE(s.undo());
    CHECK(s.snapshot()["orgUnits"][0]["filter"] == seniors);
    CHECK(s.snapshot()["orgUnits"][0]["name"] == "Seniors");

    CHECK(code(s, {{"op", "saveOrgUnit"}, {"name", "Bad"}, {"filter", {{"attribute", "nope"}, {"op", "equals"}, {"value", "x"}}}}) == "INVALID_FILTER");
    CHECK(code(s, {{"op", "saveOrgUnit"}, {"name", "Bad"}, {"filter", {{"attribute", "level"}, {"op", "near"}, {"value", "x"}}}}) == "INVALID_FILTER");
    CHECK(code(s, {{"op", "saveOrgUnit"}, {"name", "Bad"}}) == "INVALID_FILTER");
    CHECK(code(s, {{"op", "saveOrgUnit"}, {"name", "  "}, {"filter", all}}) == "INVALID_ARGUMENT");
    CHECK(code(s, {{"op", "saveOrgUnit"}, {"filter", all}}) == "INVALID_ARGUMENT");
    // The filter may also be given as JSON text.
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Everyone"}, {"filter", "{\"all\": []}"}});
    CHECK(s.snapshot()["orgUnits"][1]["filter"] == all);

    CHECK(code(s, {{"op", "renameOrgUnit"}, {"name", "Seniors"}, {"newName", "everyone"}}) == "DUPLICATE_ORG_UNIT");
    CHECK(code(s, {{"op", "renameOrgUnit"}, {"name", "Nobody"}, {"newName", "X"}}) == "NOT_FOUND");
    CHECK(code(s, {{"op", "renameOrgUnit"}, {"name", "Seniors"}, {"newName", ""}}) == "INVALID_ARGUMENT");
    ok(s, {{"op", "renameOrgUnit"}, {"name", "seniors"}, {"newName", "Senior engineers"}});
    CHECK(s.snapshot()["orgUnits"][0]["name"] == "Senior engineers");
    ok(s, {{"op", "renameOrgUnit"}, {"name", "Senior engineers"}, {"newName", "SENIOR engineers"}});   // case only
    CHECK(s.snapshot()["orgUnits"][0]["name"] == "SENIOR engineers");
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "senior ENGINEERS"}});
    CHECK(s.snapshot()["orgUnits"].size() == 1);
    CHECK(code(s, {{"op", "deleteOrgUnit"}, {"name", "senior engineers"}}) == "NOT_FOUND");
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    CHECK(s.snapshot()["orgUnits"][0]["name"] == "Seniors");
    // A name freed by a deletion can be used again.
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "Seniors"}});
    ok(s, {{"op", "saveOrgUnit"}, {"name", "Seniors"}, {"filter", all}});
    CHECK(s.snapshot()["orgUnits"].size() == 2);
}

TEST_CASE("org units export and import as JSON, all or nothing", "[orgunits]") {
    Session a;
    addPeople(a, 2);
    ok(a, {{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}});
    ok(a, {{"op", "saveOrgUnit"}, {"name", "Core"}, {"filter", {{"attribute", "team"}, {"op", "equals"}, {"value", "Core"}}}});
    ok(a, {{"op", "saveOrgUnit"}, {"name", "Named"}, {"filter", {{"not", {{"attribute", "name"}, {"op", "isEmpty"}}}}}});
    json file = orgUnitsFile(a.dir);
    std::string text = file.dump(2);

    Session b;
    json parsed = json::parse(text);
    // Without the attribute the Core unit's filter is invalid: nothing is imported.
    json cmd = {{"op", "importOrgUnits"}, {"orgUnits", parsed["orgUnits"]}};
    CHECK(code(b, cmd) == "INVALID_FILTER");
    CHECK(b.snapshot()["orgUnits"].empty());
    ok(b, {{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}});
    ok(b, cmd);
    CHECK(b.snapshot()["orgUnits"] == a.snapshot()["orgUnits"]);
    CHECK(b.history.undoLabel() == "Import 2 org units");
    CHECK(code(b, {{"op", "importOrgUnits"}, {"orgUnits", "nope"}}) == "INVALID_ARGUMENT");
    CHECK(code(b, {{"op", "importOrgUnits"}, {"orgUnits", {{{"filter", json::object()}}}}}) == "INVALID_ARGUMENT");
}

TEST_CASE("attributes, values and org units survive a save and load", "[orgunits][storage]") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("roster-attr-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    json before;
    {
        Session s;
        auto ids = addPeople(s, 3);
        ok(s, {{"op", "addAttribute"}, {"key", "level"}, {"label", "Level"}, {"type", "number"}});
        ok(s, {{"op", "addAttribute"}, {"key", "gone"}, {"type", "text"}});
        ok(s, {{"op", "setAttribute"}, {"ids", ids}, {"key", "level"}, {"value", "4"}});
        ok(s, {{"op", "setAttribute"}, {"ids", ids}, {"key", "gone"}, {"value", "x"}});
        ok(s, {{"op", "deleteAttribute"}, {"key", "gone"}});
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Fours"}, {"filter", {{"any", {{{"attribute", "level"}, {"op", "equals"}, {"value", "4"}}}}}}});
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Temp"}, {"filter", {{"all", json::array()}}}});
        ok(s, {{"op", "deleteOrgUnit"}, {"name", "Temp"}});
        Store st(dir.string());
        REQUIRE(st.save(s.dir).ok);
        before = s.snapshot();
    }
    Session s2;
    Store st(dir.string());
    REQUIRE(st.load(s2.dir).ok);
    CHECK(s2.snapshot() == before);
    CHECK(s2.query(before["orgUnits"][0]["filter"])["ids"].size() == 3);
    fs::remove_all(dir);
}
