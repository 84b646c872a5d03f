// Chunk formats: the LZ codecs (lz4, and the hand-written one before it) and the checksum, format-3 round trips, reading the older formats (the
// committed version-1 fixture, format-2 directories) and refusing newer ones.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

#include "lz.h"
#include "lz_legacy.h"
#include "session.h"
#include "store.h"
#include "store_test_util.h"
#include "text.h"

using namespace roster;
using namespace roster::testutil;

namespace {

using Compress = bool (*)(const char*, size_t, std::string&);
using Decompress = bool (*)(const char*, size_t, char*, size_t);

bool legacyCompress(const char* src, size_t n, std::string& out) {
    legacy::lzCompress(src, n, out);
    return true;
}

std::string roundTrip(Compress compress, Decompress decompress, const std::string& in) {
    std::string z;
    REQUIRE(compress(in.data(), in.size(), z));
    std::string out(in.size(), '\0');
    REQUIRE(decompress(z.data(), z.size(), out.empty() ? nullptr : &out[0], out.size()));
    return out;
}

// Every input comes back; damaged input is refused without reading out of bounds.
void checkCodec(Compress compress, Decompress decompress) {
    std::mt19937 rng(7);
    CHECK(roundTrip(compress, decompress, "").empty());
    CHECK(roundTrip(compress, decompress, "a") == "a");
    CHECK(roundTrip(compress, decompress, "abcd") == "abcd");
    std::string runs(100000, 'x');   // overlapping matches (offset 1), long length bytes
    CHECK(roundTrip(compress, decompress, runs) == runs);
    std::string z;
    compress(runs.data(), runs.size(), z);
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
        REQUIRE(roundTrip(compress, decompress, s) == s);
    }
    // Damage: truncations, flipped bytes, a wrong output size. Never a crash (ASan runs check the bounds).
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "user" + std::to_string(i % 97) + "@acme-corp.com,";
    std::string good;
    compress(text.data(), text.size(), good);
    std::string out(text.size(), '\0');
    CHECK_FALSE(decompress(good.data(), good.size(), &out[0], out.size() - 1));
    std::string bigger(text.size() + 1, '\0');
    CHECK_FALSE(decompress(good.data(), good.size(), &bigger[0], bigger.size()));
    for (size_t cut = 0; cut < good.size(); cut += 1 + cut / 3) CHECK_FALSE(decompress(good.data(), cut, &out[0], out.size()));
    int rejected = 0;
    for (int t = 0; t < 2000; ++t) {
        std::string bad = good;
        for (int k = 0; k < 1 + t % 4; ++k) bad[rng() % bad.size()] ^= char(1 + rng() % 255);
        if (!decompress(bad.data(), bad.size(), &out[0], out.size())) ++rejected;
    }
    CHECK(rejected > 0);
}

}  // namespace

TEST_CASE("the chunk codec (lz4) gives back every input, and refuses damaged input without reading out of bounds", "[storage][lz]") {
    SECTION("packed small (LZ4HC, chunks encoded ahead)") {
        checkCodec([](const char* src, size_t n, std::string& out) { return lzCompress(src, n, out, Packing::Small); }, lzDecompress);
    }
    SECTION("packed fast (LZ4 default, chunks a save encodes)") {
        checkCodec([](const char* src, size_t n, std::string& out) { return lzCompress(src, n, out, Packing::Fast); }, lzDecompress);
    }
}

// Both packings load back: the round trips below save with Packing::Fast (Store::save), the
// encode-ahead tests (test_store*.cpp) with Packing::Small.
TEST_CASE("a chunk packed fast is larger than the same chunk packed small", "[storage][lz]") {
    Session a;
    Mixed mix(3000);
    REQUIRE(a.execute(mix).ok);
    const uint32_t n = std::min(kUsersPerChunk, a.dir.slotCount());
    const std::string fast = encodeChunk(a.dir, ChunkKind::Users, 0, n, 3, Packing::Fast);
    const std::string small = encodeChunk(a.dir, ChunkKind::Users, 0, n, 3, Packing::Small);
    CHECK(fast != small);
    CHECK(small.size() < fast.size());
}

TEST_CASE("the hand-written LZ before lz4 still gives back every input and refuses damaged input", "[storage][lz]") {
    checkCodec(legacyCompress, legacy::lzDecompress);
}

TEST_CASE("the chunk checksum equals the reference CRC-32 at every length and alignment", "[storage]") {
    std::string data;
    for (int i = 0; i < 300; ++i) data.push_back(char((i * 131 + 7) & 0xFF));
    for (size_t off = 0; off < 9; ++off)
        for (size_t n = 0; n + off <= data.size(); n += 1 + n / 7) CHECK(crc32Fast(data.data() + off, n) == crc32(data.data() + off, n));
    CHECK(crc32Fast("123456789", 9) == 0xCBF43926u);
}

