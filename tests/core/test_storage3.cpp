// Storage format 3: the LZ codec, dictionary columns, damaged chunks, and reading format 2.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "lz.h"
#include "session.h"
#include "store.h"
#include "store_test_util.h"
#include "text.h"

using namespace roster;

namespace {

std::string tempDir3() { return testutil::tempStoreDir("roster-store3"); }

// The chunk files encoded ahead and not yet renamed into place by a save (pre-*.tmp).
std::vector<std::string> preFiles(const std::string& dir) {
    std::vector<std::string> out;
    for (const std::string& n : testutil::listDir(dir))
        if (n.rfind("pre-", 0) == 0) out.push_back(n);
    return out;
}

std::string slurp3(const std::string& path) { return testutil::slurp(path); }

void spit3(const std::string& path, const std::string& data) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

std::string roundTrip(const std::string& in) {
    std::string z;
    lzCompress(in.data(), in.size(), z);
    std::string out(in.size(), '\0');
    REQUIRE(lzDecompress(z.data(), z.size(), out.empty() ? nullptr : &out[0], out.size()));
    return out;
}

// Users with attribute columns of every shape: few distinct values (a dictionary), all distinct
// (plain), mostly empty, one very long value; accounts with and without owners; aliases; removed users.
struct Mixed : Command {
    int users;
    explicit Mixed(int n) : users(n) {}
    std::string label() const override { return "mixed"; }
    CmdResult apply(Tx& tx) override {
        uint32_t team = tx.createAttr("team_name", "Team Name", "Team_name", AttrType::Text);
        uint32_t uniq = tx.createAttr("employee_no", "Employee no", "Employee_no", AttrType::Text);
        uint32_t sparse = tx.createAttr("note", "Note", "Note", AttrType::Text);
        uint32_t mgr = tx.createAttr("manager_email", "Manager", "Manager_email", AttrType::Text);
        uint32_t gh = tx.createIntegration("GitHub", IntegKind::Scm);
        uint32_t pd = tx.createIntegration("PagerDuty", IntegKind::Other);
        uint32_t jira = tx.createIntegration("Jira", IntegKind::Issues);
        const char* teams[] = {"Platform", "Payments", "Growth", "Ünïcödé Team", "Infra"};
        std::string longValue;
        for (int k = 0; k < 9000; ++k) longValue += "abcdefgh"[k % 8];
        for (int i = 0; i < users; ++i) {
            uint32_t slot = tx.createUser("Person " + std::to_string(i) + " Øre", "p" + std::to_string(i) + "@acme-corp.com");
            tx.setAttr(team, slot, teams[i % 5]);
            tx.setAttr(uniq, slot, "E" + std::to_string(1000000 + i * 7));
            if (i % 1000 == 3) tx.setAttr(sparse, slot, i == 3 ? longValue : "note " + std::to_string(i));
            tx.setAttr(mgr, slot, "boss" + std::to_string(i % 300) + "@acme-corp.com");
            tx.createIdentity(gh, "gh-" + std::to_string(i * 13 % 100003), i % 4 ? "" : "Display " + std::to_string(i), slot);
            if (i % 3 == 0) tx.createIdentity(pd, "P" + std::to_string(i * 7919 % 1000003), "", slot);
            if (i % 11 == 0) tx.createAlias("alt" + std::to_string(i) + "@acme-corp.com", slot);
            if (i % 2 == 0) {   // Jira-style hex account ids (stored packed)
                char hex[32];
                std::snprintf(hex, sizeof hex, "%08x%08x%08x", unsigned(i * 2654435761u), unsigned(i), unsigned(~i));
                tx.createIdentity(jira, hex, "", slot);
            }
        }
        tx.createIdentity(gh, "renovate[bot]", "renovate", kNone);
        // Almost-hex accounts stay plain: odd length, upper case, too short, a non-hex letter.
        for (const char* acc : {"abcdef012", "ABCDEF0123", "abcdef", "0123456789abcdeg", "00000000", "ffffffffffffffff"})
            tx.createIdentity(jira, acc, "", kNone);
        return {};
    }
};

struct SetAttr : Command {
    uint32_t attr, slot;
    std::string value;
    SetAttr(uint32_t a, uint32_t s, std::string v) : attr(a), slot(s), value(std::move(v)) {}
    std::string label() const override { return "set"; }
    CmdResult apply(Tx& tx) override {
        tx.setAttr(attr, slot, value);
        return {};
    }
};

}  // namespace

