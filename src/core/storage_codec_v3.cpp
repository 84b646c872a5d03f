// Chunks of format 3: the header (version 3; its flags byte: 1 = meta section compressed, 2 = text
// section compressed, 4 = the compressed sections are lz4 blocks: written by lz4 itself, lz.h),
// then u32 metaRaw, metaStored, textRaw, textStored, the meta section, the text section. The meta
// section holds numbers as LEB128 varints (and bytes); the text section every string's bytes, back
// to back, in the order the meta section names their lengths. Both go through lzCompress when that
// makes them smaller.
// Chunks without flag 4 were written by Roster's own LZ encoder (before lz4): the same block
// layout, but lz4's decoder refuses most of them, so they are read with legacy::lzDecompress
// (lz_legacy.h). The other way round needs nothing: lz4's blocks keep LZ4's stricter rules, which
// the older decoder reads, so a version of Roster from before lz4 still loads chunks written now
// (it ignores flag 4).
//   users:      ids (zigzag deltas), alive bytes, name lengths, email lengths, the column count, then
//               per column: attribute index, mode (0 = plain: one length a slot; 1 = dictionary: the
//               count of distinct values, their lengths, then one varint a slot, 0 = empty, k = the
//               k-th value)
//   identities: owners + 1 (zigzag deltas; 0 = none), integrations, alive bytes, flag bytes, accounts
//               (length << 1 | packed: lower-case hex of even length stored two digits a byte),
//               display name lengths
//   aliases:    owners + 1 (0 = none), alive bytes, email lengths
#include <chrono>
#include <unordered_map>

#include "lz.h"
#include "lz_legacy.h"
#include "storage_codec_internal.h"