TEST_CASE("format 3 round trip with repeated, unique, sparse and long values", "[storage][format3]") {
    Session a;
    Mixed mix(40000);   // 3 user chunks, 2 identity chunks
    REQUIRE(a.execute(mix).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u2", "u39999"}}})["ok"] == true);
    std::string dir = tempStoreDir();
    Store st(dir);
    StoreResult w = st.save(a.dir);
    REQUIRE(w.ok);
    // Every chunk is a format-3 chunk, and much smaller than format 2.
    auto m = json::parse(slurp(dir + "/manifest.json"));
    CHECK(m["format"] == 3);
    for (auto& c : m["chunks"]) {
        std::string bytes = slurp(dir + "/" + c["file"].get<std::string>());
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

TEST_CASE("the committed version-1 fixture loads with its content", "[storage][fixture]") {
    std::string fixture = std::string(ROSTER_SOURCE_DIR) + "/tests/fixtures/storage-v1";
    if (const char* w = std::getenv("ROSTER_WRITE_FIXTURE")) {
        // Regenerate: ROSTER_WRITE_FIXTURE=1 build/native/roster_tests "[fixture]"
        (void)w;
        Session a;
        Populate pop(20);
        REQUIRE(a.execute(pop).ok);
        REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u2"}}})["ok"] == true);
        // The fixture must stay format 1: regenerate it only with a build whose kStorageFormat is 1.
        REQUIRE(kStorageFormat == 1);
        Store st(fixture);
        st.wipe();
        REQUIRE(st.save(a.dir).ok);
        { std::ofstream(fixture + "/snapshot.json") << a.snapshot().dump(1); }
    }
    Session b;
    Store st(fixture);
    StoreResult r = st.load(b.dir);
    REQUIRE(r.ok);
    auto expected = json::parse(slurp(fixture + "/snapshot.json"));
    // Format 1 held no bot patterns and no rejected suggestions (the snapshot written with the
    // fixture predates them in the snapshot): both load empty.
    for (const char* k : {"botPatterns", "rejectedSuggestions"})
        if (!expected.contains(k)) expected[k] = json::array();
    CHECK(b.snapshot() == expected);
    CHECK(b.dir.userCount() == 19);
    CHECK(json::parse(slurp(fixture + "/manifest.json"))["format"] == 1);
    CHECK(r.migratedFrom == 1);
    REQUIRE(r.notices.size() == 1);
    CHECK(r.notices[0].code == "MIGRATED");
    // Saving writes the current format; the migrated copy loads without a notice.
    std::string copy = tempStoreDir();
    Store out(copy);
    REQUIRE(out.save(b.dir).ok);
    CHECK(json::parse(slurp(copy + "/manifest.json"))["format"] == kStorageFormat);
    Session c;
    Store in(copy);
    StoreResult r2 = in.load(c.dir);
    REQUIRE(r2.ok);
    CHECK(r2.notices.empty());
    CHECK(c.snapshot() == expected);
}

TEST_CASE("a format-2 directory (the old encoder) loads, migrates, and is rewritten in format 3", "[storage][format3]") {
    Session a;
    Mixed mix(20000);
    REQUIRE(a.execute(mix).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u7"}}})["ok"] == true);
    std::string dir = tempStoreDir();
    {
        Store old(dir);
        old.setWriteFormat(2);
        REQUIRE(old.save(a.dir).ok);
    }
    auto m = json::parse(slurp(dir + "/manifest.json"));
    CHECK(m["format"] == 2);
    for (auto& c : m["chunks"]) CHECK(uint8_t(slurp(dir + "/" + c["file"].get<std::string>())[4]) == 2);

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
    auto m3 = json::parse(slurp(dir + "/manifest.json"));
    CHECK(m3["format"] == 3);
    for (auto& c : m3["chunks"]) CHECK(uint8_t(slurp(dir + "/" + c["file"].get<std::string>())[4]) == 3);
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

TEST_CASE("a directory written by a newer format is refused and left untouched", "[storage]") {
    Session a;
    Populate pop(10);
    REQUIRE(a.execute(pop).ok);
    std::string dir = tempStoreDir();
    Store st(dir);
    REQUIRE(st.save(a.dir).ok);
    auto m = json::parse(slurp(dir + "/manifest.json"));
    m["format"] = 99;
    { std::ofstream(dir + "/manifest.json") << m.dump(); }
    std::string before = slurp(dir + "/manifest.json");
    Session b;
    Store st2(dir);
    StoreResult r = st2.load(b.dir);
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "FORMAT_TOO_NEW");
    // Saving over it is refused too.
    REQUIRE(b.command({{"op", "addUser"}, {"name", "X"}, {"email", "x@example.com"}})["ok"] == true);
    StoreResult w = st2.save(b.dir);
    CHECK_FALSE(w.ok);
    CHECK(w.error.code == "FORMAT_TOO_NEW");
    CHECK(slurp(dir + "/manifest.json") == before);
}

// A format-3 chunk as Roster wrote it before lz4 (the same layout, flags without 4, each section
// compressed by the hand-written encoder when that made it smaller), made from a chunk written now.
// Also checks that the hand-written decoder (older versions of Roster) reads the lz4 sections.
static std::string asLegacyChunk(const std::string& chunk, int& lz4Refuses) {
    REQUIRE(chunk.size() >= 32);
    const uint8_t flags = uint8_t(chunk[7]);
    CHECK((flags & 4) != 0);   // written by lz4
    uint32_t len[4];
    std::memcpy(len, chunk.data() + 16, 16);
    const char* p = chunk.data() + 32;
    std::string sections[2];
    uint8_t oldFlags = 0;
    for (int sec = 0; sec < 2; ++sec) {
        const uint32_t raw = len[sec * 2], stored = len[sec * 2 + 1];
        std::string plain(raw, '\0');
        if (flags & (1 << sec)) {
            REQUIRE(lzDecompress(p, stored, raw ? &plain[0] : nullptr, raw));
            std::string old(raw, '\0');
            REQUIRE(legacy::lzDecompress(p, stored, raw ? &old[0] : nullptr, raw));
            REQUIRE(old == plain);
        } else {
            plain.assign(p, raw);
        }
        p += stored;
        std::string z;
        legacy::lzCompress(plain.data(), plain.size(), z);
        if (z.size() < plain.size()) {
            oldFlags |= uint8_t(1 << sec);
            std::string back(raw, '\0');
            if (!lzDecompress(z.data(), z.size(), raw ? &back[0] : nullptr, raw) || back != plain) ++lz4Refuses;
            sections[sec] = z;
        } else {
            sections[sec] = plain;
        }
        len[sec * 2 + 1] = uint32_t(sections[sec].size());
    }
    std::string out = chunk.substr(0, 16);
    out[7] = char(oldFlags);
    out.append(reinterpret_cast<const char*>(len), 16);
    return out + sections[0] + sections[1];
}

TEST_CASE("a directory whose chunks the hand-written LZ wrote (before lz4) loads with its content", "[storage][format3][lz]") {
    Session a;
    Mixed mix(40000);   // 3 user chunks, 2 identity chunks
    REQUIRE(a.execute(mix).ok);
    REQUIRE(a.command({{"op", "removeUsers"}, {"ids", {"u2", "u39999"}}})["ok"] == true);
    std::string dir = tempStoreDir();
    {
        Store st(dir);
        REQUIRE(st.save(a.dir).ok);
    }
    // Rewrite every chunk file as the earlier encoder wrote it, and the manifest's checksums.
    auto m = json::parse(slurp(dir + "/manifest.json"));
    int lz4Refuses = 0;
    for (auto& c : m["chunks"]) {
        const std::string path = dir + "/" + c["file"].get<std::string>();
        const std::string old = asLegacyChunk(slurp(path), lz4Refuses);
        spit(path, old);
        c["crc32"] = crc32Fast(old.data(), old.size());
        c["bytes"] = old.size();
    }
    spit(dir + "/manifest.json", m.dump());
    // lz4's own decoder refuses some of them: what keeps the hand-written decoder for these chunks.
    CHECK(lz4Refuses > 0);

    Session b;
    Store st2(dir);
    StoreResult l = st2.load(b.dir);
    REQUIRE(l.ok);
    CHECK(l.notices.empty());
    CHECK(b.snapshot() == a.snapshot());
    for (uint32_t attr = 0; attr < a.dir.attrDefs().size(); ++attr)
        for (uint32_t slot = 0; slot < a.dir.slotCount(); ++slot) REQUIRE(b.dir.attrValue(attr, slot) == a.dir.attrValue(attr, slot));
    REQUIRE(b.dir.identities().size() == a.dir.identities().size());
    for (uint32_t ii = 0; ii < a.dir.identities().size(); ++ii) {
        const Identity &x = a.dir.identities()[ii], &y = b.dir.identities()[ii];
        REQUIRE(b.dir.s(y.account) == a.dir.s(x.account));
        REQUIRE(b.dir.s(y.display) == a.dir.s(x.display));
        REQUIRE((y.owner == x.owner && y.integ == x.integ && y.alive == x.alive && y.flags == x.flags));
    }
    // An edit rewrites its chunk with lz4; the directory of both kinds of chunks loads.
    SetAttr set(0, 0, "Changed");
    REQUIRE(b.execute(set).ok);
    StoreResult w = st2.save(b.dir);
    REQUIRE(w.ok);
    CHECK(w.filesWritten == 2);   // one user chunk and the manifest
    Session c;
    Store st3(dir);
    REQUIRE(st3.load(c.dir).ok);
    CHECK(c.snapshot() == b.snapshot());
}