TEST_CASE("the LZ codec gives back every input, and refuses damaged input without reading out of bounds", "[storage][lz]") {
    std::mt19937 rng(7);
    CHECK(roundTrip("").empty());
    CHECK(roundTrip("a") == "a");
    CHECK(roundTrip("abcd") == "abcd");
    std::string runs(100000, 'x');   // overlapping matches (offset 1), long length bytes
    CHECK(roundTrip(runs) == runs);
    std::string z;
    lzCompress(runs.data(), runs.size(), z);
    CHECK(z.size() < 1000);
    for (int t = 0; t < 200; ++t) {
        const size_t n = rng() % (t < 100 ? 300 : 70000);
        std::string s(n, '\0');
        const int alphabet = 1 + int(rng() % 256);
        for (auto& c : s) c = char(rng() % alphabet);
        // Repeats at every distance, some beyond the 64 KiB window.
        for (int k = 0; k < 20 && n > 16; ++k) {
            size_t from = rng() % (n - 8), to = rng() % (n - 8), len = 1 + rng() % std::min<size_t>(n - std::max(from, to), 300);
            std::memmove(&s[to], &s[from], len);
        }
        INFO("case " << t << " n " << n);
        REQUIRE(roundTrip(s) == s);
    }
    // Damage: truncations, flipped bytes, a wrong output size. Never a crash (ASan runs check the bounds).
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "user" + std::to_string(i % 97) + "@acme-corp.com,";
    std::string good;
    lzCompress(text.data(), text.size(), good);
    std::string out(text.size(), '\0');
    CHECK_FALSE(lzDecompress(good.data(), good.size(), &out[0], out.size() - 1));
    std::string bigger(text.size() + 1, '\0');
    CHECK_FALSE(lzDecompress(good.data(), good.size(), &bigger[0], bigger.size()));
    for (size_t cut = 0; cut < good.size(); cut += 1 + cut / 3) CHECK_FALSE(lzDecompress(good.data(), cut, &out[0], out.size()));
    int rejected = 0;
    for (int t = 0; t < 2000; ++t) {
        std::string bad = good;
        for (int k = 0; k < 1 + t % 4; ++k) bad[rng() % bad.size()] ^= char(1 + rng() % 255);
        if (!lzDecompress(bad.data(), bad.size(), &out[0], out.size())) ++rejected;
    }
    CHECK(rejected > 0);
}

TEST_CASE("format 3 round trip with repeated, unique, sparse and long values", "[storage][format3]") {
    Session a;
    Mixed mix(40000);   // 3 user chunks, 2 identity chunks
    REQUIRE(a.execute(mix).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u2", "u39999"}}})["ok"] == true);
    std::string dir = tempDir3();
    Store st(dir);
    StoreResult w = st.save(a.dir);
    REQUIRE(w.ok);
    // Every chunk is a format-3 chunk, and much smaller than format 2.
    auto m = json::parse(slurp3(dir + "/manifest.json"));
    CHECK(m["format"] == 3);
    for (auto& c : m["chunks"]) {
        std::string bytes = slurp3(dir + "/" + c["file"].get<std::string>());
        REQUIRE(bytes.size() >= 16);
        CHECK(bytes.substr(0, 4) == "RSTR");
        CHECK(uint8_t(bytes[4]) == 3);
    }
    size_t v2 = 0;
    for (uint32_t first = 0; first < a.dir.slotCount(); first += kUsersPerChunk)
        v2 += encodeUserChunkV2(a.dir, first, std::min(kUsersPerChunk, a.dir.slotCount() - first)).size();
    size_t v3 = 0;
    for (uint32_t first = 0; first < a.dir.slotCount(); first += kUsersPerChunk)
        v3 += encodeUserChunk(a.dir, first, std::min(kUsersPerChunk, a.dir.slotCount() - first)).size();
    CHECK(v3 * 2 < v2);

    Session b;
    Store st2(dir);
    StoreResult l = st2.load(b.dir);
    REQUIRE(l.ok);
    CHECK(l.notices.empty());
    CHECK(b.snapshot() == a.snapshot());
    for (uint32_t attr = 0; attr < a.dir.attrDefs().size(); ++attr)
        for (uint32_t slot = 0; slot < a.dir.slotCount(); ++slot) REQUIRE(b.dir.attrValue(attr, slot) == a.dir.attrValue(attr, slot));
    CHECK(b.dir.attrValue(2, 3).size() == 9000);
    REQUIRE(b.dir.identities().size() == a.dir.identities().size());
    for (uint32_t ii = 0; ii < a.dir.identities().size(); ++ii) {
        const Identity &x = a.dir.identities()[ii], &y = b.dir.identities()[ii];
        REQUIRE(b.dir.s(y.account) == a.dir.s(x.account));
        REQUIRE(b.dir.s(y.display) == a.dir.s(x.display));
        REQUIRE((y.owner == x.owner && y.integ == x.integ && y.alive == x.alive && y.flags == x.flags));
        if (x.alive) REQUIRE(b.dir.findIdentity(x.integ, std::string(a.dir.s(x.account))) == ii);
    }
    CHECK(b.dir.findEmail("ALT22@acme-corp.com") == b.dir.findEmail("p22@acme-corp.com"));
    // Values shared through a chunk's dictionary are independent after an edit.
    SetAttr set(0, 0, "Changed");
    REQUIRE(b.execute(set).ok);
    CHECK(b.dir.attrValue(0, 0) == "Changed");
    CHECK(b.dir.attrValue(0, 5) == "Platform");
    StoreResult w2 = st2.save(b.dir);
    REQUIRE(w2.ok);
    CHECK(w2.filesWritten == 2);   // one user chunk and the manifest
    Session c;
    Store st3(dir);
    REQUIRE(st3.load(c.dir).ok);
    CHECK(c.snapshot() == b.snapshot());
}

TEST_CASE("a damaged format-3 chunk with a matching checksum is reported, never loaded", "[storage][format3]") {
    Session a;
    Mixed mix(3000);
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempDir3();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    const std::string manifest = slurp3(dir + "/manifest.json");
    auto m = json::parse(manifest);
    std::mt19937 rng(11);
    int corrupt = 0, loaded = 0;
    for (size_t ci = 0; ci < m["chunks"].size(); ++ci) {
        const std::string file = m["chunks"][ci]["file"];
        const std::string good = slurp3(dir + "/" + file);
        for (int t = 0; t < 40; ++t) {
            std::string bad = good;
            if (t % 5 == 0) bad.resize(rng() % bad.size());                   // truncated
            else for (int k = 0; k < 1 + t % 3; ++k) bad[16 + rng() % (bad.size() - 16)] ^= char(1 + rng() % 255);
            spit3(dir + "/" + file, bad);
            // The checksum is made to match: the decoder itself must catch the damage.
            auto m2 = m;
            m2["chunks"][ci]["crc32"] = crc32Fast(bad.data(), bad.size());
            spit3(dir + "/manifest.json", m2.dump());
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
        spit3(dir + "/" + file, good);
    }
    spit3(dir + "/manifest.json", manifest);
    CHECK(corrupt > loaded);
    // With the real checksums, any damage is caught by the checksum first.
    const std::string file = m["chunks"][0]["file"];
    std::string bad = slurp3(dir + "/" + file);
    bad[bad.size() / 2] ^= 0x40;
    spit3(dir + "/" + file, bad);
    Session b;
    Store reader(dir);
    StoreResult r = reader.load(b.dir);
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "STORAGE_CORRUPT");
}

TEST_CASE("a damaged format-3 chunk of the latest save falls back to the previous save", "[storage][format3]") {
    Session a;
    Mixed mix(20000);
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempDir3();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u5"}, {"name", "First edit"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    const json before = a.snapshot();
    REQUIRE(a.command({{"op", "updateUser"}, {"id", "u6"}, {"name", "Second edit"}})["ok"] == true);
    REQUIRE(st.save(a.dir).ok);
    auto m = json::parse(slurp3(dir + "/manifest.json"));
    std::string file = m["chunks"][0]["file"];
    std::string bytes = slurp3(dir + "/" + file);
    bytes[40] ^= 0x5A;
    spit3(dir + "/" + file, bytes);
    Session b;
    Store st2(dir);
    StoreResult r = st2.load(b.dir);
    REQUIRE(r.ok);
    CHECK(r.recovered);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].code == "STORAGE_RECOVERED");
    CHECK(b.snapshot() == before);
}

