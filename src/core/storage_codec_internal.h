#pragma once
// Internal to the chunk codec (storage_codec*.cpp): the byte readers and writers, the chunk header,
// and each format's encoder and decoder entry points.
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "storage_codec.h"

namespace roster {

constexpr char kChunkMagic[4] = {'R', 'S', 'T', 'R'};
constexpr size_t kChunkHeader = 4 + 2 + 1 + 1 + 4 + 4;   // magic, version, kind, flags, first, count

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

// Reads fixed-size numbers and strings with bounds checks (formats 1 and 2, and the header).
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

inline void writeChunkHeader(Writer& w, ChunkKind k, uint32_t first, uint32_t count, uint16_t version, uint8_t flags = 0) {
    w.bytes(std::string_view(kChunkMagic, 4));
    w.u16(version);
    w.u8(uint8_t(k));
    w.u8(flags);
    w.u32(first);
    w.u32(count);
}

// The attribute columns that have any value in the slots [first, first + count), in attribute order
// (dead attributes too: indexes are stable).
std::vector<uint32_t> attrColumnsWithValues(const Directory& d, uint32_t first, uint32_t count);

// Buffers the format-3 decoder reuses from chunk to chunk, and which attribute columns it has sized
// for every slot.
struct ChunkScratch {
    std::string meta, text;
    std::vector<Str> dict;
    std::vector<uint32_t> nums, nums2, nums3;
    std::vector<std::string_view> views;
    std::string hex;
    double lzMs = 0;
    std::vector<uint8_t> reserved;   // by attribute: its column is sized for `slots`
    size_t slots = 0;
};

// Decodes the body of a chunk (after its header, `r` at the body) into d: formats 1 and 2.
void decodeChunkV2(Directory& d, const std::string& file, ChunkKind kind, uint32_t first, uint32_t count, Reader& r);
// The same for format 3: the body is [p, end); `flags` is the header's flags byte.
void decodeChunkV3(Directory& d, const std::string& file, ChunkKind kind, uint8_t flags, uint32_t first, uint32_t count,
                   const char* p, const char* end, ChunkScratch& sc);

}  // namespace roster
