// Issue 18, part 1: records and text that nothing can reach any more are given back. An undone
// import's records stay (redo brings them back in place) until its redo is gone: then the next
// import takes their slots and its text their place in the pool, so the SEI loop (import, undo,
// import again) keeps the directory's memory flat. Ids are never given out twice, and versions are
// restored by id, so a version kept before the slots were taken again still restores exactly.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "sei.h"
#include "session.h"
#include "store.h"
#include "versions.h"

using namespace roster;

namespace {

std::string tmpStore() {
    char tmpl[] = "/tmp/roster-reclaim-XXXXXX";
    char* d = mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    return std::string(d) + "/store";
}

// n people (team t<i % 7>), each with a GitHub account; `changed` of them (every 100th) with
// another team, spelt with `tag`.
std::string seiFile(int n, const std::string& tag = "", int every = 0) {
    std::string s = "Full_Name,Email,Team_name,Integration: Github\r\n";
    for (int i = 0; i < n; ++i) {
        std::string team = "team-" + std::to_string(i % 7);
        if (every && i % every == 0) team = "moved-" + tag + "-" + std::to_string(i);
        s += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@example.com," + team + ",gh-" + std::to_string(i) + "\r\n";
    }
    return s;
}

void importCsv(Session& s, const std::string& csv, ImportMode mode) {
    auto plan = std::make_shared<ImportPlan>(planImport(s.dir, csv, mode));
    REQUIRE(plan->ok());
    ImportCmd cmd(plan);
    REQUIRE(s.execute(cmd).ok);
}

// The ids of the live people, in slot order.
std::vector<uint32_t> liveIds(const Directory& d) {
    std::vector<uint32_t> r;
    for (uint32_t s = 0; s < d.slotCount(); ++s)
        if (d.userAlive(s)) r.push_back(d.userId(s));
    return r;
}

}  // namespace

TEST_CASE("an undone import's records are given back when its redo ends, and the next import takes their place", "[reclaim]") {
    Session s;
    importCsv(s, "Full_Name,Email\r\nKept,kept@example.com\r\n", ImportMode::Update);
    const uint32_t baseSlots = s.dir.slotCount();
    const size_t baseIdents = s.dir.identities().size();
    const std::string file = seiFile(3000);
    importCsv(s, file, ImportMode::Update);
    REQUIRE(s.dir.slotCount() == baseSlots + 3000);
    const uint32_t firstNewId = s.dir.userId(baseSlots);
    const size_t poolAfterFirst = s.dir.pool().bytesReserved();
    const size_t memAfterFirst = s.dir.memoryBytes();
    const json first = s.snapshot();

    REQUIRE(s.undo());
    // Undone, not given back: redo brings the same records back in place.
    CHECK(s.dir.slotCount() == baseSlots + 3000);
    REQUIRE(s.redo());
    CHECK(s.snapshot() == first);
    REQUIRE(s.undo());

    // Three rounds of: import again (the redo ends), then undo it.
    for (int round = 0; round < 3; ++round) {
        importCsv(s, file, ImportMode::Update);
        INFO("round " << round);
        CHECK(s.dir.slotCount() == baseSlots + 3000);                // the undone records' slots, taken again
        CHECK(s.dir.identities().size() == baseIdents + 3000);
        CHECK(s.dir.pool().bytesReserved() == poolAfterFirst);       // the undone import's text, given back
        CHECK(s.dir.memoryBytes() <= memAfterFirst + memAfterFirst / 20);
        CHECK(s.dir.userCount() == 3001);
        // Ids are never given out twice: the new people have new ids.
        CHECK(s.dir.userId(baseSlots) == firstNewId + uint32_t(3000 * (round + 1)));
        CHECK(s.dir.findEmail("p2999@example.com") == baseSlots + 2999);
        CHECK(s.dir.slotOfId(s.dir.userId(baseSlots + 5)) == baseSlots + 5);
        CHECK(s.dir.slotOfId(firstNewId) == kNone);                  // the given-back person is gone for good
        uint32_t n = 0;
        const uint32_t* acc = s.dir.identitiesOf(baseSlots + 10, n);
        REQUIRE(n == 1);
        CHECK(s.dir.s(s.dir.identities()[acc[0]].account) == "gh-10");
        CHECK(s.dir.attrValue(s.dir.findAttr("team_name"), baseSlots + 10) == "team-3");
        REQUIRE(s.undo());
        CHECK(s.dir.userCount() == 1);
    }
    CHECK(s.history.reclaimed().users == 3 * 3000);
    CHECK(s.history.reclaimed().idents == 3 * 3000);
    CHECK(s.history.reclaimed().poolBytes > 0);
    // The person kept from before every import is untouched.
    CHECK(s.dir.userName(s.dir.findEmail("kept@example.com")) == "Kept");
}

