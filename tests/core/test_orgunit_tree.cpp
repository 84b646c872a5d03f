// Org units as a tree: membership within the parent, moves as one undo step, cycles refused, the
// parent kept or cleared by saveOrgUnit, stable ids that are never reused, deletes and renames with
// children, storage (new and old formats), versions, the org-units file; and the hasItem filter op.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "filter.h"
#include "orgunits.h"
#include "session.h"
#include "session_test_util.h"
#include "store.h"
#include "store_test_util.h"
#include "versions.h"

using namespace roster;
using namespace roster::testutil;
using test::ok;

namespace {

json eq(const std::string& key, const std::string& value) { return {{"attribute", key}, {"op", "equals"}, {"value", value}}; }
json item(const std::string& key, const std::string& value) { return {{"attribute", key}, {"op", "hasItem"}, {"value", value}}; }
json everyone() { return {{"all", json::array()}}; }

json save(const std::string& name, const json& filter) { return {{"op", "saveOrgUnit"}, {"name", name}, {"filter", filter}}; }
json saveUnder(const std::string& name, const json& filter, const json& parent) {
    json c = save(name, filter);
    c["parent"] = parent;
    return c;
}

// People with a site, a level and teams (a ';' list).
void seed(Session& s) {
    ok(s, {{"op", "addAttribute"}, {"key", "site"}, {"type", "text"}});
    ok(s, {{"op", "addAttribute"}, {"key", "level"}, {"type", "number"}});
    ok(s, {{"op", "addAttribute"}, {"key", "teams"}, {"type", "text"}});
    struct P { const char* name; const char* email; const char* site; const char* level; const char* teams; };
    const P people[] = {
        {"Ada", "ada@example.com", "London", "5", "Core;Platform"},
        {"Grace", "grace@example.com", "London", "3", " platform ; Compilers "},
        {"Alan", "alan@example.com", "Paris", "5", "core"},
        {"Edsger", "edsger@example.com", "Paris", "2", ""},
        {"Barbara", "barbara@example.com", "London", "4", "Core Platform"},
    };
    for (const P& p : people) {
        json r = ok(s, {{"op", "addUser"}, {"name", p.name}, {"email", p.email}});
        std::string id = r["id"];
        ok(s, {{"op", "setAttribute"}, {"ids", {id}}, {"key", "site"}, {"value", p.site}});
        ok(s, {{"op", "setAttribute"}, {"ids", {id}}, {"key", "level"}, {"value", p.level}});
        if (*p.teams) ok(s, {{"op", "setAttribute"}, {"ids", {id}}, {"key", "teams"}, {"value", p.teams}});
    }
    s.history.clear();
}

// Names of the members of a unit (tree membership), in directory order.
std::vector<std::string> members(const Session& s, const std::string& unit) {
    const Directory& d = s.dir;
    uint32_t u = d.findOrgUnit(unit);
    REQUIRE(u != kNone);
    std::vector<uint8_t> mask;
    REQUIRE(orgUnitMemberMask(d, u, mask));
    std::vector<std::string> out;
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot)
        if (mask[slot]) out.emplace_back(d.userName(slot));
    // The counts of the list agree with the masks.
    CHECK(orgUnitMemberCounts(d)[u] == int64_t(out.size()));
    return out;
}

// The snapshot's entry of a unit.
json unitJson(const Session& s, const std::string& name) {
    const json snap = s.snapshot();   // (iterating s.snapshot()["orgUnits"] would outlive the temporary)
    for (const json& u : snap["orgUnits"])
        if (u["name"] == name) return u;
    return nullptr;
}

json parentOf(const Session& s, const std::string& name) { return unitJson(s, name)["parent"]; }

std::vector<std::string> names(std::initializer_list<const char*> l) { return std::vector<std::string>(l.begin(), l.end()); }

// The ids (names) of the people a filter matches.
std::vector<std::string> query(Session& s, const json& filter) {
    json r = s.query(filter);
    INFO(r.dump());
    REQUIRE(r["ok"] == true);
    std::vector<std::string> out;
    for (auto& id : r["ids"]) {
        uint32_t n = 0;
        REQUIRE(parseUserId(id.get<std::string>(), n));
        out.emplace_back(s.dir.userName(s.dir.slotOfId(n)));
    }
    return out;
}

}  // namespace

