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
// The bytes inside each chunk file are the codec's (storage_codec.h); this is the file bookkeeping.
#include <nlohmann/json.hpp>
#include <array>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "diag.h"
#include "model.h"
#include "storage_codec.h"

namespace roster {

struct StoreResult {
    bool ok = true;
    Diag error;                    // STORAGE_CORRUPT, FORMAT_TOO_NEW, STORAGE_IO, ...
    std::vector<Diag> notices;     // e.g. MIGRATED
    bool empty = false;            // load: nothing stored yet
    bool recovered = false;        // load: the latest save was damaged and the previous one was opened
    int migratedFrom = 0;          // load: the format this directory was migrated from (0 = none)
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
    size_t preEncodedChunks() const;
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
    // A chunk file a manifest lists: its name inside the folder, CRC-32 and size.
    struct ChunkFile {
        std::string name;
        uint32_t crc = 0;
        uint64_t bytes = 0;
    };
    // The chunk files of one manifest, by kind (kindIndex) and chunk number.
    using ChunkFiles = std::array<std::vector<ChunkFile>, kChunkKinds>;
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
    using PreChunks = std::map<uint32_t, PreChunk>;   // by chunk number
    struct SaveLog;                                   // what a save has written so far (store.cpp)

    // Forgets the encodings made ahead and removes their files (those a save renamed are gone).
    void dropPreEncoded();
    void keepPreEncoded(ChunkKind kind, uint32_t k, PreChunk chunk);
    // An encoding made ahead that is still chunk k's: made for the same slot count, at or after the
    // revision that last dirtied the chunk, and not after the directory's present revision.
    PreChunk* preEncoded(ChunkKind kind, uint32_t k, uint32_t count, uint64_t stamp, uint64_t revision);
    // Save steps: adopt the generation of a directory this store has not loaded (false: refused);
    // write the dirty chunks of one kind; put an encoding made ahead in place as `f`; write the
    // manifest, keeping the previous one; remove the chunk files no manifest kept needs any more.
    bool adoptUnknown(Directory& d, StoreResult& refused);
    void writeChunks(const Directory& d, ChunkKind kind, uint64_t gen, std::vector<ChunkFile>& files, SaveLog& log);
    bool takePreEncoded(const Directory& d, ChunkKind kind, uint32_t k, uint32_t count, ChunkFile& f, SaveLog& log);
    void writeManifest(const std::string& text, SaveLog& log);
    std::vector<std::string> removeUnreferenced(const ChunkFiles& files);
    // Load steps: read and decode the manifest's chunks into d, with their files.
    void loadChunks(Directory& d, const nlohmann::json& chunks, size_t slots, ChunkFiles& files, StoreResult& res);
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
    bool loaded_ = false;                      // files_ reflects what is on disk
    ChunkFiles files_;                         // of the latest load or save
    std::array<PreChunks, kChunkKinds> pre_;   // see preEncode()
    uint64_t preRevision_ = 0;                 // the latest revision preEncode saw
};

}  // namespace roster