TEST_CASE("a format-2 directory (the old encoder) loads, migrates, and is rewritten in format 3", "[storage][format3]") {
    Session a;
    Mixed mix(20000);
    REQUIRE(a.execute(mix).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u7"}}})["ok"] == true);
    std::string dir = tempDir3();
    {
        Store old(dir);
        old.setWriteFormat(2);
        REQUIRE(old.save(a.dir).ok);
    }
    auto m = json::parse(slurp3(dir + "/manifest.json"));
    CHECK(m["format"] == 2);
    for (auto& c : m["chunks"]) CHECK(uint8_t(slurp3(dir + "/" + c["file"].get<std::string>())[4]) == 2);

    Session b;
    Store st(dir);
    StoreResult r = st.load(b.dir);
    REQUIRE(r.ok);
    CHECK(r.migratedFrom == 2);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].code == "MIGRATED");
    CHECK(b.snapshot() == a.snapshot());
    // The next save rewrites every chunk in format 3; the old ones stay as the fallback's.
    StoreResult w = st.save(b.dir);
    REQUIRE(w.ok);
    CHECK(w.filesWritten == m["chunks"].size() + 1);   // every chunk and the manifest
    CHECK(w.written.size() == m["chunks"].size() + 2);   // ... and the previous manifest, kept
    auto m3 = json::parse(slurp3(dir + "/manifest.json"));
    CHECK(m3["format"] == 3);
    for (auto& c : m3["chunks"]) CHECK(uint8_t(slurp3(dir + "/" + c["file"].get<std::string>())[4]) == 3);
    Session c;
    Store st3(dir);
    StoreResult r3 = st3.load(c.dir);
    REQUIRE(r3.ok);
    CHECK(r3.notices.empty());
    CHECK(c.snapshot() == a.snapshot());
    // A manifest listing chunks of both formats (e.g. a stored version) loads too.
    Store mixed(dir);
    json half = m3;
    half["chunks"][0] = m["chunks"][0];
    Session e;
    StoreResult r4 = mixed.loadJson(e.dir, half);
    REQUIRE(r4.ok);
    CHECK(e.snapshot() == a.snapshot());
}

TEST_CASE("chunks encoded ahead of a save (preEncode) are written only while their chunk is unchanged", "[storage][format3]") {
    Session a;
    Mixed mix(40000);   // 3 user chunks, 3 identity chunks
    REQUIRE(a.execute(mix).ok);
    std::string dir = tempDir3();
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