TEST_CASE("a unit's members are those of its own filter within its parent's members, at every depth", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("London", eq("site", "London")));
    ok(s, saveUnder("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}, "London"));
    ok(s, saveUnder("Core", item("teams", "core"), "Seniors"));
    ok(s, save("All seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}));
    CHECK(members(s, "London") == names({"Ada", "Grace", "Barbara"}));
    CHECK(members(s, "Seniors") == names({"Ada", "Barbara"}));   // Alan is senior but in Paris
    CHECK(members(s, "Core") == names({"Ada"}));                  // Barbara's team is "Core Platform", one item
    CHECK(members(s, "All seniors") == names({"Ada", "Alan", "Barbara"}));
    // Membership follows edits of an ancestor's filter.
    ok(s, save("London", everyone()));
    CHECK(members(s, "Seniors") == names({"Ada", "Alan", "Barbara"}));
    CHECK(members(s, "Core") == names({"Ada", "Alan"}));
    // The tree order lists parents before children, with depths.
    std::vector<OrgUnitRow> tree = orgUnitTree(s.dir);
    REQUIRE(tree.size() == 4);
    CHECK(s.dir.s(s.dir.orgUnits()[tree[0].unit].name) == "London");
    CHECK(tree[0].depth == 0);
    CHECK(tree[1].depth == 1);
    CHECK(tree[2].depth == 2);
    CHECK(s.dir.s(s.dir.orgUnits()[tree[3].unit].name) == "All seniors");
    CHECK(tree[3].depth == 0);
    // A filter that no longer compiles (its attribute was deleted): the unit and those inside it count -1.
    ok(s, {{"op", "deleteAttribute"}, {"key", "level"}, {"force", true}});
    auto counts = orgUnitMemberCounts(s.dir);
    CHECK(counts[s.dir.findOrgUnit("London")] == 5);
    CHECK(counts[s.dir.findOrgUnit("Seniors")] == -1);
    CHECK(counts[s.dir.findOrgUnit("Core")] == -1);
    std::vector<uint8_t> mask;
    Diag err;
    CHECK_FALSE(orgUnitMemberMask(s.dir, s.dir.findOrgUnit("Core"), mask, &err));
    CHECK(err.code == "INVALID_FILTER");
    CHECK(err.message.find("Seniors") != std::string::npos);
}

TEST_CASE("moving a unit is one undo step, and undo and redo give back the exact snapshots", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("London", eq("site", "London")));
    ok(s, save("Paris", eq("site", "Paris")));
    ok(s, saveUnder("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}, "London"));
    ok(s, saveUnder("Core", item("teams", "Core"), "Seniors"));
    const json before = s.snapshot();
    const size_t depth = s.history.undoDepth();
    ok(s, saveUnder("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}, "Paris"));
    CHECK(s.history.undoDepth() == depth + 1);
    const json after = s.snapshot();
    CHECK(after != before);
    CHECK(parentOf(s, "Seniors") == "Paris");
    CHECK(parentOf(s, "Core") == "Seniors");   // the subtree moves with it
    CHECK(members(s, "Core") == names({"Alan"}));
    REQUIRE(s.undo());
    CHECK(s.snapshot() == before);
    CHECK(members(s, "Core") == names({"Ada"}));
    REQUIRE(s.redo());
    CHECK(s.snapshot() == after);
    // The typed move command (the UI's "Move under…") is one step too, to the top level and back.
    MoveOrgUnitCmd top("Seniors", OrgUnitParentRef::root());
    REQUIRE(s.execute(top).ok);
    CHECK(parentOf(s, "Seniors").is_null());
    CHECK(s.history.undoDepth() == depth + 2);
    REQUIRE(s.undo());
    CHECK(s.snapshot() == after);
    // A move to where the unit already is changes nothing and records no step.
    MoveOrgUnitCmd same("Seniors", OrgUnitParentRef::unit("paris"));
    REQUIRE(s.execute(same).ok);
    CHECK(s.history.undoDepth() == depth + 1);
}

TEST_CASE("a cycle is refused with CIRCULAR_REFERENCE naming the units, and nothing changes", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("Engineering", everyone()));
    ok(s, saveUnder("Platform", item("teams", "platform"), "Engineering"));
    ok(s, saveUnder("Core", item("teams", "core"), "Platform"));
    const json before = s.snapshot();
    const size_t depth = s.history.undoDepth();
    json r = s.command(saveUnder("Engineering", everyone(), "Core"));
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == "CIRCULAR_REFERENCE");
    std::string msg = r["error"]["message"];
    CHECK(msg.find("Engineering") != std::string::npos);
    CHECK(msg.find("Core") != std::string::npos);
    CHECK(msg.find("Engineering > Platform > Core") != std::string::npos);
    // Its own parent.
    r = s.command(saveUnder("Platform", everyone(), "platform"));
    CHECK(r["error"]["code"] == "CIRCULAR_REFERENCE");
    CHECK(r["error"]["message"].get<std::string>().find("Platform") != std::string::npos);
    // A new unit named as its own parent.
    r = s.command(saveUnder("Loop", everyone(), "Loop"));
    CHECK(r["error"]["code"] == "CIRCULAR_REFERENCE");
    // The typed move refuses the same way.
    MoveOrgUnitCmd move("Platform", OrgUnitParentRef::unit("Core"));
    CmdResult cr = s.execute(move);
    CHECK_FALSE(cr.ok);
    CHECK(cr.error.code == "CIRCULAR_REFERENCE");
    CHECK(s.snapshot() == before);
    CHECK(s.history.undoDepth() == depth);
    // The valid parents of Platform: neither itself nor what is inside it.
    std::vector<uint32_t> valid = orgUnitValidParents(s.dir, s.dir.findOrgUnit("Platform"));
    REQUIRE(valid.size() == 1);
    CHECK(valid[0] == s.dir.findOrgUnit("Engineering"));
}

TEST_CASE("saveOrgUnit without parent keeps the parent, parent null moves the unit to the top level", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("London", eq("site", "London")));
    ok(s, saveUnder("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "4"}}, "London"));
    CHECK(parentOf(s, "Seniors") == "London");
    // A filter edit without "parent" keeps it.
    ok(s, save("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}}));
    CHECK(parentOf(s, "Seniors") == "London");
    CHECK(members(s, "Seniors") == names({"Ada"}));
    // null: the top level, one undo step, filter untouched.
    const size_t depth = s.history.undoDepth();
    ok(s, saveUnder("Seniors", {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}}, nullptr));
    CHECK(parentOf(s, "Seniors").is_null());
    CHECK(s.history.undoDepth() == depth + 1);
    CHECK(members(s, "Seniors") == names({"Ada", "Alan"}));
    // A new unit without parent starts at the top level.
    ok(s, save("Paris", eq("site", "Paris")));
    CHECK(parentOf(s, "Paris").is_null());
    // The parent is found by name, ignoring case and spaces.
    ok(s, saveUnder("Paris", eq("site", "Paris"), "  LONDON "));
    CHECK(parentOf(s, "Paris") == "London");
    // Bad parents change nothing.
    const json before = s.snapshot();
    json r = s.command(saveUnder("Paris", eq("site", "Paris"), "Nowhere"));
    CHECK(r["error"]["code"] == "NOT_FOUND");
    CHECK(r["error"]["message"].get<std::string>().find("Nowhere") != std::string::npos);
    r = s.command(saveUnder("New", everyone(), "Nowhere"));
    CHECK(r["error"]["code"] == "NOT_FOUND");
    CHECK(s.command(saveUnder("Paris", eq("site", "Paris"), 3))["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command(saveUnder("Paris", eq("site", "Paris"), "  "))["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.snapshot() == before);
    // The refused new unit took no id.
    ok(s, save("Later", everyone()));
    CHECK(unitJson(s, "Later")["id"] == "o4");
}

TEST_CASE("org unit ids are stable and never reused, across delete, create, undo and redo", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("A", everyone()));
    ok(s, save("B", everyone()));
    CHECK(unitJson(s, "A")["id"] == "o1");
    CHECK(unitJson(s, "B")["id"] == "o2");
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "A"}});
    ok(s, save("C", everyone()));
    CHECK(unitJson(s, "C")["id"] == "o3");   // not A's id
    // Undo of C's creation, then a new unit: still a fresh id.
    REQUIRE(s.undo());
    CHECK(unitJson(s, "C").is_null());
    REQUIRE(s.undo());   // A comes back with its id
    CHECK(unitJson(s, "A")["id"] == "o1");
    REQUIRE(s.redo());
    REQUIRE(s.redo());   // C comes back with its id
    CHECK(unitJson(s, "C")["id"] == "o3");
    REQUIRE(s.undo());
    ok(s, save("D", everyone()));
    CHECK(unitJson(s, "D")["id"] == "o4");
    // A rename keeps the id; a re-created name gets a new one.
    ok(s, {{"op", "renameOrgUnit"}, {"name", "B"}, {"newName", "Bee"}});
    CHECK(unitJson(s, "Bee")["id"] == "o2");
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "D"}});
    ok(s, save("D", everyone()));
    CHECK(unitJson(s, "D")["id"] == "o5");
    // Every id in the snapshot is distinct.
    std::vector<std::string> ids;
    const json snap = s.snapshot();
    for (auto& u : snap["orgUnits"]) ids.push_back(u["id"]);
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}

