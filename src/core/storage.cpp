#include "storage.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "lz.h"
#include "text.h"

namespace roster {

using json = nlohmann::json;

namespace {

constexpr char kMagic[4] = {'R', 'S', 'T', 'R'};
enum ChunkKind : uint8_t { kUsers = 1, kIdents = 2, kAliases = 3 };
constexpr size_t kHeader = 4 + 2 + 1 + 1 + 4 + 4;   // magic, version, kind, pad, first, count

struct Writer {
    std::string b;
    void u8(uint8_t v) { b.push_back(char(v)); }
    void var(uint32_t v) {   // LEB128
        while (v >= 0x80) { b.push_back(char(v | 0x80)); v >>= 7; }
        b.push_back(char(v));
    }
    void u16(uint16_t v) { b.append(reinterpret_cast<const char*>(&v), 2); }
    void u32(uint32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); }
    void bytes(std::string_view s) { b.append(s.data(), s.size()); }
};

struct Reader {
    const char* p;
    const char* end;
    bool ok = true;
    bool need(size_t n) { if (size_t(end - p) < n) ok = false; return ok; }
    uint8_t u8() { if (!need(1)) return 0; return uint8_t(*p++); }
    uint16_t u16() { if (!need(2)) return 0; uint16_t v; std::memcpy(&v, p, 2); p += 2; return v; }
    uint32_t u32() { if (!need(4)) return 0; uint32_t v; std::memcpy(&v, p, 4); p += 4; return v; }
    const uint32_t* u32s(size_t n) {   // unaligned-safe: we copy out below when used
        if (!need(n * 4)) return nullptr;
        auto r = reinterpret_cast<const uint32_t*>(p);
        p += n * 4;
        return r;
    }
    std::string_view str(uint32_t n) { if (!need(n)) return {}; std::string_view s(p, n); p += n; return s; }
};

// Reads LEB128 varints with bounds checks (format 3).
struct VarReader {
    const unsigned char* p;
    const unsigned char* end;
    bool ok = true;
    uint32_t var() {
        if (p < end && *p < 0x80) return *p++;
        uint32_t v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (p >= end) { ok = false; return 0; }
            const uint32_t b = *p++;
            v |= (b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        ok = false;
        return 0;
    }
    const char* bytes(size_t n) {
        if (size_t(end - p) < n) { ok = false; return nullptr; }
        const char* r = reinterpret_cast<const char*>(p);
        p += n;
        return r;
    }
};

inline uint32_t zigzag(int32_t v) { return (uint32_t(v) << 1) ^ uint32_t(v >> 31); }
inline int32_t unzigzag(uint32_t v) { return int32_t(v >> 1) ^ -int32_t(v & 1); }

inline uint32_t rd32(const uint32_t* a, size_t i) { uint32_t v; std::memcpy(&v, reinterpret_cast<const char*>(a) + i * 4, 4); return v; }

void header(Writer& w, ChunkKind k, uint32_t first, uint32_t count, uint16_t version = 2, uint8_t flags = 0) {
    w.bytes(std::string_view(kMagic, 4));
    w.u16(version);
    w.u8(k);
    w.u8(flags);
    w.u32(first);
    w.u32(count);
}

// Writes a column of strings: all lengths, then all bytes.
template <class Get>
void strColumn(Writer& w, uint32_t count, Get get) {
    size_t total = 0;
    for (uint32_t i = 0; i < count; ++i) { uint32_t n = uint32_t(get(i).size()); w.u32(n); total += n; }
    w.b.reserve(w.b.size() + total);
    for (uint32_t i = 0; i < count; ++i) w.bytes(get(i));
}

bool readFile(const std::string& path, std::string& out) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    std::fseek(f, 0, SEEK_END);
    long n = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    if (n < 0) { std::fclose(f); return false; }
    out.resize(size_t(n));
    size_t got = n ? std::fread(&out[0], 1, size_t(n), f) : 0;
    std::fclose(f);
    return got == size_t(n);
}

bool writeFile(const std::string& path, std::string_view data) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    size_t put = data.empty() ? 0 : std::fwrite(data.data(), 1, data.size(), f);
    bool ok = put == data.size();
    ok = (std::fclose(f) == 0) && ok;
    return ok;
}

void mkdirs(const std::string& dir) {
    std::string cur;
    size_t i = 0;
    while (i <= dir.size()) {
        size_t j = dir.find('/', i);
        if (j == std::string::npos) j = dir.size();
        cur = dir.substr(0, j);
        if (!cur.empty()) ::mkdir(cur.c_str(), 0755);
        i = j + 1;
    }
}

std::string chunkName(const char* kind, size_t k, uint64_t gen) {
    return std::string(kind) + "-" + std::to_string(k) + "." + std::to_string(gen) + ".bin";
}

// CRC-32 (the same as crc32() in text.h: reflected 0xEDB88320, inverted) eight bytes at a time
// ("slicing-by-8"): about 4x faster than a byte at a time, which matters for 200 MB at start-up.
struct Crc8Tables {
    uint32_t t[8][256];
    Crc8Tables() {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
    }
};

}  // namespace

uint32_t crc32Fast(const void* data, size_t n) {
    static const Crc8Tables tables;
    const auto& t = tables.t;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    uint32_t crc = ~0u;
    while (n >= 8) {
        uint32_t lo, hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) { lo = __builtin_bswap32(lo); hi = __builtin_bswap32(hi); }
        lo ^= crc;
        crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
              t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

StoreResult fail(const char* code, std::string msg) {
    StoreResult r;
    r.ok = false;
    r.error = Diag{code, std::move(msg), 0, 0};
    return r;
}

}  // namespace

std::string encodeUserChunkV2(const Directory& d, uint32_t first, uint32_t count) {
    Writer w;
    header(w, kUsers, first, count);
    for (uint32_t i = 0; i < count; ++i) w.u32(d.userId(first + i));
    for (uint32_t i = 0; i < count; ++i) w.u8(d.userAlive(first + i) ? 1 : 0);
    strColumn(w, count, [&](uint32_t i) { return d.userName(first + i); });
    strColumn(w, count, [&](uint32_t i) { return d.userEmail(first + i); });
    // Attribute columns that have any value in this chunk (dead attributes too: indexes are stable).
    std::vector<uint32_t> cols;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
        for (uint32_t i = 0; i < count; ++i)
            if (!d.attrValueStr(a, first + i).empty()) { cols.push_back(a); break; }
    w.u32(uint32_t(cols.size()));
    for (uint32_t a : cols) {
        w.u32(a);
        strColumn(w, count, [&](uint32_t i) { return d.attrValue(a, first + i); });
    }
    return std::move(w.b);
}