TEST_CASE("a changed re-import undone and dropped gives back its text, and an edit that ends a redo gives back the records", "[reclaim]") {
    Session s;
    const std::string file = seiFile(2000);
    importCsv(s, file, ImportMode::Update);
    const size_t poolAfterFirst = s.dir.pool().bytesReserved();
    const uint32_t team = s.dir.findAttr("team_name");
    // A 1 % changed copy, undone; another changed copy takes its place.
    importCsv(s, seiFile(2000, "a", 100), ImportMode::Update);
    CHECK(s.dir.attrValue(team, s.dir.findEmail("p100@example.com")) == "moved-a-100");
    REQUIRE(s.undo());
    CHECK(s.dir.attrValue(team, s.dir.findEmail("p100@example.com")) == "team-2");
    importCsv(s, seiFile(2000, "b", 100), ImportMode::Update);
    CHECK(s.dir.attrValue(team, s.dir.findEmail("p100@example.com")) == "moved-b-100");
    CHECK(s.dir.pool().bytesReserved() == poolAfterFirst);   // the changed values sit in the first block's room
    CHECK(s.dir.slotCount() == 2000);

    // An ordinary edit ends a redo too: the undone import's records go, the edit's own stay.
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    REQUIRE(s.dir.userCount() == 0);
    REQUIRE(s.command({{"op", "addUser"}, {"name", "Solo"}, {"email", "solo@example.com"}})["ok"] == true);
    // The new person takes the first of the undone people's slots (the add ran again once they
    // were given back), and the accounts go too.
    CHECK(s.dir.slotCount() == 1);
    CHECK(s.dir.identities().size() == 0);
    CHECK(s.dir.userCount() == 1);
    CHECK(s.dir.userName(0) == "Solo");
    REQUIRE(s.undo());
    // The next import ends the add's redo: every slot is given back and taken again.
    importCsv(s, file, ImportMode::Update);
    CHECK(s.dir.slotCount() == 2000);
    CHECK(s.dir.userCount() == 2000);
    CHECK(s.history.reclaimed().refused == 0);
}

