#pragma once
// The stored directory (format version 3; see kStorageFormat):
//   <dir>/manifest.json        small JSON: format, generation, ids, attribute/integration/org-unit
//                              definitions, and the list of chunk files with sizes and CRC-32s
//   <dir>/users-<k>.<gen>.bin  users of slots [k*16384, (k+1)*16384): ids, flags, names, emails,
//                              attribute values (columnar, length-prefixed, no parsing needed)
//   <dir>/ident-<k>.<gen>.bin  identities (accounts) [k*32768, ...): owner slot, integration, id, name
//   <dir>/alias-0.<gen>.bin    alias emails
// Only dirty chunks are written on save, under a new generation name, before the manifest is
// replaced; the replaced manifest stays as manifest.prev.json with its chunks, the fallback when the
// latest save cannot be read (STORAGE_RECOVERED). A reader checks each chunk's CRC.
// Slots (including removed ones) keep their positions, so chunk k always holds the same slots.
#include <nlohmann/json.hpp>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "diag.h"
#include "model.h"

namespace roster {

// Format history: 1 = chunks + manifest; 2 = adds the index of stored versions, rejected
// suggestions and bot patterns to the manifest (a format-1 directory migrates on load: MIGRATED);
// 3 = smaller chunks: varint numbers, attribute columns as per-chunk dictionaries, and each chunk's
// numbers and text compressed with lzCompress (lz.h). Every chunk names its own version in its
// header, so a manifest may list chunks of formats 1-3 (a migrated directory before its next save,
// stored versions); loading a format 1 or 2 directory marks everything dirty so that the next save
// rewrites it in format 3.
constexpr int kStorageFormat = 3;

struct StoreResult {
    bool ok = true;
    Diag error;                    // STORAGE_CORRUPT, FORMAT_TOO_NEW, STORAGE_IO, ...
    std::vector<Diag> notices;     // e.g. MIGRATED
    bool empty = false;            // load: nothing stored yet
    bool recovered = false;
    int migratedFrom = 0;          // load: the format this directory was migrated from (0 = none)        // load: the latest save was damaged and the previous one was opened
    size_t bytesWritten = 0;       // save: bytes of chunk files written
    size_t filesWritten = 0;
    // save: the files (names inside the store's folder) this save created or replaced, chunks first
    // and manifest.json last, and the files it removed. Exactly what must reach durable storage.
    std::vector<std::string> written, removed;
    // load: where the time went (milliseconds): reading chunk files, checking CRCs, decoding into
    // the model, building the indexes.
    double readMs = 0, crcMs = 0, decodeMs = 0, indexMs = 0;
    double lzMs = 0;               // load: the part of decodeMs spent decompressing (format 3)
};

class Store {
public:
    explicit Store(std::string dir) : dir_(std::move(dir)) {}
    const std::string& dir() const { return dir_; }
    bool exists() const;
    // Loads into an empty directory d. On error d is left empty and nothing on disk is touched.
    StoreResult load(Directory& d);
    // Writes what is dirty (everything, the first time). Clears d's dirty bits on success.
    StoreResult save(Directory& d);
    // Encodes the chunks the next save() will write, ahead of it and until `deadline`: after a
    // large import that is every chunk, seconds of work the app spreads over frames instead of
    // doing inside one. save() then writes each encoding whose chunk has not changed since (its
    // dirty stamp is not newer and its slot count is the same) and encodes the others itself, so
    // what it writes is still the directory of one revision. True when no chunk is left to encode.
    bool preEncode(const Directory& d, std::chrono::steady_clock::time_point deadline);
    size_t preEncodedChunks() const { return preUsers_.size() + preIdents_.size(); }
    // Removes every stored file (used by tests and "start over").
    void wipe();
    uint64_t generation() const { return generation_; }
    // The format saves write (tests write format 2 with it to check migration). 2 or 3.
    void setWriteFormat(int f) { writeFormat_ = f; }