namespace roster {

namespace {

constexpr uint16_t kVersion = 3;
constexpr uint8_t kMetaLz = 1, kTextLz = 2, kLz4 = 4;

inline uint32_t zigzag(int32_t v) { return (uint32_t(v) << 1) ^ uint32_t(v >> 31); }
inline int32_t unzigzag(uint32_t v) { return int32_t(v >> 1) ^ -int32_t(v & 1); }

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// ---- encoding

struct Chunk3 {
    Writer meta;
    std::string text;
    void str(std::string_view v) { text.append(v.data(), v.size()); }
};

std::string finish3(ChunkKind k, uint32_t first, uint32_t count, Chunk3& c, Packing packing) {
    std::string metaZ, textZ;
    const bool mz = lzCompress(c.meta.b.data(), c.meta.b.size(), metaZ, packing) && metaZ.size() < c.meta.b.size();
    const bool tz = lzCompress(c.text.data(), c.text.size(), textZ, packing) && textZ.size() < c.text.size();
    const std::string& m = mz ? metaZ : c.meta.b;
    const std::string& t = tz ? textZ : c.text;
    Writer w;
    w.b.reserve(kChunkHeader + 16 + m.size() + t.size());
    writeChunkHeader(w, k, first, count, kVersion, uint8_t(kLz4 | (mz ? kMetaLz : 0) | (tz ? kTextLz : 0)));
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

// The attribute columns of a user chunk. A column with few distinct values is stored as a dictionary
// (mode 1), otherwise as plain strings (mode 0).
void attrColumns3(Chunk3& c, const Directory& d, uint32_t first, uint32_t count) {
    const std::vector<uint32_t> cols = attrColumnsWithValues(d, first, count);
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
}

// ---- decoding

// Reads LEB128 varints with bounds checks.
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

// A body being read: the meta section's numbers (r) and the text section's bytes [t, te).
struct Body3 {
    VarReader r;
    const char* t;
    const char* te;
    size_t textRaw;
    std::string_view next(uint32_t n) {
        if (size_t(te - t) < n) { r.ok = false; return {}; }
        std::string_view v(t, n);
        t += n;
        return v;
    }
};

[[noreturn]] void corrupt(const std::string& file, const char* what) {
    throw std::runtime_error("STORAGE_CORRUPT|The stored chunk " + file + " " + what);
}

// One section of the body: as stored, or decompressed into `out`.
// `lz4`: the section is an lz4 block (flag kLz4), otherwise one of the hand-written encoder's.
const char* section(const std::string& file, const char* src, uint32_t stored, uint32_t raw, bool lz, bool lz4, std::string& out,
                    double& lzMs) {
    if (!lz) {
        if (stored != raw) corrupt(file, "has wrong section sizes");
        return src;
    }
    // A compressed section is never more than 255x smaller than its raw size... and never
    // larger than a value can be: refuse absurd sizes before allocating.
    if (raw > uint64_t(stored) * 256 + 64) corrupt(file, "has wrong section sizes");
    out.resize(raw);
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = lz4 ? lzDecompress(src, stored, &out[0], raw) : legacy::lzDecompress(src, stored, &out[0], raw);
    lzMs += msSince(t0);
    if (!ok) corrupt(file, "does not decompress");
    return out.data();
}

void dictColumn3(Directory& d, const std::string& file, uint32_t a, uint32_t first, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
    const uint32_t n = r.var();
    if (!r.ok || n > count) corrupt(file, "has a damaged dictionary");
    sc.dict.assign(1, Str{});
    for (uint32_t k = 0; k < n; ++k) {
        std::string_view v = b.next(r.var());
        if (!r.ok) break;
        sc.dict.push_back(d.pool().add(v));
    }
    if (a < sc.reserved.size() && !sc.reserved[a]) {
        d.reserveAttrColumn(a, std::max<size_t>(sc.slots, first + count));
        sc.reserved[a] = 1;
    }
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t x = r.var();
        if (x > n) { r.ok = false; break; }
        if (x) d.loadAttrStr(a, first + i, sc.dict[x]);
    }
}

void attrColumnsDecode3(Directory& d, const std::string& file, uint32_t first, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
    const uint32_t ncols = r.var();
    for (uint32_t cix = 0; r.ok && cix < ncols; ++cix) {
        const uint32_t a = r.var();
        const uint32_t mode = r.var();
        if (!r.ok) break;
        if (a >= d.attrDefs().size()) corrupt(file, "names an unknown attribute");
        if (mode == 0) {
            for (uint32_t i = 0; i < count; ++i) {
                std::string_view v = b.next(r.var());
                if (!r.ok) break;
                if (!v.empty()) d.loadAttrValue(a, first + i, v);
            }
        } else if (mode == 1) {
            dictColumn3(d, file, a, first, count, b, sc);
        } else {
            corrupt(file, "has an unknown column mode");
        }
    }
}

void decodeUsers3(Directory& d, const std::string& file, uint32_t first, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
    // Lengths of names and emails come after ids and alive bytes: find them first.
    auto& ids = sc.nums;
    ids.resize(count);
    uint32_t prev = 0;
    for (uint32_t i = 0; i < count; ++i) ids[i] = prev = prev + uint32_t(unzigzag(r.var()));
    const char* alive = r.bytes(count);
    auto& names = sc.views;
    names.resize(count);
    for (uint32_t i = 0; i < count; ++i) names[i] = b.next(r.var());
    if (!r.ok) corrupt(file, "is truncated");
    for (uint32_t i = 0; i < count; ++i) {
        std::string_view email = b.next(r.var());
        if (!r.ok) corrupt(file, "is truncated");
        d.loadUser(ids[i], alive[i] != 0, names[i], email);
    }
    attrColumnsDecode3(d, file, first, count, b, sc);
}

// The accounts of an identity chunk into sc.views (packed hex ones unpacked into sc.hex).
void accounts3(const std::string& file, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
    auto& alen = sc.nums3;
    alen.resize(count);
    size_t hexChars = 0;
    for (uint32_t i = 0; i < count; ++i) {
        alen[i] = r.var();
        if (alen[i] & 1) hexChars += alen[i] >> 1;
    }
    if (!r.ok || hexChars > b.textRaw * 2) corrupt(file, "is truncated");
    sc.hex.resize(hexChars);
    char* h = sc.hex.empty() ? nullptr : &sc.hex[0];
    static const char kDigits[] = "0123456789abcdef";
    auto& acc = sc.views;
    acc.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t n = alen[i] >> 1;
        if (!(alen[i] & 1)) { acc[i] = b.next(n); continue; }
        if (n & 1) corrupt(file, "has a damaged account");
        std::string_view packed = b.next(n / 2);
        if (!r.ok) break;
        for (uint32_t k = 0; k < n / 2; ++k) {
            const unsigned char c = static_cast<unsigned char>(packed[k]);
            h[2 * k] = kDigits[c >> 4];
            h[2 * k + 1] = kDigits[c & 15];
        }
        acc[i] = std::string_view(h, n);
        h += n;
    }
    if (!r.ok) corrupt(file, "is truncated");
}

void decodeIdents3(Directory& d, const std::string& file, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
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
    accounts3(file, count, b, sc);
    const auto& acc = sc.views;
    for (uint32_t i = 0; i < count; ++i) {
        std::string_view disp = b.next(r.var());
        if (!r.ok) corrupt(file, "is truncated");
        if (integ[i] >= d.integrations().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown integration in " + file);
        d.loadIdentity(owners[i], uint16_t(integ[i]), alive[i] != 0, uint8_t(fl[i]), acc[i], disp);
    }
}

void decodeAliases3(Directory& d, const std::string& file, uint32_t count, Body3& b, ChunkScratch& sc) {
    VarReader& r = b.r;
    auto& owners = sc.nums;
    owners.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t o = r.var();
        owners[i] = o == 0 ? kNone : o - 1;
    }
    const char* alive = r.bytes(count);
    if (!r.ok) corrupt(file, "is truncated");
    for (uint32_t i = 0; i < count; ++i) {
        std::string_view em = b.next(r.var());
        if (!r.ok) corrupt(file, "is truncated");
        d.loadAlias(owners[i], alive[i] != 0, em);
    }
}

}  // namespace

