// Chunks of formats 1 and 2 (the same layout; format 1 only named version 1 in the header).
// After the header: numbers fixed-size (u32 ids and owners, u16 integrations, u8 flags), and each
// string column as all its lengths (u32) then all its bytes.
//   users:      ids, alive bytes, names, emails, u32 column count, then per column: u32 attribute
//               index and its values (only attributes with a value in this chunk)
//   identities: owners, integrations, alive bytes, flag bytes, accounts, display names
//   aliases:    owners, alive bytes, emails
#include <stdexcept>

#include "storage_codec_internal.h"

namespace roster {

namespace {

constexpr uint16_t kVersion = 2;

// Writes a column of strings: all lengths, then all bytes.
template <class Get>
void strColumn(Writer& w, uint32_t count, Get get) {
    size_t total = 0;
    for (uint32_t i = 0; i < count; ++i) { uint32_t n = uint32_t(get(i).size()); w.u32(n); total += n; }
    w.b.reserve(w.b.size() + total);
    for (uint32_t i = 0; i < count; ++i) w.bytes(get(i));
}

inline uint32_t rd32(const uint32_t* a, size_t i) { uint32_t v; std::memcpy(&v, reinterpret_cast<const char*>(a) + i * 4, 4); return v; }

// Reads a column of strings: all lengths, then all bytes (up to the first shortfall: r.ok false).
std::vector<std::string_view> readStrColumn(Reader& r, uint32_t count) {
    const uint32_t* lens = r.u32s(count);
    std::vector<std::string_view> out(count);
    for (uint32_t i = 0; r.ok && i < count; ++i) out[i] = r.str(rd32(lens, i));
    return out;
}

[[noreturn]] void truncated(const std::string& file) { throw std::runtime_error("STORAGE_CORRUPT|Truncated chunk " + file); }

void decodeUsers(Directory& d, const std::string& file, uint32_t first, uint32_t count, Reader& r) {
    const uint32_t* ids = r.u32s(count);
    std::string_view alive = r.str(count);
    const std::vector<std::string_view> names = readStrColumn(r, count);
    const std::vector<std::string_view> emails = readStrColumn(r, count);
    if (!r.ok) truncated(file);
    for (uint32_t i = 0; i < count; ++i) d.loadUser(rd32(ids, i), alive[i] != 0, names[i], emails[i]);
    uint32_t ncols = r.u32();
    for (uint32_t cix = 0; r.ok && cix < ncols; ++cix) {
        uint32_t a = r.u32();
        if (a >= d.attrDefs().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown attribute in " + file);
        const std::vector<std::string_view> values = readStrColumn(r, count);
        for (uint32_t i = 0; r.ok && i < count; ++i)
            if (!values[i].empty()) d.loadAttrValue(a, first + i, values[i]);
    }
    if (!r.ok) truncated(file);
}

void decodeIdents(Directory& d, const std::string& file, uint32_t count, Reader& r) {
    const uint32_t* owners = r.u32s(count);
    std::vector<uint16_t> integ(count);
    for (uint32_t i = 0; i < count; ++i) integ[i] = r.u16();
    std::string_view alive = r.str(count), flags = r.str(count);
    const std::vector<std::string_view> acc = readStrColumn(r, count);
    const std::vector<std::string_view> disp = readStrColumn(r, count);
    if (!r.ok) truncated(file);
    for (uint32_t i = 0; i < count; ++i) {
        if (integ[i] >= d.integrations().size()) throw std::runtime_error("STORAGE_CORRUPT|Unknown integration in " + file);
        d.loadIdentity(rd32(owners, i), integ[i], alive[i] != 0, uint8_t(flags[i]), acc[i], disp[i]);
    }
}

void decodeAliases(Directory& d, const std::string& file, uint32_t count, Reader& r) {
    const uint32_t* owners = r.u32s(count);
    std::string_view alive = r.str(count);
    const std::vector<std::string_view> em = readStrColumn(r, count);
    if (!r.ok) truncated(file);
    for (uint32_t i = 0; i < count; ++i) d.loadAlias(rd32(owners, i), alive[i] != 0, em[i]);
}

}  // namespace

std::string encodeUserChunkV2(const Directory& d, uint32_t first, uint32_t count) {
    Writer w;
    writeChunkHeader(w, ChunkKind::Users, first, count, kVersion);
    for (uint32_t i = 0; i < count; ++i) w.u32(d.userId(first + i));
    for (uint32_t i = 0; i < count; ++i) w.u8(d.userAlive(first + i) ? 1 : 0);
    strColumn(w, count, [&](uint32_t i) { return d.userName(first + i); });
    strColumn(w, count, [&](uint32_t i) { return d.userEmail(first + i); });
    const std::vector<uint32_t> cols = attrColumnsWithValues(d, first, count);
    w.u32(uint32_t(cols.size()));
    for (uint32_t a : cols) {
        w.u32(a);
        strColumn(w, count, [&](uint32_t i) { return d.attrValue(a, first + i); });
    }
    return std::move(w.b);
}

std::string encodeIdentChunkV2(const Directory& d, uint32_t first, uint32_t count) {
    Writer w;
    writeChunkHeader(w, ChunkKind::Identities, first, count, kVersion);
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
    writeChunkHeader(w, ChunkKind::Aliases, 0, count, kVersion);
    for (uint32_t i = 0; i < count; ++i) w.u32(als[i].owner);
    for (uint32_t i = 0; i < count; ++i) w.u8(als[i].alive);
    strColumn(w, count, [&](uint32_t i) { return d.s(als[i].email); });
    return std::move(w.b);
}

void decodeChunkV2(Directory& d, const std::string& file, ChunkKind kind, uint32_t first, uint32_t count, Reader& r) {
    switch (kind) {
        case ChunkKind::Users: decodeUsers(d, file, first, count, r); break;
        case ChunkKind::Identities: decodeIdents(d, file, count, r); break;
        case ChunkKind::Aliases: decodeAliases(d, file, count, r); break;
    }
}

}  // namespace roster
