#pragma once
// The bytes of stored chunk files: encoding a directory's records into chunks and decoding them
// back, in formats 1, 2 and 3. Which files exist and when they are written is the Store's business
// (store.h); this is only what is inside one file.
//
// Every chunk starts with a 16-byte header: "RSTR", u16 version (1-3), u8 kind (ChunkKind), u8 flags
// (format 3: which sections are compressed), u32 first record, u32 record count. The body:
//   formats 1 and 2 (storage_codec_v2.cpp): fixed-size numbers, string columns as all lengths (u32)
//     then all bytes;
//   format 3 (storage_codec_v3.cpp): numbers as varints, attribute columns as per-chunk dictionaries,
//     lower-case hex accounts packed, and the numbers and the text each compressed with lzCompress
//     (lz4's block format, lz.h; chunks written before lz4 by Roster's own LZ, lz_legacy.h, still load).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model.h"
#include "lz.h"

namespace roster {

// Format history: 1 = chunks + manifest; 2 = adds the index of stored versions, rejected
// suggestions and bot patterns to the manifest (a format-1 directory migrates on load: MIGRATED);
// 3 = smaller chunks: varint numbers, attribute columns as per-chunk dictionaries, and each chunk's
// numbers and text compressed with lzCompress (lz.h: lz4 since issue 18; a flag bit in the chunk
// header tells lz4's blocks from those of the hand-written LZ before it, lz_legacy.h). Every chunk names its own version in its
// header, so a manifest may list chunks of formats 1-3 (a migrated directory before its next save,
// stored versions); loading a format 1 or 2 directory marks everything dirty so that the next save
// rewrites it in format 3.
constexpr int kStorageFormat = 3;

// What a chunk holds (the kind byte of its header).
enum class ChunkKind : uint8_t { Users = 1, Identities = 2, Aliases = 3 };
constexpr size_t kChunkKinds = 3;

// Each kind of chunk, in the order a manifest lists them.
struct ChunkKindInfo {
    ChunkKind kind;
    const char* manifestKind;   // the manifest's "kind" of these chunks
    const char* filePrefix;     // their files are named <prefix>-<k>.<generation>.bin
};
constexpr ChunkKindInfo kChunkKindInfo[kChunkKinds] = {
    {ChunkKind::Users, "users", "users"},
    {ChunkKind::Identities, "identities", "ident"},
    {ChunkKind::Aliases, "aliases", "alias"},
};
inline size_t kindIndex(ChunkKind k) { return size_t(k) - 1; }
inline const ChunkKindInfo& kindInfo(ChunkKind k) { return kChunkKindInfo[kindIndex(k)]; }

// How a directory's records are cut into chunks: users kUsersPerChunk slots a chunk, identities
// kIdentsPerChunk a chunk, all aliases in one chunk (which exists even when there is none).
uint32_t chunkCount(const Directory& d, ChunkKind kind);
// The records [first, first + count) of chunk k of that kind.
void chunkRange(const Directory& d, ChunkKind kind, uint32_t k, uint32_t& first, uint32_t& count);

// Serialises one chunk in format 3 (exposed for tests and the benchmark); the V2 variants write
// the format-2 layout (fixed-size numbers, plain string columns).
std::string encodeUserChunk(const Directory& d, uint32_t first, uint32_t count, Packing packing = Packing::Small);
std::string encodeIdentChunk(const Directory& d, uint32_t first, uint32_t count, Packing packing = Packing::Small);
std::string encodeAliasChunk(const Directory& d, Packing packing = Packing::Small);
std::string encodeUserChunkV2(const Directory& d, uint32_t first, uint32_t count);
std::string encodeIdentChunkV2(const Directory& d, uint32_t first, uint32_t count);
std::string encodeAliasChunkV2(const Directory& d);
// One chunk of any kind in `format` (3, or 2 for the V2 layout); an alias chunk holds every alias.
// Format 3 chunks are packed as `packing` says (lz.h); formats 1 and 2 have one way.
std::string encodeChunk(const Directory& d, ChunkKind kind, uint32_t first, uint32_t count, int format, Packing packing = Packing::Small);

// CRC-32 of chunk files: the same value as crc32() (text.h), computed eight bytes at a time.
uint32_t crc32Fast(const void* data, size_t n);

struct ChunkScratch;   // buffers reused from chunk to chunk (storage_codec_internal.h)

// Decodes the chunk files of one manifest into a directory that already holds the manifest's
// definitions (attributes, integrations), in the manifest's order. A damaged chunk throws
// std::runtime_error("CODE|message"): STORAGE_CORRUPT with the reason.
class ChunkDecoder {
public:
    // `slots`: the slot count the manifest announces (attribute columns are sized for it at once).
    ChunkDecoder(Directory& d, size_t slots);
    ~ChunkDecoder();
    // Appends the records of one chunk file (`bytes`), which the manifest lists as `manifestKind`.
    // Answers the chunk's kind.
    ChunkKind decode(const std::string& file, const std::string& manifestKind, const std::string& bytes);
    // Time spent decompressing (format 3), milliseconds.
    double lzMs() const;

private:
    Directory& d_;
    std::unique_ptr<ChunkScratch> scratch_;
};

}  // namespace roster