TEST_CASE("deleting a unit moves its children up to its parent in the same undo step", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("Engineering", everyone()));
    ok(s, saveUnder("London", eq("site", "London"), "Engineering"));
    ok(s, saveUnder("Core", item("teams", "Core"), "London"));
    ok(s, saveUnder("Platform", item("teams", "Platform"), "London"));
    CHECK(members(s, "Platform") == names({"Ada", "Grace"}));
    const json before = s.snapshot();
    const size_t depth = s.history.undoDepth();
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "London"}});
    CHECK(s.history.undoDepth() == depth + 1);
    CHECK(parentOf(s, "Core") == "Engineering");
    CHECK(parentOf(s, "Platform") == "Engineering");
    CHECK(members(s, "Core") == names({"Ada", "Alan"}));   // no longer within London
    // A deleted top-level unit's children go to the top level.
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "Engineering"}});
    CHECK(parentOf(s, "Core").is_null());
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    CHECK(s.snapshot() == before);
}

TEST_CASE("renaming a unit keeps its children attached", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("London", eq("site", "London")));
    ok(s, saveUnder("Core", item("teams", "Core"), "London"));
    ok(s, {{"op", "renameOrgUnit"}, {"name", "London"}, {"newName", "UK"}});
    CHECK(parentOf(s, "Core") == "UK");
    CHECK(members(s, "Core") == names({"Ada"}));
    // The editor's rename-and-save keeps the parent too.
    RenameAndSaveCmd cmd("UK", "United Kingdom", SaveOrgUnitCmd("United Kingdom", eq("site", "London")));
    REQUIRE(s.execute(cmd).ok);
    CHECK(parentOf(s, "Core") == "United Kingdom");
}

