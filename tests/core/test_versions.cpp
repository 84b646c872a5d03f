// Restoring a stored version is one undoable command that gives back the version exactly.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "sei.h"
#include "session.h"
#include "store.h"
#include "versions.h"

using namespace roster;

static std::string tmpStore() {
    char tmpl[] = "/tmp/roster-ver-XXXXXX";
    char* d = mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    return std::string(d) + "/store";
}

static void importCsv(Session& s, const std::string& csv, ImportMode mode) {
    auto plan = std::make_shared<ImportPlan>(planImport(s.dir, csv, mode));
    REQUIRE(plan->ok());
    ImportCmd cmd(plan);
    REQUIRE(s.execute(cmd).ok);
}

TEST_CASE("restore a version: exact state back, one undo step", "[versions]") {
    Session s;
    importCsv(s,
              "Full_Name,Email,Team_name,Integration: Github\r\n"
              "Ada,ada@example.com,Core,ada-gh\r\nGrace,grace@example.com,Compilers,grace-gh\r\nBot,,,dependabot[bot]\r\n",
              ImportMode::Update);
    // Keep a version (as the platform does: save, remember the manifest).
    std::string dir = tmpStore();
    Store live(dir);
    REQUIRE(live.save(s.dir).ok);
    const json versionManifest = live.lastManifest();
    const json versionSnapshot = s.snapshot();

    // Edit a lot: rename, remove, add, new attribute and integration by import, org unit-free.
    REQUIRE(s.command({{"op", "updateUser"}, {"id", "u1"}, {"name", "Ada Lovelace"}})["ok"] == true);
    REQUIRE(s.command({{"op", "removeUsers"}, {"ids", {"u2"}}})["ok"] == true);
    REQUIRE(s.command({{"op", "addUser"}, {"name", "New"}, {"email", "new@example.com"}})["ok"] == true);
    importCsv(s, "Full_Name,Email,Level,Integration: Jira\r\nAda,ada@example.com,3,J-1\r\nZed,zed@example.com,1,J-2\r\n", ImportMode::Update);
    REQUIRE(live.save(s.dir).ok);   // the live store moves on; the version's chunks stay referenced by its manifest
    const json editedSnapshot = s.snapshot();
    REQUIRE(editedSnapshot != versionSnapshot);

    // Load the version from its manifest (the chunks: this store's folder).
    Directory v;
    Store reader(dir);
    // Chunk files of the version may have been replaced by later saves: keep a copy as the
    // platform's version cache does.
    StoreResult r = reader.loadJson(v, versionManifest);
    INFO("the version's chunks load from the live folder: " << r.error.message);
    REQUIRE(r.ok);
    {
        RestoreVersionCmd cmd(v, "test version");
        REQUIRE(s.execute(cmd).ok);
        json restored = s.snapshot();
        // Attributes/integrations created after the version are gone from the snapshot too.
        CHECK(restored == versionSnapshot);
        VersionDiff none = diffVersion(s.dir, v);
        CHECK(none.added + none.removed + none.changed == 0);
        REQUIRE(s.undo());
        CHECK(s.snapshot() == editedSnapshot);
        VersionDiff diff = diffVersion(s.dir, v);
        CHECK(diff.added == 2);     // New, Zed
        CHECK(diff.removed == 1);   // Grace
        CHECK(diff.changed == 1);   // Ada: name
        REQUIRE(s.redo());
        CHECK(s.snapshot() == versionSnapshot);
    }
}

TEST_CASE("restore through a copy of the version's chunks (the version cache)", "[versions]") {
    Session s;
    importCsv(s, "Full_Name,Email,Integration: Github\r\nAda,ada@example.com,ada-gh\r\n", ImportMode::Update);
    std::string dir = tmpStore();
    Store live(dir);
    REQUIRE(live.save(s.dir).ok);
    json manifest = live.lastManifest();
    json snap = s.snapshot();
    // Copy the version's chunk files into a cache folder, as the page does into /vcache.
    std::string cache = tmpStore() + "-cache";
    REQUIRE(std::system(("mkdir -p " + cache + " && cp " + dir + "/*.bin " + cache + "/").c_str()) == 0);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(s.command({{"op", "updateUser"}, {"id", "u1"}, {"name", "Name " + std::to_string(i)}})["ok"] == true);
        REQUIRE(live.save(s.dir).ok);   // old chunks get deleted from the live folder
    }
    Directory v;
    Store reader(dir);
    reader.extraDirs_ = {cache};
    REQUIRE(reader.loadJson(v, manifest).ok);
    RestoreVersionCmd cmd(v, "v1");
    REQUIRE(s.execute(cmd).ok);
    CHECK(s.snapshot() == snap);
}
