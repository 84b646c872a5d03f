// Saves: round trips, only dirty chunks rewritten under a new generation, the files each save
// reports, copies made of those files only, old chunk files removed, chunks encoded ahead.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "session.h"
#include "store.h"
#include "store_test_util.h"

using namespace roster;
using namespace roster::testutil;

namespace {

// The chunk files encoded ahead and not yet renamed into place by a save (pre-*.tmp).
std::vector<std::string> preFiles(const std::string& dir) {
    std::vector<std::string> out;
    for (const std::string& n : testutil::listDir(dir))
        if (n.rfind("pre-", 0) == 0) out.push_back(n);
    return out;
}

// Copies exactly the named files from `from` to `to` (a name missing in `from` is removed from
// `to`): what the browser does with a save's changed files and IndexedDB.
void mirror(const std::string& from, const std::string& to, const std::vector<std::string>& names) {
    ::mkdir(to.c_str(), 0755);
    for (const std::string& n : names) {
        struct stat st;
        if (::stat((from + "/" + n).c_str(), &st) == 0) {
            std::ofstream(to + "/" + n, std::ios::binary) << slurp(from + "/" + n);
        } else {
            ::unlink((to + "/" + n).c_str());
        }
    }
}

}  // namespace

TEST_CASE("save then load gives back the same directory", "[storage]") {
    Session a;
    Populate pop(40000);   // several user and identity chunks
    REQUIRE(a.execute(pop).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u3", "u17"}}})["ok"] == true);
    std::string dir = tempStoreDir();
    Store st(dir);
    StoreResult r = st.save(a.dir);
    REQUIRE(r.ok);
    CHECK(r.filesWritten > 4);

    Session b;
    Store st2(dir);
    StoreResult l = st2.load(b.dir);
    REQUIRE(l.ok);
    CHECK_FALSE(l.empty);
    CHECK(b.snapshot() == a.snapshot());
    CHECK(b.dir.userCount() == 39998);
    CHECK(b.dir.nextUserId() == a.dir.nextUserId());
    // Ids stay stable and are never reused after a reload.
    auto added = b.command({{"op", "addUser"}, {"name", "New"}, {"email", "new@example.com"}});
    CHECK(added["id"] == "u" + std::to_string(a.dir.nextUserId()));
    CHECK(b.dir.findEmail("P5@EXAMPLE.COM") != kNone);
    CHECK(b.dir.findEmail("alias7@example.org") == b.dir.findEmail("p7@example.com"));
}

TEST_CASE("after a load every email and account lookup answers like in the directory that was saved", "[storage]") {
    Session a;
    Populate pop(30000);
    REQUIRE(a.execute(pop).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u10", "u11"}}})["ok"] == true);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    Session b;
    Store st2(dir);
    REQUIRE(st2.load(b.dir).ok);
    for (uint32_t slot = 0; slot < a.dir.slotCount(); ++slot) {
        std::string email(a.dir.userEmail(slot));
        CHECK(b.dir.findEmail(email) == a.dir.findEmail(email));
    }
    for (uint32_t ii = 0; ii < a.dir.identities().size(); ++ii) {
        const Identity& id = a.dir.identities()[ii];
        std::string acc(a.dir.s(id.account));
        CHECK(b.dir.findIdentity(id.integ, acc) == a.dir.findIdentity(id.integ, acc));
    }
    CHECK(b.dir.findEmail("alias7@example.org") == b.dir.findEmail("p7@example.com"));
    CHECK(b.dir.findEmail("p10@example.com") == kNone);
    REQUIRE(b.command({{"op", "addUser"}, {"name", "Late"}, {"email", "late@example.com"}})["ok"] == true);
    CHECK(b.dir.findEmail("LATE@example.com") != kNone);
}

TEST_CASE("one edit rewrites one user chunk and the manifest only", "[storage]") {
    Session a;
    Populate pop(50000);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u40000"}, {"name", "Renamed"}})["ok"] == true);
    StoreResult r = st.save(a.dir);
    REQUIRE(r.ok);
    CHECK(r.filesWritten == 2);   // users chunk 2 + manifest
    CHECK(r.bytesWritten < 2'000'000);
    Session b;
    Store st2(dir);
    REQUIRE(st2.load(b.dir).ok);
    CHECK(b.dir.userName(b.dir.slotOfId(40000)) == "Renamed");
    CHECK(b.snapshot() == a.snapshot());
    // Nothing changed: nothing but the manifest is written.
    r = st.save(a.dir);
    CHECK(r.filesWritten == 1);
}

TEST_CASE("a save reports exactly the files it wrote and removed", "[storage]") {
    Session a;
    Populate pop(50000);   // 4 user chunks, 3 identity chunks
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    StoreResult r = st.save(a.dir);
    REQUIRE(r.ok);
    CHECK(r.written.size() == r.filesWritten);
    CHECK(r.written.back() == "manifest.json");
    CHECK(r.removed.empty());
    CHECK(std::set<std::string>(r.written.begin(), r.written.end()) == listDir(dir));
    CHECK(st.takeChanged().size() == r.written.size());
    CHECK_FALSE(st.hasChanged());

    // One edit: the user chunk, then the previous manifest (kept as the fallback), then the manifest.
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u40000"}, {"name", "Renamed"}})["ok"] == true);
    r = st.save(a.dir);
    REQUIRE(r.ok);
    CHECK(r.written == std::vector<std::string>{"users-2.2.bin", "manifest.prev.json", "manifest.json"});
    CHECK(r.removed.empty());
    CHECK(st.takeChanged() == std::vector<std::string>{"manifest.json", "manifest.prev.json", "users-2.2.bin"});

    // The next edit of that chunk removes the chunk only the save before the previous one used.
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u40001"}, {"name", "Renamed too"}})["ok"] == true);
    r = st.save(a.dir);
    REQUIRE(r.ok);
    CHECK(r.written == std::vector<std::string>{"users-2.3.bin", "manifest.prev.json", "manifest.json"});
    CHECK(r.removed == std::vector<std::string>{"users-2.1.bin"});
    struct stat sb;
    CHECK(::stat((dir + "/users-2.1.bin").c_str(), &sb) != 0);
    for (auto& w : r.written) CHECK(::stat((dir + "/" + w).c_str(), &sb) == 0);
}

TEST_CASE("copying only the changed files of each save keeps a loadable copy, also across a failed copy", "[storage]") {
    Session a;
    Populate pop(40000);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir(), copy = dir + "-copy";
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    mirror(dir, copy, st.takeChanged());
    for (int i = 0; i < 6; ++i) {
        json edit = a.command({{"op", "updateUser"}, {"id", "u" + std::to_string(1 + i * 7000)}, {"name", "Edit " + std::to_string(i)}});
        INFO(edit.dump());
        REQUIRE(edit["ok"] == true);
        if (i == 2) REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u5"}}})["ok"] == true);
        REQUIRE(st.save(a.dir).ok);
        std::vector<std::string> changed = st.takeChanged();
        if (i % 3 == 1) {
            st.keepChanged(changed);   // this copy "failed": the next one must carry these files too
            continue;
        }
        mirror(dir, copy, changed);
        Session b;
        Store reader(copy);
        StoreResult l = reader.load(b.dir);
        REQUIRE(l.ok);
        CHECK(l.notices.empty());
        CHECK(b.snapshot() == a.snapshot());
        CHECK(listDir(copy) == listDir(dir));
    }
}

TEST_CASE("old chunk files are cleaned up but the fallback's are kept", "[storage]") {
    Session a;
    Populate pop(50);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(a.command({{"op", "updateUser"}, {"id", "u1"}, {"name", "Name " + std::to_string(i)}})["ok"] == true);
        REQUIRE(st.save(a.dir).ok);
    }
    size_t bins = 0;
    if (DIR* dp = opendir(dir.c_str())) {
        while (dirent* e = readdir(dp)) {
            std::string n = e->d_name;
            if (n.size() > 4 && n.substr(n.size() - 4) == ".bin") ++bins;
        }
        closedir(dp);
    }
    // users-0, ident-0, alias-0 of the latest save + users-0 of the previous one.
    CHECK(bins == 4);
}

TEST_CASE("chunks encoded ahead of a save (preEncode) are written only while their chunk is unchanged", "[storage][format3]") {
    Session a;
    Mixed mix(40000);   // 3 user chunks, 3 identity chunks
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    // The first save of a store writes every chunk: encode them ahead a chunk per call.
    int calls = 0;
    while (!st.preEncode(a.dir, std::chrono::steady_clock::now())) ++calls;   // a past deadline: one chunk a call
    CHECK(calls == 5);   // the sixth call encodes the last chunk and answers true
    CHECK(st.preEncodedChunks() == 6);
    // Each is written to a file of its own at once; the save renames them into place.
    CHECK(preFiles(dir) == std::vector<std::string>{"pre-ident-0.tmp", "pre-ident-1.tmp", "pre-ident-2.tmp", "pre-users-0.tmp",
                                                    "pre-users-1.tmp", "pre-users-2.tmp"});
    // Edits after the encoding: user chunk 0 (slots 5 and 9), user chunk 2 (slot 39000) and the
    // last identity chunk; user chunk 1 stays as encoded.
    SetAttr e1(0, 5, "Edited after encoding");
    REQUIRE(a.execute(e1).ok);
    SetAttr e2(1, 39000, "E-late");
    REQUIRE(a.execute(e2).ok);
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u10"}, {"name", "Renamed Person"}})["ok"] == true);
    const uint32_t lastIdent = uint32_t(a.dir.identities().size() - 1);
    REQUIRE(a.command({{"op", "setIdentityExcluded"}, {"integration", a.dir.s(a.dir.integrations()[a.dir.identities()[lastIdent].integ].name)},
                       {"accountId", a.dir.s(a.dir.identities()[lastIdent].account)}, {"excluded", true}})["ok"] == true);
    StoreResult w = st.save(a.dir);
    REQUIRE(w.ok);
    CHECK(st.preEncodedChunks() == 0);
    CHECK(preFiles(dir).empty());     // renamed (unchanged chunks) or removed (edited ones)
    CHECK(w.filesWritten == 8);       // 6 chunks, aliases, manifest
    CHECK(std::count_if(w.written.begin(), w.written.end(), [](const std::string& f) { return f.rfind("users-1.", 0) == 0; }) == 1);
    Session b;
    Store st2(dir);
    REQUIRE(st2.load(b.dir).ok);
    CHECK(b.snapshot() == a.snapshot());
    CHECK(b.dir.attrValue(0, 5) == "Edited after encoding");
    CHECK(b.dir.attrValue(1, 39000) == "E-late");
    CHECK(b.dir.identities()[lastIdent].flags == a.dir.identities()[lastIdent].flags);
    // The chunks nobody touched are byte for byte what a plain save writes.
    Session c;
    Mixed mix2(40000);
    REQUIRE(c.execute(mix2).ok);
    CHECK(encodeUserChunk(c.dir, kUsersPerChunk, kUsersPerChunk) == encodeUserChunk(b.dir, kUsersPerChunk, kUsersPerChunk));

    // Later: an edit, encoded ahead, then another edit to the same chunk before the save.
    SetAttr e3(0, 7, "First");
    REQUIRE(b.execute(e3).ok);
    REQUIRE(st2.preEncode(b.dir, std::chrono::steady_clock::time_point::max()));
    CHECK(st2.preEncodedChunks() == 1);
    SetAttr e4(0, 8, "Second");
    REQUIRE(b.execute(e4).ok);
    REQUIRE(st2.save(b.dir).ok);
    CHECK(preFiles(dir).empty());     // the stale encoding's file is removed, not left behind
    // An encoding made ahead whose file went missing (e.g. a sync from IndexedDB replaced the
    // folder's files) is made again by the save.
    SetAttr e5(1, 20000, "After the file went");
    REQUIRE(b.execute(e5).ok);
    REQUIRE(st2.preEncode(b.dir, std::chrono::steady_clock::time_point::max()));
    REQUIRE(preFiles(dir) == std::vector<std::string>{"pre-users-1.tmp"});
    REQUIRE(::unlink((dir + "/pre-users-1.tmp").c_str()) == 0);
    REQUIRE(st2.save(b.dir).ok);
    Session d;
    Store st3(dir);
    REQUIRE(st3.load(d.dir).ok);
    CHECK(d.dir.attrValue(0, 7) == "First");
    CHECK(d.dir.attrValue(0, 8) == "Second");
    CHECK(d.dir.attrValue(1, 20000) == "After the file went");
    CHECK(d.snapshot() == b.snapshot());
}