TEST_CASE("snapshot orgUnits entries carry id and parent", "[orgunits][tree]") {
    Session s;
    seed(s);
    ok(s, save("Top", everyone()));
    ok(s, saveUnder("Child", eq("site", "Paris"), "Top"));
    json units = s.snapshot()["orgUnits"];
    REQUIRE(units.size() == 2);
    CHECK(units[0] == json{{"id", "o1"}, {"name", "Top"}, {"filter", everyone()}, {"parent", nullptr}});
    CHECK(units[1] == json{{"id", "o2"}, {"name", "Child"}, {"filter", eq("site", "Paris")}, {"parent", "Top"}});
}

TEST_CASE("the tree, the ids and the next id survive a save and a load", "[orgunits][tree][storage]") {
    Session a;
    seed(a);
    ok(a, save("Engineering", everyone()));
    ok(a, saveUnder("London", eq("site", "London"), "Engineering"));
    ok(a, saveUnder("Core", item("teams", "core"), "London"));
    ok(a, save("Gone", everyone()));
    ok(a, {{"op", "deleteOrgUnit"}, {"name", "Gone"}});
    // A unit moved under one created after it (parents are not always earlier in the list).
    ok(a, save("Later", everyone()));
    ok(a, saveUnder("Engineering", everyone(), "Later"));
    std::string dir = tempStoreDir();
    {
        Store st(dir);
        REQUIRE(st.save(a.dir).ok);
    }
    auto m = json::parse(slurp(dir + "/manifest.json"));
    CHECK(m["nextOrgUnitId"] == 6);
    CHECK(m["orgUnits"][1]["id"] == 2);
    CHECK(m["orgUnits"][1]["parent"] == 1);
    Session b;
    Store st(dir);
    StoreResult r = st.load(b.dir);
    REQUIRE(r.ok);
    CHECK(b.snapshot() == a.snapshot());
    CHECK(parentOf(b, "Engineering") == "Later");
    CHECK(members(b, "Core") == names({"Ada"}));
    // The deleted unit's id stays taken after the reload.
    ok(b, save("Next", everyone()));
    CHECK(unitJson(b, "Next")["id"] == "o6");
}