std::string encodeIdentChunkV2(const Directory& d, uint32_t first, uint32_t count) {
    Writer w;
    header(w, kIdents, first, count);
    const auto& ids = d.identities();
    for (uint32_t i = 0; i < count; ++i) w.u32(ids[first + i].owner);
    for (uint32_t i = 0; i < count; ++i) w.u16(ids[first + i].integ);
    for (uint32_t i = 0; i < count; ++i) w.u8(ids[first + i].alive);
    for (uint32_t i = 0; i < count; ++i) w.u8(ids[first + i].flags);
    strColumn(w, count, [&](uint32_t i) { return d.s(ids[first + i].account); });
    strColumn(w, count, [&](uint32_t i) { return d.s(ids[first + i].display); });
    return std::move(w.b);
}

std::string encodeAliasChunkV2(const Directory& d) {
    Writer w;
    const auto& als = d.aliases();
    uint32_t count = uint32_t(als.size());
    header(w, kAliases, 0, count);
    for (uint32_t i = 0; i < count; ++i) w.u32(als[i].owner);
    for (uint32_t i = 0; i < count; ++i) w.u8(als[i].alive);
    strColumn(w, count, [&](uint32_t i) { return d.s(als[i].email); });
    return std::move(w.b);
}

// ---- format 3 chunks
// header (version 3; the pad byte holds flags: 1 = meta section compressed, 2 = text section
// compressed), then u32 metaRaw, metaStored, textRaw, textStored, the meta section, the text section.
// The meta section holds numbers as LEB128 varints (and bytes); the text section every string's
// bytes, back to back, in the order the meta section names their lengths. Both go through lzCompress
// when that makes them smaller.
namespace {

constexpr uint8_t kMetaLz = 1, kTextLz = 2;

struct Chunk3 {
    Writer meta;
    std::string text;
    void str(std::string_view v) { text.append(v.data(), v.size()); }
};

std::string finish3(ChunkKind k, uint32_t first, uint32_t count, Chunk3& c) {
    std::string metaZ, textZ;
    lzCompress(c.meta.b.data(), c.meta.b.size(), metaZ);
    lzCompress(c.text.data(), c.text.size(), textZ);
    const bool mz = metaZ.size() < c.meta.b.size(), tz = textZ.size() < c.text.size();
    const std::string& m = mz ? metaZ : c.meta.b;
    const std::string& t = tz ? textZ : c.text;
    Writer w;
    w.b.reserve(kHeader + 16 + m.size() + t.size());
    header(w, k, first, count, 3, uint8_t((mz ? kMetaLz : 0) | (tz ? kTextLz : 0)));
    w.u32(uint32_t(c.meta.b.size()));
    w.u32(uint32_t(m.size()));
    w.u32(uint32_t(c.text.size()));
    w.u32(uint32_t(t.size()));
    w.bytes(m);
    w.bytes(t);
    return std::move(w.b);
}

inline bool isPackableHex(std::string_view v) {
    if (v.size() < 8 || (v.size() & 1) || v.size() > (1u << 30)) return false;
    for (char ch : v)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
    return true;
}
inline unsigned hexNibble(char ch) { return ch <= '9' ? unsigned(ch - '0') : unsigned(ch - 'a' + 10); }

// A column of strings: lengths into meta, bytes into text.
template <class Get>
void strColumn3(Chunk3& c, uint32_t count, Get get) {
    for (uint32_t i = 0; i < count; ++i) {
        std::string_view v = get(i);
        c.meta.var(uint32_t(v.size()));
        c.str(v);
    }
}


}  // namespace

std::string encodeUserChunk(const Directory& d, uint32_t first, uint32_t count) {
    Chunk3 c;
    uint32_t prev = 0;
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t id = d.userId(first + i);
        c.meta.var(zigzag(int32_t(id - prev)));
        prev = id;
    }
    for (uint32_t i = 0; i < count; ++i) c.meta.u8(d.userAlive(first + i) ? 1 : 0);
    strColumn3(c, count, [&](uint32_t i) { return d.userName(first + i); });
    strColumn3(c, count, [&](uint32_t i) { return d.userEmail(first + i); });
    // Attribute columns that have any value in this chunk (dead attributes too: indexes are stable).
    // A column with few distinct values is stored as a dictionary (mode 1): the distinct values,
    // then one varint a slot (0 = empty, k = the k-th value); otherwise as plain strings (mode 0).
    std::vector<uint32_t> cols;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
        for (uint32_t i = 0; i < count; ++i)
            if (!d.attrValueStr(a, first + i).empty()) { cols.push_back(a); break; }
    c.meta.var(uint32_t(cols.size()));
    std::unordered_map<std::string_view, uint32_t> dict;
    std::vector<std::string_view> values;
    std::vector<uint32_t> index(count);
    for (uint32_t a : cols) {
        c.meta.var(a);
        dict.clear();
        values.clear();
        bool plain = false;
        for (uint32_t i = 0; i < count; ++i) {
            std::string_view v = d.attrValue(a, first + i);
            if (v.empty()) { index[i] = 0; continue; }
            auto it = dict.try_emplace(v, uint32_t(values.size() + 1)).first;
            if (it->second == values.size() + 1) values.push_back(v);
            index[i] = it->second;
            if (values.size() > count / 2) { plain = true; break; }
        }
        if (plain) {
            c.meta.var(0);
            strColumn3(c, count, [&](uint32_t i) { return d.attrValue(a, first + i); });
        } else {
            c.meta.var(1);
            c.meta.var(uint32_t(values.size()));
            strColumn3(c, uint32_t(values.size()), [&](uint32_t k) { return values[k]; });
            for (uint32_t i = 0; i < count; ++i) c.meta.var(index[i]);
        }
    }
    return finish3(kUsers, first, count, c);
}