    // Files changed by saves (and wipe) since the last takeChanged(): the names written or removed,
    // not yet confirmed durable. The platform copies exactly these to IndexedDB (a name that no
    // longer exists is deleted there); when that fails it hands them back with keepChanged() so the
    // next sync writes them again.
    std::vector<std::string> takeChanged();
    void keepChanged(const std::vector<std::string>& names) { changed_.insert(names.begin(), names.end()); }
    bool hasChanged() const { return !changed_.empty(); }

    // Extra top-level manifest keys kept by the platform (e.g. "versions": the index of stored
    // versions). Read on load, written on every save.
    nlohmann::json& extra() { return extra_; }
    // The manifest of the latest load or save: the chunk files and metadata of that state.
    const nlohmann::json& lastManifest() const { return lastManifest_; }
    // Loads the directory described by a manifest (e.g. a stored version's), reading chunk files from
    // this store's folder and then from extraDirs.
    StoreResult loadJson(Directory& d, const nlohmann::json& manifest, bool fromFallback = false);
    std::vector<std::string> extraDirs_;

private:
    // A chunk encoded ahead. It is written at once to a file of its own ("pre-users-K.tmp": a name
    // no manifest uses, which only this store writes and no sync ever persists), which the save
    // renames into place: the save then neither encodes nor copies the bytes into the file system
    // (62 MB after a million-row import, 0.3 s inside one frame). `data` holds the bytes only when
    // that write failed (the save writes them itself).
    struct PreChunk {
        uint64_t revision = 0;
        uint32_t count = 0;
        std::string data;
        std::string file;    // the pre- file holding the bytes, or empty
        uint32_t crc = 0;
        uint64_t bytes = 0;
    };
    std::map<uint32_t, PreChunk> preUsers_, preIdents_;   // see preEncode()
    uint64_t preRevision_ = 0;                            // the latest revision preEncode saw
    // Forgets the encodings made ahead and removes their files (those a save renamed are gone).
    void dropPreEncoded();
    void keepPreEncoded(std::map<uint32_t, PreChunk>& pre, const char* kind, uint32_t k, PreChunk chunk);
    // An encoding made ahead that is still chunk k's: made for the same slot count, at or after the
    // revision that last dirtied the chunk, and not after the directory's present revision.
    PreChunk* preEncoded(std::map<uint32_t, PreChunk>& pre, uint32_t k, uint32_t count, uint64_t stamp, uint64_t revision);
    StoreResult loadManifest(Directory& d, const std::string& manifestName);
    bool readChunk(const std::string& file, std::string& buf) const;
    nlohmann::json extra_ = nlohmann::json::object();
    nlohmann::json lastManifest_;
    std::set<std::string> referencedBy(const std::string& manifestName) const;
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    std::set<std::string> changed_;            // see takeChanged()
    std::set<std::string> prevFiles_;          // chunk files of manifest.prev.json (kept as the fallback)
    std::string dir_;
    int writeFormat_ = kStorageFormat;
    uint64_t generation_ = 0;
    bool loaded_ = false;                      // chunk names below reflect what is on disk
    std::vector<std::string> userFiles_, identFiles_;
    std::string aliasFile_;
    std::vector<uint32_t> userCrc_, identCrc_;
    std::vector<uint64_t> userBytes_, identBytes_;
    uint32_t aliasCrc_ = 0;
    uint64_t aliasBytes_ = 0;
};

// Serialises one chunk in format 3 (exposed for tests and the benchmark); the V2 variants write
// the format-2 layout (fixed-size numbers, plain string columns).
std::string encodeUserChunk(const Directory& d, uint32_t first, uint32_t count);
std::string encodeIdentChunk(const Directory& d, uint32_t first, uint32_t count);
std::string encodeAliasChunk(const Directory& d);
std::string encodeUserChunkV2(const Directory& d, uint32_t first, uint32_t count);
std::string encodeIdentChunkV2(const Directory& d, uint32_t first, uint32_t count);
std::string encodeAliasChunkV2(const Directory& d);
// CRC-32 of chunk files: the same value as crc32() (text.h), computed eight bytes at a time.
uint32_t crc32Fast(const void* data, size_t n);

}  // namespace roster