TEST_CASE("directories stored before units had ids and parents keep loading", "[orgunits][tree][storage][fixture]") {
    // The committed version-1 fixture, with org units in the shape of that time ({name, filter, alive}).
    const std::string fixture = std::string(ROSTER_SOURCE_DIR) + "/tests/fixtures/storage-v1";
    const std::string dir = tempStoreDir();
    REQUIRE(std::system(("mkdir -p " + dir + " && cp " + fixture + "/*.bin " + dir + "/").c_str()) == 0);
    json m = json::parse(slurp(fixture + "/manifest.json"));
    REQUIRE(m["format"] == 1);
    m["orgUnits"] = json::array({
        {{"name", "Payments"}, {"filter", eq("team_name", "Payments")}, {"alive", true}},
        {{"name", "Removed"}, {"filter", everyone()}, {"alive", false}},
        {{"name", "Platform"}, {"filter", eq("team_name", "Platform")}, {"alive", true}},
    });
    spit(dir + "/manifest.json", m.dump(1));
    Session b;
    Store st(dir);
    StoreResult r = st.load(b.dir);
    REQUIRE(r.ok);
    CHECK(r.migratedFrom == 1);
    json units = b.snapshot()["orgUnits"];
    REQUIRE(units.size() == 2);
    CHECK(units[0]["id"] == "o1");   // ids in list order, the dead unit's included
    CHECK(units[0]["parent"].is_null());
    CHECK(units[1]["id"] == "o3");
    CHECK(units[1]["name"] == "Platform");
    CHECK(members(b, "Payments").size() == 7);   // Populate: every third person is in Payments (u2 removed)
    // The migrated directory saves ids and parents, and a new unit never takes an old id.
    ok(b, saveUnder("Platform", eq("team_name", "Platform"), "Payments"));
    ok(b, save("New", everyone()));
    CHECK(unitJson(b, "New")["id"] == "o4");
    const std::string copy = tempStoreDir();
    {
        Store out(copy);
        REQUIRE(out.save(b.dir).ok);
    }
    Session c;
    Store in(copy);
    REQUIRE(in.load(c.dir).ok);
    CHECK(c.snapshot() == b.snapshot());

    // A format-3 directory written before the tree: no "id", "parent" or "nextOrgUnitId".
    Session a;
    seed(a);
    ok(a, save("London", eq("site", "London")));
    ok(a, save("Paris", eq("site", "Paris")));
    const std::string d3 = tempStoreDir();
    {
        Store out(d3);
        REQUIRE(out.save(a.dir).ok);
    }
    json m3 = json::parse(slurp(d3 + "/manifest.json"));
    REQUIRE(m3["format"] == 3);
    m3.erase("nextOrgUnitId");
    for (auto& u : m3["orgUnits"]) {
        u.erase("id");
        u.erase("parent");
    }
    spit(d3 + "/manifest.json", m3.dump(1));
    Session e;
    Store in3(d3);
    REQUIRE(in3.load(e.dir).ok);
    CHECK(e.snapshot() == a.snapshot());
}