std::string encodeIdentChunk(const Directory& d, uint32_t first, uint32_t count) {
    Chunk3 c;
    const auto& ids = d.identities();
    uint32_t prev = 0;
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t o = ids[first + i].owner == kNone ? 0 : ids[first + i].owner + 1;
        c.meta.var(zigzag(int32_t(o - prev)));
        prev = o;
    }
    for (uint32_t i = 0; i < count; ++i) c.meta.var(ids[first + i].integ);
    for (uint32_t i = 0; i < count; ++i) c.meta.u8(ids[first + i].alive);
    for (uint32_t i = 0; i < count; ++i) c.meta.u8(ids[first + i].flags);
    // Accounts: varint (length << 1 | packed). Lower-case hex accounts of even length (ids such as
    // Jira's 24-digit ones, which LZ cannot shrink) are stored two digits a byte.
    for (uint32_t i = 0; i < count; ++i) {
        std::string_view v = d.s(ids[first + i].account);
        if (isPackableHex(v)) {
            c.meta.var(uint32_t(v.size()) << 1 | 1);
            for (size_t k = 0; k < v.size(); k += 2) c.text.push_back(char(hexNibble(v[k]) << 4 | hexNibble(v[k + 1])));
        } else {
            c.meta.var(uint32_t(v.size()) << 1);
            c.str(v);
        }
    }
    strColumn3(c, count, [&](uint32_t i) { return d.s(ids[first + i].display); });
    return finish3(kIdents, first, count, c);
}

std::string encodeAliasChunk(const Directory& d) {
    Chunk3 c;
    const auto& als = d.aliases();
    const uint32_t count = uint32_t(als.size());
    for (uint32_t i = 0; i < count; ++i) c.meta.var(als[i].owner == kNone ? 0 : als[i].owner + 1);
    for (uint32_t i = 0; i < count; ++i) c.meta.u8(als[i].alive);
    strColumn3(c, count, [&](uint32_t i) { return d.s(als[i].email); });
    return finish3(kAliases, 0, count, c);
}

std::vector<std::string> Store::takeChanged() {
    std::vector<std::string> out(changed_.begin(), changed_.end());
    changed_.clear();
    return out;
}

std::set<std::string> Store::referencedBy(const std::string& manifestName) const {
    std::set<std::string> out;
    std::string text;
    if (!readFile(path(manifestName), text)) return out;
    json m = json::parse(text, nullptr, false);
    if (!m.is_object() || !m.contains("chunks") || !m["chunks"].is_array()) return out;
    for (auto& c : m["chunks"])
        if (c.is_object() && c.contains("file") && c["file"].is_string()) out.insert(c["file"].get<std::string>());
    return out;
}

bool Store::exists() const {
    struct stat st;
    return ::stat(path("manifest.json").c_str(), &st) == 0;
}

void Store::wipe() {
    dropPreEncoded();
    if (DIR* dp = ::opendir(dir_.c_str())) {
        std::vector<std::string> names;
        while (dirent* e = ::readdir(dp)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") names.push_back(n);
        }
        ::closedir(dp);
        for (auto& n : names) { ::unlink(path(n).c_str()); changed_.insert(n); }
    }
    loaded_ = false;
    generation_ = 0;
    userFiles_.clear();
    identFiles_.clear();
    aliasFile_.clear();
}

StoreResult Store::load(Directory& d) {
    dropPreEncoded();
    StoreResult r = loadManifest(d, "manifest.json");
    if (r.ok || r.empty || r.error.code == "FORMAT_TOO_NEW" || r.error.code == "OUT_OF_MEMORY") return r;
    // The latest save is damaged: fall back to the previous one, and say so.
    StoreResult prev = loadManifest(d, "manifest.prev.json");
    if (!prev.ok || prev.empty) return r;
    prev.notices.push_back(Diag{"STORAGE_RECOVERED", "The latest save could not be read (" + r.error.message +
                                                         "): Roster opened the save before it.", 0, 0});
    prev.recovered = true;
    return prev;
}

StoreResult Store::loadManifest(Directory& d, const std::string& manifestName) {
    std::string text;
    if (!readFile(path(manifestName), text)) {
        StoreResult r;
        r.empty = manifestName == "manifest.json" && !exists();
        if (!r.empty) { r.ok = false; r.error = Diag{"STORAGE_CORRUPT", "The stored manifest " + manifestName + " is missing", 0, 0}; }
        loaded_ = false;
        return r;
    }
    json m = json::parse(text, nullptr, false);
    if (m.is_discarded() || !m.is_object()) return fail("STORAGE_CORRUPT", "The stored manifest is not valid JSON");
    StoreResult r = loadJson(d, m, manifestName != "manifest.json");
    return r;
}

bool Store::readChunk(const std::string& file, std::string& buf) const {
    if (readFile(path(file), buf)) return true;
    for (const std::string& dir : extraDirs_)
        if (readFile(dir + "/" + file, buf)) return true;
    return false;
}

