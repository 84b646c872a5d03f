// Damaged files: a chunk that fails its checksum or does not decode is never loaded, and a damaged
// latest save falls back to the previous one (manifest.prev.json) with a notice.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "session.h"
#include "store.h"
#include "store_test_util.h"

using namespace roster;
using namespace roster::testutil;

TEST_CASE("a corrupted chunk is detected by its checksum and nothing is loaded", "[storage]") {
    Session a;
    Populate pop(100);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    std::string manifest = slurp(dir + "/manifest.json");
    auto m = json::parse(manifest);
    std::string file = m["chunks"][0]["file"];
    {
        std::fstream f(dir + "/" + file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(40);
        f.put('\x7f');
    }
    Session b;
    Store st2(dir);
    StoreResult r = st2.load(b.dir);
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "STORAGE_CORRUPT");
    CHECK(b.dir.userCount() == 0);
}

TEST_CASE("a damaged format-3 chunk with a matching checksum is reported, never loaded", "[storage][format3]") {
    Session a;
    Mixed mix(3000);
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    const std::string manifest = slurp(dir + "/manifest.json");
    auto m = json::parse(manifest);
    std::mt19937 rng(11);
    int corrupt = 0, loaded = 0;
    for (size_t ci = 0; ci < m["chunks"].size(); ++ci) {
        const std::string file = m["chunks"][ci]["file"];
        const std::string good = slurp(dir + "/" + file);
        for (int t = 0; t < 40; ++t) {
            std::string bad = good;
            if (t % 5 == 0) bad.resize(rng() % bad.size());                   // truncated
            else for (int k = 0; k < 1 + t % 3; ++k) bad[16 + rng() % (bad.size() - 16)] ^= char(1 + rng() % 255);
            spit(dir + "/" + file, bad);
            // The checksum is made to match: the decoder itself must catch the damage.
            auto m2 = m;
            m2["chunks"][ci]["crc32"] = crc32Fast(bad.data(), bad.size());
            spit(dir + "/manifest.json", m2.dump());
            Session b;
            Store reader(dir);
            StoreResult r = reader.load(b.dir);
            if (r.ok) {
                ++loaded;   // a flipped byte inside a string's text is not detectable without the checksum
            } else {
                ++corrupt;
                CHECK(r.error.code == "STORAGE_CORRUPT");
                CHECK(b.dir.userCount() == 0);
            }
        }
        spit(dir + "/" + file, good);
    }
    spit(dir + "/manifest.json", manifest);
    CHECK(corrupt > loaded);
    // With the real checksums, any damage is caught by the checksum first.
    const std::string file = m["chunks"][0]["file"];
    std::string bad = slurp(dir + "/" + file);
    bad[bad.size() / 2] ^= 0x40;
    spit(dir + "/" + file, bad);
    Session b;
    Store reader(dir);
    StoreResult r = reader.load(b.dir);
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "STORAGE_CORRUPT");
}

TEST_CASE("a damaged latest save falls back to the previous one, with a notice", "[storage]") {
    Session a;
    Populate pop(100);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    const json firstSave = a.snapshot();
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u5"}, {"name", "Changed"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u6"}, {"name", "Changed too"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    // Damage the chunk the latest save wrote.
    auto m = json::parse(slurp(dir + "/manifest.json"));
    std::string file = m["chunks"][0]["file"];
    { std::ofstream(dir + "/" + file, std::ios::binary | std::ios::trunc) << "garbage"; }
    Session b;
    Store st2(dir);
    StoreResult r = st2.load(b.dir);
    REQUIRE(r.ok);
    CHECK(r.recovered);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].code == "STORAGE_RECOVERED");
    CHECK(b.dir.userName(b.dir.slotOfId(5)) == "Changed");        // the previous save
    CHECK(b.dir.userName(b.dir.slotOfId(6)) != "Changed too");    // not the damaged one
    // Saving again writes a complete, readable directory.
    REQUIRE(st2.save(b.dir).ok);
    Session c;
    Store st3(dir);
    StoreResult r3 = st3.load(c.dir);
    REQUIRE(r3.ok);
    CHECK_FALSE(r3.recovered);
    CHECK(c.snapshot() == b.snapshot());
    CHECK(c.snapshot() != firstSave);
}

TEST_CASE("a damaged format-3 chunk of the latest save falls back to the previous save", "[storage][format3]") {
    Session a;
    Mixed mix(20000);
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u5"}, {"name", "First edit"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    const json before = a.snapshot();
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u6"}, {"name", "Second edit"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    auto m = json::parse(slurp(dir + "/manifest.json"));
    std::string file = m["chunks"][0]["file"];
    std::string bytes = slurp(dir + "/" + file);
    bytes[40] ^= 0x5A;
    spit(dir + "/" + file, bytes);
    Session b;
    Store st2(dir);
    StoreResult r = st2.load(b.dir);
    REQUIRE(r.ok);
    CHECK(r.recovered);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].code == "STORAGE_RECOVERED");
    CHECK(b.snapshot() == before);
}