TEST_CASE("a damaged stored tree loads: unknown parents and cycles become top-level units", "[orgunits][tree][storage]") {
    Session a;
    seed(a);
    ok(a, save("A", everyone()));
    ok(a, saveUnder("B", everyone(), "A"));
    ok(a, save("C", everyone()));
    const std::string dir = tempStoreDir();
    {
        Store out(dir);
        REQUIRE(out.save(a.dir).ok);
    }
    json m = json::parse(slurp(dir + "/manifest.json"));
    m["orgUnits"][0]["parent"] = 2;    // A under B, B under A: a cycle
    m["orgUnits"][2]["parent"] = 99;   // C under nothing known
    m["orgUnits"][2]["id"] = 1;        // and a duplicate id
    spit(dir + "/manifest.json", m.dump(1));
    Session b;
    Store st(dir);
    REQUIRE(st.load(b.dir).ok);
    CHECK(orgUnitTree(b.dir).size() == 3);
    CHECK(parentOf(b, "C").is_null());
    CHECK(unitJson(b, "C")["id"] != "o1");
    // Every unit is reachable and a move out of the damage works.
    CHECK(b.command(saveUnder("A", everyone(), nullptr))["ok"] == true);
    CHECK(parentOf(b, "A").is_null());
}

TEST_CASE("restoring a version brings back the tree", "[orgunits][tree][versions]") {
    Session s;
    seed(s);
    ok(s, save("London", eq("site", "London")));
    ok(s, saveUnder("Core", item("teams", "core"), "London"));
    const std::string dir = tempStoreDir();
    Store live(dir);
    REQUIRE(live.save(s.dir).ok);
    const json manifest = live.lastManifest();
    const json versionSnapshot = s.snapshot();
    ok(s, saveUnder("Core", item("teams", "core"), nullptr));
    ok(s, {{"op", "deleteOrgUnit"}, {"name", "London"}});
    ok(s, saveUnder("Paris", eq("site", "Paris"), "Core"));
    REQUIRE(live.save(s.dir).ok);
    const json edited = s.snapshot();
    Directory v;
    Store reader(dir);
    REQUIRE(reader.loadJson(v, manifest).ok);
    RestoreVersionCmd cmd(v, "v");
    REQUIRE(s.execute(cmd).ok);
    CHECK(s.snapshot() == versionSnapshot);
    CHECK(parentOf(s, "Core") == "London");
    REQUIRE(s.undo());
    CHECK(s.snapshot() == edited);
    // A new unit after the restore does not take the id of Paris (a unit the version never had).
    REQUIRE(s.redo());
    ok(s, save("Fresh", everyone()));
    CHECK(unitJson(s, "Fresh")["id"] == "o4");
}

TEST_CASE("importOrgUnits and the org-units file carry parents, in any order", "[orgunits][tree]") {
    Session s;
    seed(s);
    json file = {{"orgUnits", json::array({
        {{"name", "Core"}, {"filter", item("teams", "core")}, {"parent", "London"}},
        {{"name", "London"}, {"filter", eq("site", "London")}, {"parent", nullptr}},
        {{"name", "Flat"}, {"filter", everyone()}},
    })}};
    json cmd = file;
    cmd["op"] = "importOrgUnits";
    ok(s, cmd);
    CHECK(s.history.undoDepth() == 1);
    CHECK(parentOf(s, "Core") == "London");
    CHECK(members(s, "Core") == names({"Ada"}));
    // The exported file lists parents first and names them.
    json out = orgUnitsFile(s.dir);
    REQUIRE(out["orgUnits"].size() == 3);
    CHECK(out["orgUnits"][0]["name"] == "London");
    CHECK(out["orgUnits"][0]["parent"].is_null());
    CHECK(out["orgUnits"][1]["name"] == "Core");
    CHECK(out["orgUnits"][1]["parent"] == "London");
    // Imported into an empty directory with the same attributes, it gives the same tree.
    Session t;
    seed(t);
    json again = out;
    again["op"] = "importOrgUnits";
    ok(t, again);
    CHECK(orgUnitsFile(t.dir) == out);
    // A file whose parents form a cycle is refused whole.
    json bad = {{"op", "importOrgUnits"}, {"orgUnits", json::array({
        {{"name", "X"}, {"filter", everyone()}, {"parent", "Y"}},
        {{"name", "Y"}, {"filter", everyone()}, {"parent", "X"}},
    })}};
    const json before = s.snapshot();
    json r = s.command(bad);
    CHECK(r["error"]["code"] == "CIRCULAR_REFERENCE");
    CHECK(s.snapshot() == before);
}