std::string encodeUserChunk(const Directory& d, uint32_t first, uint32_t count, Packing packing) {
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
    attrColumns3(c, d, first, count);
    return finish3(ChunkKind::Users, first, count, c, packing);
}

std::string encodeIdentChunk(const Directory& d, uint32_t first, uint32_t count, Packing packing) {
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
    return finish3(ChunkKind::Identities, first, count, c, packing);
}

std::string encodeAliasChunk(const Directory& d, Packing packing) {
    Chunk3 c;
    const auto& als = d.aliases();
    const uint32_t count = uint32_t(als.size());
    for (uint32_t i = 0; i < count; ++i) c.meta.var(als[i].owner == kNone ? 0 : als[i].owner + 1);
    for (uint32_t i = 0; i < count; ++i) c.meta.u8(als[i].alive);
    strColumn3(c, count, [&](uint32_t i) { return d.s(als[i].email); });
    return finish3(ChunkKind::Aliases, 0, count, c, packing);
}

void decodeChunkV3(Directory& d, const std::string& file, ChunkKind kind, uint8_t flags, uint32_t first, uint32_t count,
                   const char* p, const char* end, ChunkScratch& sc) {
    if (end - p < 16) corrupt(file, "is truncated");
    uint32_t len[4];
    std::memcpy(len, p, 16);
    p += 16;
    const uint32_t metaRaw = len[0], metaStored = len[1], textRaw = len[2], textStored = len[3];
    if ((kind == ChunkKind::Users && count > kUsersPerChunk) || (kind == ChunkKind::Identities && count > kIdentsPerChunk) ||
        count > metaRaw)
        corrupt(file, "has a wrong record count");
    if (uint64_t(metaStored) + textStored != uint64_t(end - p)) corrupt(file, "has wrong section sizes");
    const char* meta = section(file, p, metaStored, metaRaw, flags & kMetaLz, flags & kLz4, sc.meta, sc.lzMs);
    const char* text = section(file, p + metaStored, textStored, textRaw, flags & kTextLz, flags & kLz4, sc.text, sc.lzMs);
    const auto* m = reinterpret_cast<const unsigned char*>(meta);
    Body3 b{VarReader{m, m + metaRaw}, text, text + textRaw, textRaw};
    switch (kind) {
        case ChunkKind::Users: decodeUsers3(d, file, first, count, b, sc); break;
        case ChunkKind::Identities: decodeIdents3(d, file, count, b, sc); break;
        case ChunkKind::Aliases: decodeAliases3(d, file, count, b, sc); break;
    }
    if (!b.r.ok || b.r.p != b.r.end || b.t != b.te) corrupt(file, "is truncated or has trailing data");
}

}  // namespace roster