namespace {

struct Scratch3 {
    std::string meta, text;
    std::vector<Str> dict;
    std::vector<uint32_t> nums, nums2, nums3;
    std::vector<std::string_view> views;
    std::string hex;
    double lzMs = 0;
};

[[noreturn]] void corrupt(const std::string& file, const char* what) {
    throw std::runtime_error("STORAGE_CORRUPT|The stored chunk " + file + " " + what);
}

// Decodes the body of a format-3 chunk (after its 16-byte header) into d.
void decode3(Directory& d, const std::string& file, ChunkKind kind, uint8_t flags, uint32_t first, uint32_t count,
             const char* p, const char* end, Scratch3& sc, std::vector<uint8_t>& reserved, size_t slots) {
    if (end - p < 16) corrupt(file, "is truncated");
    uint32_t len[4];
    std::memcpy(len, p, 16);
    p += 16;
    const uint32_t metaRaw = len[0], metaStored = len[1], textRaw = len[2], textStored = len[3];
    if ((kind == kUsers && count > kUsersPerChunk) || (kind == kIdents && count > kIdentsPerChunk) || count > metaRaw)
        corrupt(file, "has a wrong record count");
    if (uint64_t(metaStored) + textStored != uint64_t(end - p)) corrupt(file, "has wrong section sizes");
    auto section = [&](const char* src, uint32_t stored, uint32_t raw, bool lz, std::string& out) -> const char* {
        if (!lz) {
            if (stored != raw) corrupt(file, "has wrong section sizes");
            return src;
        }
        // A compressed section is never more than 255x smaller than its raw size... and never
        // larger than a value can be: refuse absurd sizes before allocating.
        if (raw > uint64_t(stored) * 256 + 64) corrupt(file, "has wrong section sizes");
        out.resize(raw);
        const auto t0 = std::chrono::steady_clock::now();
        const bool ok = lzDecompress(src, stored, &out[0], raw);
        sc.lzMs += msSince(t0);
        if (!ok) corrupt(file, "does not decompress");
        return out.data();
    };
    const char* meta = section(p, metaStored, metaRaw, flags & kMetaLz, sc.meta);
    const char* text = section(p + metaStored, textStored, textRaw, flags & kTextLz, sc.text);
    VarReader r{reinterpret_cast<const unsigned char*>(meta), reinterpret_cast<const unsigned char*>(meta) + metaRaw};
    const char* t = text;
    const char* const te = text + textRaw;
    auto next = [&](uint32_t n) -> std::string_view {
        if (size_t(te - t) < n) { r.ok = false; return {}; }
        std::string_view v(t, n);
        t += n;
        return v;
    };
    if (kind == kUsers) {
        // Lengths of names and emails come after ids and alive bytes: find them first.
        auto& ids = sc.nums;
        ids.resize(count);
        uint32_t prev = 0;
        for (uint32_t i = 0; i < count; ++i) ids[i] = prev = prev + uint32_t(unzigzag(r.var()));
        const char* alive = r.bytes(count);
        auto& names = sc.views;
        names.resize(count);
        for (uint32_t i = 0; i < count; ++i) names[i] = next(r.var());
        if (!r.ok) corrupt(file, "is truncated");
        for (uint32_t i = 0; i < count; ++i) {
            std::string_view email = next(r.var());
            if (!r.ok) corrupt(file, "is truncated");
            d.loadUser(ids[i], alive[i] != 0, names[i], email);
        }
        const uint32_t ncols = r.var();
        for (uint32_t cix = 0; r.ok && cix < ncols; ++cix) {
            const uint32_t a = r.var();
            const uint32_t mode = r.var();
            if (!r.ok) break;
            if (a >= d.attrDefs().size()) corrupt(file, "names an unknown attribute");
            if (mode == 0) {
                for (uint32_t i = 0; i < count; ++i) {
                    std::string_view v = next(r.var());
                    if (!r.ok) break;
                    if (!v.empty()) d.loadAttrValue(a, first + i, v);
                }
            } else if (mode == 1) {
                const uint32_t n = r.var();
                if (!r.ok || n > count) corrupt(file, "has a damaged dictionary");
                sc.dict.assign(1, Str{});
                for (uint32_t k = 0; k < n; ++k) {
                    std::string_view v = next(r.var());
                    if (!r.ok) break;
                    sc.dict.push_back(d.pool().add(v));
                }
                if (a < reserved.size() && !reserved[a]) {
                    d.reserveAttrColumn(a, std::max<size_t>(slots, first + count));
                    reserved[a] = 1;
                }
                for (uint32_t i = 0; i < count; ++i) {
                    const uint32_t x = r.var();
                    if (x > n) { r.ok = false; break; }
                    if (x) d.loadAttrStr(a, first + i, sc.dict[x]);
                }
            } else {
                corrupt(file, "has an unknown column mode");
            }
        }
    } else if (kind == kIdents) {
        auto& owners = sc.nums;
        owners.resize(count);
        uint32_t prev = 0;
        for (uint32_t i = 0; i < count; ++i) {
            prev += uint32_t(unzigzag(r.var()));
            owners[i] = prev == 0 ? kNone : prev - 1;
        }
        auto& integ = sc.nums2;
        integ.resize(count);
        for (uint32_t i = 0; i < count; ++i) integ[i] = r.var();
        const char* alive = r.bytes(count);
        const char* fl = r.bytes(count);
        if (!r.ok) corrupt(file, "is truncated");
        auto& alen = sc.nums3;
        alen.resize(count);
        size_t hexChars = 0;
        for (uint32_t i = 0; i < count; ++i) {
            alen[i] = r.var();
            if (alen[i] & 1) hexChars += alen[i] >> 1;
        }
        if (!r.ok || hexChars > size_t(textRaw) * 2) corrupt(file, "is truncated");
        sc.hex.resize(hexChars);
        char* h = sc.hex.empty() ? nullptr : &sc.hex[0];
        static const char kDigits[] = "0123456789abcdef";
        auto& acc = sc.views;
        acc.resize(count);
        for (uint32_t i = 0; i < count; ++i) {
            const uint32_t n = alen[i] >> 1;
            if (!(alen[i] & 1)) { acc[i] = next(n); continue; }
            if (n & 1) corrupt(file, "has a damaged account");
            std::string_view packed = next(n / 2);
            if (!r.ok) break;
            for (uint32_t k = 0; k < n / 2; ++k) {
                const unsigned char b = static_cast<unsigned char>(packed[k]);
                h[2 * k] = kDigits[b >> 4];
                h[2 * k + 1] = kDigits[b & 15];
            }
            acc[i] = std::string_view(h, n);
            h += n;
        }
        if (!r.ok) corrupt(file, "is truncated");
        for (uint32_t i = 0; i < count; ++i) {
            std::string_view disp = next(r.var());
            if (!r.ok) corrupt(file, "is truncated");
            if (integ[i] >= d.integrations().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown integration in " + file);
            d.loadIdentity(owners[i], uint16_t(integ[i]), alive[i] != 0, uint8_t(fl[i]), acc[i], disp);
        }
    } else {
        auto& owners = sc.nums;
        owners.resize(count);
        for (uint32_t i = 0; i < count; ++i) {
            const uint32_t o = r.var();
            owners[i] = o == 0 ? kNone : o - 1;
        }
        const char* alive = r.bytes(count);
        if (!r.ok) corrupt(file, "is truncated");
        for (uint32_t i = 0; i < count; ++i) {
            std::string_view em = next(r.var());
            if (!r.ok) corrupt(file, "is truncated");
            d.loadAlias(owners[i], alive[i] != 0, em);
        }
    }
    if (!r.ok || r.p != r.end || t != te) corrupt(file, "is truncated or has trailing data");
}

}  // namespace

StoreResult Store::loadJson(Directory& d, const json& m, bool fromFallback) {
    dropPreEncoded();
    int format = m.value("format", 0);
    if (format > kStorageFormat)
        return fail("FORMAT_TOO_NEW", "The stored directory was written by a newer Roster (format " + std::to_string(format) +
                                          "; this version reads up to " + std::to_string(kStorageFormat) +
                                          "). It was left untouched: open it with the newer version.");
    if (format < 1) return fail("STORAGE_CORRUPT", "The stored manifest has no valid format number");
    StoreResult res;
    try {
        d.clear();
        for (auto& a : m.at("attributes")) {
            AttrType t = AttrType::Text;
            parseAttrType(a.value("type", "text"), t);
            d.loadAttrDef(a.value("key", ""), a.value("label", ""), a.value("header", ""), t, a.value("alive", true));
        }
        for (auto& i : m.at("integrations")) {
            IntegKind k = IntegKind::Other;
            parseIntegKind(i.value("kind", "other"), k);
            d.loadIntegration(i.value("name", ""), k, i.value("alive", true));
        }
        if (m.contains("orgUnits"))
            for (auto& u : m["orgUnits"]) d.loadOrgUnit(u.value("name", ""), u.at("filter").dump(), u.value("alive", true));
        if (m.contains("rejectedSuggestions"))
            for (auto& k : m["rejectedSuggestions"]) if (k.is_string()) d.loadRejected(k.get<std::string>());
        if (m.contains("botPatterns"))
            for (auto& k : m["botPatterns"]) if (k.is_string()) d.loadBotPattern(k.get<std::string>());
        auto counts = m.at("counts");
        const size_t slotsHint = counts.value("slots", 0u);
        d.reserveUsers(slotsHint);
        d.reserveIdentities(counts.value("identities", 0u));

        std::vector<std::string> userFiles, identFiles;
        std::vector<uint32_t> userCrc, identCrc;
        std::vector<uint64_t> userBytes, identBytes;
        std::string aliasFile;
        uint32_t aliasCrc = 0;
        uint64_t aliasBytes = 0;
        std::string buf;
        Scratch3 scratch;
        std::vector<uint8_t> reserved(d.attrDefs().size(), 0);   // attribute columns sized for every slot
        for (auto& c : m.at("chunks")) {
            std::string kind = c.at("kind"), file = c.at("file");
            uint32_t crc = c.at("crc32");
            auto t0 = std::chrono::steady_clock::now();
            if (!readChunk(file, buf))
                throw std::runtime_error("STORAGE_MISSING_CHUNK|The stored chunk " + file + " is missing");
            auto t1 = std::chrono::steady_clock::now();
            res.readMs += msSince(t0);
            if (crc32Fast(buf.data(), buf.size()) != crc)
                throw std::runtime_error("STORAGE_CORRUPT|The stored chunk " + file + " fails its checksum");
            res.crcMs += msSince(t1);
            auto t2 = std::chrono::steady_clock::now();
            struct Acc { double& ms; std::chrono::steady_clock::time_point t; ~Acc() { ms += msSince(t); } } acc{res.decodeMs, t2};
            Reader r{buf.data(), buf.data() + buf.size()};
            if (!r.need(kHeader) || std::memcmp(r.p, kMagic, 4) != 0)
                throw std::runtime_error("STORAGE_CORRUPT|The stored chunk " + file + " has no valid header");
            r.p += 4;
            const uint16_t version = r.u16();
            uint8_t k = r.u8();
            const uint8_t flags = r.u8();
            uint32_t first = r.u32(), count = r.u32();
            if (version >= 3) {
                if (version > 3) throw std::runtime_error("STORAGE_CORRUPT|The stored chunk " + file + " has an unknown version");
                if (!(kind == "users" && k == kUsers) && !(kind == "identities" && k == kIdents) && !(kind == "aliases" && k == kAliases))
                    throw std::runtime_error("STORAGE_CORRUPT|Chunk " + file + " has an unexpected kind");
                if (k == kUsers && first != d.slotCount()) throw std::runtime_error("STORAGE_CORRUPT|User chunks out of order in " + file);
                if (k == kIdents && first != d.identities().size()) throw std::runtime_error("STORAGE_CORRUPT|Identity chunks out of order in " + file);
                decode3(d, file, ChunkKind(k), flags, first, count, r.p, r.end, scratch, reserved, slotsHint);
                if (k == kUsers) { userFiles.push_back(file); userCrc.push_back(crc); userBytes.push_back(buf.size()); }
                else if (k == kIdents) { identFiles.push_back(file); identCrc.push_back(crc); identBytes.push_back(buf.size()); }
                else { aliasFile = file; aliasCrc = crc; aliasBytes = buf.size(); }
                continue;
            }
            if (kind == "users" && k == kUsers) {
                if (first != d.slotCount()) throw std::runtime_error("STORAGE_CORRUPT|User chunks out of order in " + file);
                const uint32_t* ids = r.u32s(count);
                std::string_view alive = r.str(count);
                const uint32_t* nl = r.u32s(count);
                std::vector<std::string_view> names(count), emails(count);
                for (uint32_t i = 0; r.ok && i < count; ++i) names[i] = r.str(rd32(nl, i));
                const uint32_t* el = r.u32s(count);
                for (uint32_t i = 0; r.ok && i < count; ++i) emails[i] = r.str(rd32(el, i));
                if (!r.ok) throw std::runtime_error("STORAGE_CORRUPT|Truncated chunk " + file);
                for (uint32_t i = 0; i < count; ++i) d.loadUser(rd32(ids, i), alive[i] != 0, names[i], emails[i]);
                uint32_t ncols = r.u32();
                for (uint32_t cix = 0; r.ok && cix < ncols; ++cix) {
                    uint32_t a = r.u32();
                    if (a >= d.attrDefs().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown attribute in " + file);
                    const uint32_t* vl = r.u32s(count);
                    for (uint32_t i = 0; r.ok && i < count; ++i) {
                        std::string_view v = r.str(rd32(vl, i));
                        if (!v.empty()) d.loadAttrValue(a, first + i, v);
                    }
                }
                if (!r.ok) throw std::runtime_error("STORAGE_CORRUPT|Truncated chunk " + file);
                userFiles.push_back(file);
                userCrc.push_back(crc);
                userBytes.push_back(buf.size());
            } else if (kind == "identities" && k == kIdents) {
                if (first != d.identities().size()) throw std::runtime_error("STORAGE_CORRUPT|Identity chunks out of order in " + file);
                const uint32_t* owners = r.u32s(count);
                std::vector<uint16_t> integ(count);
                for (uint32_t i = 0; i < count; ++i) integ[i] = r.u16();
                std::string_view alive = r.str(count), flags = r.str(count);
                const uint32_t* al = r.u32s(count);
                std::vector<std::string_view> acc(count), disp(count);
                for (uint32_t i = 0; r.ok && i < count; ++i) acc[i] = r.str(rd32(al, i));
                const uint32_t* dl = r.u32s(count);
                for (uint32_t i = 0; r.ok && i < count; ++i) disp[i] = r.str(rd32(dl, i));
                if (!r.ok) throw std::runtime_error("STORAGE_CORRUPT|Truncated chunk " + file);
                for (uint32_t i = 0; i < count; ++i) {
                    if (integ[i] >= d.integrations().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown integration in " + file);
                    d.loadIdentity(rd32(owners, i), integ[i], alive[i] != 0, uint8_t(flags[i]), acc[i], disp[i]);
                }
                identFiles.push_back(file);
                identCrc.push_back(crc);
                identBytes.push_back(buf.size());
            } else if (kind == "aliases" && k == kAliases) {
                const uint32_t* owners = r.u32s(count);
                std::string_view alive = r.str(count);
                const uint32_t* el = r.u32s(count);
                std::vector<std::string_view> em(count);
                for (uint32_t i = 0; r.ok && i < count; ++i) em[i] = r.str(rd32(el, i));
                if (!r.ok) throw std::runtime_error("STORAGE_CORRUPT|Truncated chunk " + file);
                for (uint32_t i = 0; i < count; ++i) d.loadAlias(rd32(owners, i), alive[i] != 0, em[i]);
                aliasFile = file;
                aliasCrc = crc;
                aliasBytes = buf.size();
            } else {
                throw std::runtime_error("STORAGE_CORRUPT|Chunk " + file + " has an unexpected kind");
            }
        }
        // Owners must name real slots.
        for (const Identity& id : d.identities())
            if (id.owner != kNone && id.owner >= d.slotCount()) throw std::runtime_error("STORAGE_CORRUPT|An account names a missing user");
        res.lzMs = scratch.lzMs;
        d.setNextUserId(m.value("nextUserId", 1u));
        {
            const auto ti = std::chrono::steady_clock::now();
            d.finishLoad();   // the lookup indexes, built in bulk
            res.indexMs += msSince(ti);
        }
        d.clearDirty();
        generation_ = m.value("generation", 0ull);
        userFiles_ = std::move(userFiles);
        identFiles_ = std::move(identFiles);
        userCrc_ = std::move(userCrc);
        identCrc_ = std::move(identCrc);
        userBytes_ = std::move(userBytes);
        identBytes_ = std::move(identBytes);
        aliasFile_ = aliasFile;
        aliasCrc_ = aliasCrc;
        aliasBytes_ = aliasBytes;
        loaded_ = true;
        prevFiles_ = referencedBy("manifest.prev.json");
        extra_ = json::object();
        for (const char* k : {"versions"})
            if (m.contains(k)) extra_[k] = m[k];
        lastManifest_ = m;
        if (fromFallback) {
            // Recovered from the fallback: the next save writes a complete new manifest.
            d.markAllDirty();
            prevFiles_.clear();
        }
    } catch (const std::runtime_error& e) {
        d.clear();
        std::string w = e.what();
        size_t bar = w.find('|');
        if (bar != std::string::npos) return fail(w.substr(0, bar).c_str(), w.substr(bar + 1));
        return fail("STORAGE_CORRUPT", std::string("The stored manifest is incomplete: ") + w);
    } catch (const json::exception& e) {
        d.clear();
        return fail("STORAGE_CORRUPT", std::string("The stored manifest is incomplete: ") + e.what());
    } catch (const std::bad_alloc&) {
        d.clear();
        return fail("OUT_OF_MEMORY", "Not enough memory to load the stored directory");
    }
    if (format < kStorageFormat) {
        // 1 -> 2: nothing to convert in the chunks; the manifest gains new keys on the next save.
        // 2 -> 3: format-2 chunks stay readable (each chunk names its own version), but the next
        // save rewrites them all in the smaller format 3.
        if (format < 3) d.markAllDirty();
        res.notices.push_back(Diag{"MIGRATED", "The stored directory was upgraded from format " + std::to_string(format) + " to " +
                                                   std::to_string(kStorageFormat), 0, 0});
        res.migratedFrom = format;
        d.dirtyMeta() = true;
    }
    return res;
}

void Store::dropPreEncoded() {
    for (auto* pre : {&preUsers_, &preIdents_})
        for (auto& [k, c] : *pre)
            if (!c.file.empty()) ::unlink(path(c.file).c_str());
    preUsers_.clear();
    preIdents_.clear();
    preRevision_ = 0;
}

void Store::keepPreEncoded(std::map<uint32_t, PreChunk>& pre, const char* kind, uint32_t k, PreChunk chunk) {
    chunk.crc = crc32Fast(chunk.data.data(), chunk.data.size());
    chunk.bytes = chunk.data.size();
    chunk.file = std::string("pre-") + kind + "-" + std::to_string(k) + ".tmp";
    // The folder exists once the store has saved or loaded; make it only when the first write fails.
    bool ok = writeFile(path(chunk.file), chunk.data);
    if (!ok) {
        mkdirs(dir_);
        ok = writeFile(path(chunk.file), chunk.data);
    }
    if (ok) std::string().swap(chunk.data);
    else {
        ::unlink(path(chunk.file).c_str());
        chunk.file.clear();   // the save writes the bytes itself
    }
    pre[k] = std::move(chunk);
}

Store::PreChunk* Store::preEncoded(std::map<uint32_t, PreChunk>& pre, uint32_t k, uint32_t count, uint64_t stamp, uint64_t revision) {
    auto it = pre.find(k);
    if (it == pre.end() || it->second.count != count || it->second.revision < stamp || it->second.revision > revision) return nullptr;
    return &it->second;
}

bool Store::preEncode(const Directory& d, std::chrono::steady_clock::time_point deadline) {
    if (writeFormat_ < 3) return true;                      // (tests of format 2 save as before)
    if (d.revision() < preRevision_) dropPreEncoded();      // a different directory (cleared, reloaded)
    preRevision_ = d.revision();
    const uint32_t nUserChunks = (d.slotCount() + kUsersPerChunk - 1) / kUsersPerChunk;
    const uint32_t nIdentChunks = uint32_t((d.identities().size() + kIdentsPerChunk - 1) / kIdentsPerChunk);
    auto pending = [&](const std::vector<std::string>& files, const std::vector<uint8_t>& dirty, uint32_t k) {
        return !loaded_ || k >= files.size() || files[k].empty() || (k < dirty.size() && dirty[k]);
    };
    const auto& du = d.dirtyUserChunks();
    const auto& di = d.dirtyIdentChunks();
    bool encoded = false;
    for (uint32_t k = 0; k < nUserChunks; ++k) {
        const uint32_t first = k * kUsersPerChunk, count = std::min(kUsersPerChunk, d.slotCount() - first);
        if (!pending(userFiles_, du, k) || preEncoded(preUsers_, k, count, d.userChunkStamp(k), d.revision())) continue;
        if (encoded && std::chrono::steady_clock::now() >= deadline) return false;   // at least one chunk a call
        keepPreEncoded(preUsers_, "users", k, PreChunk{d.revision(), count, encodeUserChunk(d, first, count)});
        encoded = true;
    }
    for (uint32_t k = 0; k < nIdentChunks; ++k) {
        const uint32_t first = k * kIdentsPerChunk, count = std::min<uint32_t>(kIdentsPerChunk, uint32_t(d.identities().size()) - first);
        if (!pending(identFiles_, di, k) || preEncoded(preIdents_, k, count, d.identChunkStamp(k), d.revision())) continue;
        if (encoded && std::chrono::steady_clock::now() >= deadline) return false;
        keepPreEncoded(preIdents_, "ident", k, PreChunk{d.revision(), count, encodeIdentChunk(d, first, count)});
        encoded = true;
    }
    return true;
}

StoreResult Store::save(Directory& d) {
    struct DropPreEncoded {   // whatever happens, encodings made ahead are for this save only
        Store* s;
        ~DropPreEncoded() { s->dropPreEncoded(); }
    } dropAtEnd{this};
    mkdirs(dir_);
    if (!loaded_) {
        // Nothing of ours known on disk: write everything (a previous manifest, if any, is replaced).
        d.markAllDirty();
        if (exists()) {
            std::string text;
            if (readFile(path("manifest.json"), text)) {
                json m = json::parse(text, nullptr, false);
                if (m.is_object()) {
                    if (m.value("format", 0) > kStorageFormat)
                        return fail("FORMAT_TOO_NEW", "Refusing to overwrite a directory stored by a newer Roster");
                    generation_ = m.value("generation", 0ull);
                }
            }
        }
    }
    uint64_t gen = generation_ + 1;
    StoreResult res;
    std::vector<std::string> written;
    auto unlinkWritten = [&] { for (auto& w : written) ::unlink(path(w).c_str()); };
    auto wrote = [&](const std::string& name, uint64_t bytes) {
        written.push_back(name);
        res.bytesWritten += bytes;
        ++res.filesWritten;
    };
    auto put = [&](const std::string& name, const std::string& data) {
        if (!writeFile(path(name), data)) {
            unlinkWritten();
            throw std::runtime_error("could not write " + name);
        }
        wrote(name, data.size());
    };
    std::vector<std::string> userFiles = userFiles_, identFiles = identFiles_;
    std::vector<uint32_t> userCrc = userCrc_, identCrc = identCrc_;
    std::vector<uint64_t> userBytes = userBytes_, identBytes = identBytes_;
    std::string aliasFile = aliasFile_;
    uint32_t aliasCrc = aliasCrc_;
    uint64_t aliasBytes = aliasBytes_;
    try {
        uint32_t nUserChunks = (d.slotCount() + kUsersPerChunk - 1) / kUsersPerChunk;
        uint32_t nIdentChunks = uint32_t((d.identities().size() + kIdentsPerChunk - 1) / kIdentsPerChunk);
        userFiles.resize(nUserChunks);
        userCrc.resize(nUserChunks);
        userBytes.resize(nUserChunks);
        identFiles.resize(nIdentChunks);
        identCrc.resize(nIdentChunks);
        identBytes.resize(nIdentChunks);
        // An encoding made ahead (preEncode) is used when its chunk has not changed since: its file
        // is renamed into place (no bytes copied), or its bytes are written when that file is missing.
        // Answers whether the chunk's file is now written (name, crc and size set).
        auto takeWritten = [&](std::map<uint32_t, PreChunk>& pre, uint32_t k, uint32_t count, uint64_t stamp, const std::string& name,
                               uint32_t& crc, uint64_t& bytes) {
            PreChunk* p = writeFormat_ >= 3 ? preEncoded(pre, k, count, stamp, d.revision()) : nullptr;
            if (!p) return false;
            if (!p->file.empty()) {
                if (::rename(path(p->file).c_str(), path(name).c_str()) != 0) return false;
                p->file.clear();
                wrote(name, p->bytes);
            } else {
                if (p->data.size() != p->bytes) return false;
                put(name, p->data);
            }
            crc = p->crc;
            bytes = p->bytes;
            return true;
        };
        auto& du = d.dirtyUserChunks();
        for (uint32_t k = 0; k < nUserChunks; ++k) {
            if (!userFiles[k].empty() && !(k < du.size() && du[k])) continue;
            uint32_t first = k * kUsersPerChunk, count = std::min(kUsersPerChunk, d.slotCount() - first);
            std::string name = chunkName("users", k, gen);
            userFiles[k] = name;
            if (takeWritten(preUsers_, k, count, d.userChunkStamp(k), name, userCrc[k], userBytes[k])) continue;
            std::string data = writeFormat_ >= 3 ? encodeUserChunk(d, first, count) : encodeUserChunkV2(d, first, count);
            put(name, data);
            userCrc[k] = crc32Fast(data.data(), data.size());
            userBytes[k] = data.size();
        }
        auto& di = d.dirtyIdentChunks();
        for (uint32_t k = 0; k < nIdentChunks; ++k) {
            if (!identFiles[k].empty() && !(k < di.size() && di[k])) continue;
            uint32_t first = k * kIdentsPerChunk, count = std::min<uint32_t>(kIdentsPerChunk, uint32_t(d.identities().size()) - first);
            std::string name = chunkName("ident", k, gen);
            identFiles[k] = name;
            if (takeWritten(preIdents_, k, count, d.identChunkStamp(k), name, identCrc[k], identBytes[k])) continue;
            std::string data = writeFormat_ >= 3 ? encodeIdentChunk(d, first, count) : encodeIdentChunkV2(d, first, count);
            put(name, data);
            identCrc[k] = crc32Fast(data.data(), data.size());
            identBytes[k] = data.size();
        }
        if (aliasFile.empty() || d.dirtyAliases()) {
            std::string data = writeFormat_ >= 3 ? encodeAliasChunk(d) : encodeAliasChunkV2(d);
            std::string name = chunkName("alias", 0, gen);
            put(name, data);
            aliasFile = name;
            aliasCrc = crc32Fast(data.data(), data.size());
            aliasBytes = data.size();
        }
        json m;
        m["format"] = writeFormat_;
        m["app"] = "roster";
        m["generation"] = gen;
        m["nextUserId"] = d.nextUserId();
        m["counts"] = {{"slots", d.slotCount()}, {"users", d.userCount()}, {"identities", d.identities().size()},
                       {"aliases", d.aliases().size()}};
        json attrs = json::array();
        for (const AttrDef& a : d.attrDefs())
            attrs.push_back({{"key", d.s(a.key)}, {"label", d.s(a.label)}, {"header", d.s(a.header)},
                             {"type", attrTypeName(a.type)}, {"alive", a.alive}});
        m["attributes"] = attrs;
        json integs = json::array();
        for (const Integration& i : d.integrations())
            integs.push_back({{"name", d.s(i.name)}, {"kind", integKindName(i.kind)}, {"alive", i.alive}});
        m["integrations"] = integs;
        json units = json::array();
        for (const OrgUnit& u : d.orgUnits()) {
            json f = json::parse(d.s(u.filter), nullptr, false);
            units.push_back({{"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f}, {"alive", u.alive}});
        }
        m["orgUnits"] = units;
        json rejected = json::array(), bots = json::array();
        for (const auto& r : d.rejected()) if (r.alive) rejected.push_back(d.s(r.key));
        for (const auto& r : d.botPatterns()) if (r.alive) bots.push_back(d.s(r.key));
        m["rejectedSuggestions"] = rejected;
        m["botPatterns"] = bots;
        json chunks = json::array();
        for (size_t k = 0; k < userFiles.size(); ++k)
            chunks.push_back({{"kind", "users"}, {"file", userFiles[k]}, {"crc32", userCrc[k]}, {"bytes", userBytes[k]}});
        for (size_t k = 0; k < identFiles.size(); ++k)
            chunks.push_back({{"kind", "identities"}, {"file", identFiles[k]}, {"crc32", identCrc[k]}, {"bytes", identBytes[k]}});
        chunks.push_back({{"kind", "aliases"}, {"file", aliasFile}, {"crc32", aliasCrc}, {"bytes", aliasBytes}});
        m["chunks"] = chunks;
        for (auto it = extra_.begin(); it != extra_.end(); ++it) m[it.key()] = it.value();
        lastManifest_ = m;
        std::string mtext = m.dump(1, ' ', false, json::error_handler_t::replace);
        // New chunks are in place: now switch the pointer, keeping the previous manifest as a fallback.
        bool keptPrev = loaded_ && exists() && ::rename(path("manifest.json").c_str(), path("manifest.prev.json").c_str()) == 0;
        if (!writeFile(path("manifest.json.tmp"), mtext) || ::rename(path("manifest.json.tmp").c_str(), path("manifest.json").c_str()) != 0) {
            unlinkWritten();
            if (keptPrev) ::rename(path("manifest.prev.json").c_str(), path("manifest.json").c_str());
            throw std::runtime_error("could not write manifest.json");
        }
        if (keptPrev) written.push_back("manifest.prev.json");
        written.push_back("manifest.json");
        res.bytesWritten += mtext.size();
        ++res.filesWritten;
    } catch (const std::runtime_error& e) {
        return fail("STORAGE_IO", std::string("Saving failed: ") + e.what());
    } catch (const std::bad_alloc&) {
        unlinkWritten();
        return fail("OUT_OF_MEMORY", "Not enough memory to save");
    }
    std::vector<std::string> removed;
    // Chunk files referenced by neither the new manifest nor the previous one (the fallback) go.
    std::set<std::string> keep(userFiles.begin(), userFiles.end());
    keep.insert(identFiles.begin(), identFiles.end());
    keep.insert(aliasFile);
    std::set<std::string> previous(userFiles_.begin(), userFiles_.end());
    previous.insert(identFiles_.begin(), identFiles_.end());
    if (!aliasFile_.empty()) previous.insert(aliasFile_);
    for (const std::string& f : prevFiles_)
        if (!keep.count(f) && !previous.count(f) && ::unlink(path(f).c_str()) == 0) removed.push_back(f);
    prevFiles_ = previous;
    if (!loaded_) {
        // Files of an earlier, unknown manifest: remove everything we do not reference now.
        if (DIR* dp = ::opendir(dir_.c_str())) {
            std::vector<std::string> stale;
            while (dirent* e = ::readdir(dp)) {
                std::string n = e->d_name;
                if (n.size() > 4 && n.compare(n.size() - 4, 4, ".bin") == 0 && !keep.count(n)) stale.push_back(n);
            }
            ::closedir(dp);
            for (auto& n : stale)
                if (::unlink(path(n).c_str()) == 0) removed.push_back(n);
        }
    }
    userFiles_ = std::move(userFiles);
    identFiles_ = std::move(identFiles);
    userCrc_ = std::move(userCrc);
    identCrc_ = std::move(identCrc);
    userBytes_ = std::move(userBytes);
    identBytes_ = std::move(identBytes);
    aliasFile_ = aliasFile;
    aliasCrc_ = aliasCrc;
    aliasBytes_ = aliasBytes;
    generation_ = gen;
    loaded_ = true;
    d.clearDirty();
    changed_.insert(written.begin(), written.end());
    changed_.insert(removed.begin(), removed.end());
    res.written = std::move(written);
    res.removed = std::move(removed);
    return res;
}

}  // namespace roster