TEST_CASE("hasItem matches one item of a list split on semicolons, ignoring case and spaces around items", "[filter][hasItem]") {
    Session s;
    seed(s);
    CHECK(query(s, item("teams", "Core")) == names({"Ada", "Alan"}));
    CHECK(query(s, item("teams", "PLATFORM")) == names({"Ada", "Grace"}));      // " platform " trimmed
    CHECK(query(s, item("teams", "  compilers ")) == names({"Grace"}));         // the needle is trimmed too
    CHECK(query(s, item("teams", "Core Platform")) == names({"Barbara"}));      // an item may hold spaces
    CHECK(query(s, item("teams", "Plat")).empty());                             // whole items only
    // One person in two units.
    ok(s, save("Core", item("teams", "core")));
    ok(s, save("Platform", item("teams", "platform")));
    CHECK(members(s, "Core") == names({"Ada", "Alan"}));
    CHECK(members(s, "Platform") == names({"Ada", "Grace"}));
    // Blank items are not items; a blank needle matches nobody.
    ok(s, {{"op", "setAttribute"}, {"ids", {"u4"}}, {"key", "teams"}, {"value", ";;Ops; ;"}});
    CHECK(query(s, item("teams", "ops")) == names({"Edsger"}));
    CHECK(query(s, item("teams", "")).empty());
    CHECK(query(s, item("teams", "   ")).empty());
    // Non-ASCII letters compare ignoring case.
    ok(s, {{"op", "setAttribute"}, {"ids", {"u5"}}, {"key", "teams"}, {"value", "Équipe;Ünïcode"}});
    CHECK(query(s, item("teams", "équipe")) == names({"Barbara"}));
    CHECK(query(s, item("teams", "ÜNÏCODE")) == names({"Barbara"}));
    // Negated, and on name (a value of one item).
    CHECK(query(s, {{"not", item("teams", "core")}}) == names({"Grace", "Edsger", "Barbara"}));
    CHECK(query(s, item("name", "ada")) == names({"Ada"}));
    // The needle is one item: one holding ';' is refused, as is a missing value.
    json r = s.query(item("teams", "Core;Platform"));
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "INVALID_FILTER");
    r = s.query({{"attribute", "teams"}, {"op", "hasItem"}});
    CHECK(r["error"]["code"] == "INVALID_FILTER");
}

TEST_CASE("hasItem reads and writes through the builder's filter tree and the op list", "[filter][hasItem]") {
    FilterOp op;
    REQUIRE(parseFilterOp("hasItem", op));
    CHECK(op == FilterOp::HasItem);
    CHECK(std::string(filterOpName(FilterOp::HasItem)) == "hasItem");
    CHECK(kFilterOpCount == 11);
    FilterTree t;
    REQUIRE(filterTreeFromJson(item("teams", "Core"), t));
    CHECK_FALSE(t.group);
    CHECK(t.op == FilterOp::HasItem);
    CHECK(filterTreeToJson(t) == item("teams", "Core"));
    // An unknown op's message lists hasItem among the ops.
    Session s;
    seed(s);
    json r = s.query({{"attribute", "teams"}, {"op", "hasitem"}, {"value", "x"}});
    CHECK(r["error"]["code"] == "INVALID_FILTER");
    CHECK(r["error"]["message"].get<std::string>().find("hasItem") != std::string::npos);
}