TEST_CASE("a version kept before the slots were taken again restores by id, exactly, and undoes", "[reclaim][versions]") {
    Session s;
    importCsv(s, "Full_Name,Email,Integration: Jira\r\nKept,kept@example.com,K-1\r\n", ImportMode::Update);
    importCsv(s, seiFile(500), ImportMode::Update);
    REQUIRE(s.command({{"op", "updateUser"}, {"id", "u1"}, {"name", "Kept Renamed"}})["ok"] == true);
    std::string dir = tmpStore();
    Store live(dir);
    REQUIRE(live.save(s.dir).ok);
    const json versionManifest = live.lastManifest();
    const json versionSnapshot = s.snapshot();
    const std::vector<uint32_t> versionIds = liveIds(s.dir);

    // Undo the rename and the import, then another import takes the slots (other people, other ids).
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    importCsv(s, seiFile(300), ImportMode::Update);
    importCsv(s, "Full_Name,Email,Integration: Github\r\nOther,other@example.com,gh-x\r\n", ImportMode::Update);
    REQUIRE(s.history.reclaimed().users == 500);
    REQUIRE(s.dir.slotCount() == 1 + 300 + 1);
    REQUIRE(live.save(s.dir).ok);
    const json editedSnapshot = s.snapshot();

    Directory v;
    Store reader(dir);
    REQUIRE(reader.loadJson(v, versionManifest).ok);
    // The version's slot 5 is someone else now.
    REQUIRE(v.userId(5) != s.dir.userId(5));
    VersionDiff diff = diffVersion(s.dir, v);
    CHECK(diff.added == 301);     // the 300 people of the second import and Other (their ids are new)
    CHECK(diff.removed == 500);   // the first import's people
    CHECK(diff.changed == 1);     // Kept: the rename
    RestoreVersionCmd cmd(v, "before");
    REQUIRE(s.execute(cmd).ok);
    CHECK(s.snapshot() == versionSnapshot);
    CHECK(liveIds(s.dir).size() == versionIds.size());
    for (uint32_t id : versionIds) CHECK(s.dir.userAlive(s.dir.slotOfId(id)));
    VersionDiff none = diffVersion(s.dir, v);
    CHECK(none.added + none.removed + none.changed == 0);
    // The restored people's ids are older than the ones before them in the slots: found by id all the same.
    const uint32_t p42 = s.dir.findEmail("p42@example.com");
    REQUIRE(p42 != kNone);
    CHECK(s.dir.slotOfId(s.dir.userId(p42)) == p42);
    REQUIRE(s.undo());
    CHECK(s.snapshot() == editedSnapshot);
    REQUIRE(s.redo());
    CHECK(s.snapshot() == versionSnapshot);
    // Saved and loaded again, the restored directory is the same.
    REQUIRE(live.save(s.dir).ok);
    Session t;
    Store again(dir);
    REQUIRE(again.load(t.dir).ok);
    CHECK(t.snapshot() == versionSnapshot);
}

TEST_CASE("a store saved after slots were given back loads the shorter directory", "[reclaim][store]") {
    Session s;
    importCsv(s, seiFile(40000), ImportMode::Update);   // three user chunks, two account chunks
    std::string dir = tmpStore();
    Store live(dir);
    REQUIRE(live.save(s.dir).ok);
    REQUIRE(s.undo());
    importCsv(s, seiFile(20000, "x", 1000), ImportMode::Update);   // two user chunks, the second shorter
    REQUIRE(s.dir.slotCount() == 20000);
    REQUIRE(live.save(s.dir).ok);
    const json saved = s.snapshot();
    Session t;
    Store again(dir);
    StoreResult r = again.load(t.dir);
    INFO(r.error.message);
    REQUIRE(r.ok);
    CHECK(t.dir.slotCount() == 20000);
    CHECK(t.snapshot() == saved);
    CHECK(t.dir.attrValue(t.dir.findAttr("team_name"), t.dir.findEmail("p1000@example.com")) == "moved-x-1000");
}

TEST_CASE("an edit that makes records of one kind while another kind was undone keeps its own records", "[reclaim]") {
    Session s;
    importCsv(s, "Full_Name,Email,Integration: Github\r\nAda,ada@example.com,ada-gh\r\n", ImportMode::Update);
    // An account added by hand, undone: an account record waits for redo.
    REQUIRE(s.command({{"op", "addIdentity"}, {"id", "u1"}, {"integration", "Github"}, {"accountId", "ada-2"}})["ok"] == true);
    const size_t idents = s.dir.identities().size();
    REQUIRE(s.undo());
    // A new person: a user record (none undone below it), no account.
    const json added = s.command({{"op", "addUser"}, {"name", "Bo"}, {"email", "bo@example.com"}});
    REQUIRE(added["ok"] == true);
    CHECK(s.dir.userCount() == 2);
    CHECK(s.dir.findEmail("bo@example.com") != kNone);
    CHECK(s.dir.identities().size() == idents - 1);   // the undone account is given back
    CHECK(s.history.reclaimed().refused == 0);
    CHECK(s.history.reclaimed().idents == 1);
    REQUIRE(s.undo());
    CHECK(s.dir.userCount() == 1);
    REQUIRE(s.redo());
    CHECK(s.dir.userName(s.dir.findEmail("bo@example.com")) == "Bo");
}
