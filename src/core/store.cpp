// The stored directory's files (store.h): the manifest, generations, the files each save writes and
// removes, encodings made ahead, and the fallback manifest. What is inside a chunk file is the
// codec's (storage_codec.h).
#include "store.h"
#include "text.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace roster {

using json = nlohmann::json;

namespace {

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

std::string chunkName(const char* prefix, size_t k, uint64_t gen) {
    return std::string(prefix) + "-" + std::to_string(k) + "." + std::to_string(gen) + ".bin";
}

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

StoreResult fail(const char* code, std::string msg) {
    StoreResult r;
    r.ok = false;
    r.error = Diag{code, std::move(msg), 0, 0};
    return r;
}

constexpr ChunkKind kKinds[] = {ChunkKind::Users, ChunkKind::Identities, ChunkKind::Aliases};
// The kinds encoded ahead of a save (the alias chunk is one small chunk: the save encodes it).
constexpr ChunkKind kKindsEncodedAhead[] = {ChunkKind::Users, ChunkKind::Identities};

// Chunk k of that kind changed since the last save or load.
bool chunkDirty(const Directory& d, ChunkKind kind, uint32_t k) {
    switch (kind) {
        case ChunkKind::Users: return k < d.dirtyUserChunks().size() && d.dirtyUserChunks()[k];
        case ChunkKind::Identities: return k < d.dirtyIdentChunks().size() && d.dirtyIdentChunks()[k];
        case ChunkKind::Aliases: break;
    }
    return d.dirtyAliases();
}

// The revision that last dirtied chunk k (kinds encoded ahead only).
uint64_t chunkStamp(const Directory& d, ChunkKind kind, uint32_t k) {
    return kind == ChunkKind::Users ? d.userChunkStamp(k) : d.identChunkStamp(k);
}

// The directory's definitions and lists, as a manifest holds them.
void putDefinitions(const Directory& d, json& m) {
    json attrs = json::array();
    for (const AttrDef& a : d.attrDefs())
        attrs.push_back({{"key", d.s(a.key)}, {"label", d.s(a.label)}, {"header", d.s(a.header)},
                         {"type", attrTypeName(a.type)}, {"alive", a.alive}});
    m["attributes"] = attrs;
    json integs = json::array();
    for (const Integration& i : d.integrations())
        integs.push_back({{"name", d.s(i.name)}, {"kind", integKindName(i.kind)}, {"alive", i.alive}});
    m["integrations"] = integs;
    // Org units, dead ones too (their ids are never given again): "id", and "parent" the parent's id
    // (absent at the top level). Both arrived after format 3 began; a manifest without them loads
    // with ids 1, 2... in list order and every unit at the top level.
    json units = json::array();
    for (const OrgUnit& u : d.orgUnits()) {
        json f = json::parse(d.s(u.filter), nullptr, false);
        json j = {{"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f}, {"alive", u.alive}, {"id", u.id}};
        if (u.parent < d.orgUnits().size()) j["parent"] = d.orgUnits()[u.parent].id;
        units.push_back(std::move(j));
    }
    m["orgUnits"] = units;
    m["nextOrgUnitId"] = d.nextOrgUnitId();
    json rejected = json::array(), bots = json::array();
    for (const auto& r : d.rejected()) if (r.alive) rejected.push_back(d.s(r.key));
    for (const auto& r : d.botPatterns()) if (r.alive) bots.push_back(d.s(r.key));
    m["rejectedSuggestions"] = rejected;
    m["botPatterns"] = bots;
    json mappings = json::array();
    for (const auto& r : d.importMappings()) if (r.alive) mappings.push_back(d.s(r.key));
    if (!mappings.empty()) m["importMappings"] = mappings;   // (absent before issue 16: older readers ignore it)
    json hints = json::array();
    for (const auto& r : d.hints()) if (r.alive) hints.push_back(d.s(r.key));
    if (!hints.empty()) m["suggestionHints"] = hints;       // (absent before issue 17: older readers ignore it)
}

// An org unit's filter with the attribute keys renamed (keys written with spaces, '-' or '.' before
// issue 16: see loadDefinitions).
static void renameFilterKeys(json& f, const std::unordered_map<std::string, std::string>& renamed) {
    if (f.is_array()) {
        for (auto& x : f) renameFilterKeys(x, renamed);
        return;
    }
    if (!f.is_object()) return;
    for (auto it = f.begin(); it != f.end(); ++it) {
        if (it.key() == "attribute" && it.value().is_string()) {
            auto r = renamed.find(toLowerAscii(trim(it.value().get<std::string>())));
            if (r != renamed.end()) it.value() = r->second;
        } else {
            renameFilterKeys(it.value(), renamed);
        }
    }
}

// The manifest's definitions and lists into the (cleared) directory.
void loadDefinitions(Directory& d, const json& m) {
    // Keys stored with spaces, '-' or '.' (before issue 16) are renamed as keys are made now
    // (`sub role` -> `sub_role`), unless that key is taken; the export keeps writing the header the
    // attribute came with (a key without a header keeps its old header: the key capitalised), and
    // org-unit filters follow the rename.
    std::unordered_map<std::string, std::string> renamed;
    {
        std::unordered_set<std::string> taken;
        for (auto& a : m.at("attributes")) taken.insert(toLowerAscii(a.value("key", "")));
        for (auto& a : m.at("attributes")) {
            const std::string key = a.value("key", "");
            const std::string folded = attrKeyOf(key);
            if (folded == toLowerAscii(key) || folded.empty() || taken.count(folded)) continue;
            taken.insert(folded);
            renamed.emplace(toLowerAscii(key), folded);
        }
    }
    for (auto& a : m.at("attributes")) {
        AttrType t = AttrType::Text;
        parseAttrType(a.value("type", "text"), t);
        std::string key = a.value("key", ""), header = a.value("header", "");
        if (auto r = renamed.find(toLowerAscii(key)); r != renamed.end()) {
            if (header.empty()) {
                header = key;
                if (!header.empty() && header[0] >= 'a' && header[0] <= 'z') header[0] = char(header[0] - 32);
            }
            key = r->second;
        }
        d.loadAttrDef(key, a.value("label", ""), header, t, a.value("alive", true));
    }
    for (auto& i : m.at("integrations")) {
        IntegKind k = IntegKind::Other;
        parseIntegKind(i.value("kind", "other"), k);
        d.loadIntegration(i.value("name", ""), k, i.value("alive", true));
    }
    if (m.contains("orgUnits")) {
        std::vector<std::pair<uint32_t, uint32_t>> parents;   // (unit, parent id)
        for (auto& u : m["orgUnits"]) {
            uint32_t id = 0;
            if (u.contains("id") && u["id"].is_number_unsigned()) id = u["id"].get<uint32_t>();
            json f = u.at("filter");
            if (!renamed.empty()) renameFilterKeys(f, renamed);
            const uint32_t x = d.loadOrgUnit(u.value("name", ""), f.dump(), u.value("alive", true), id);
            if (u.contains("parent") && u["parent"].is_number_unsigned()) parents.emplace_back(x, u["parent"].get<uint32_t>());
        }
        for (auto [x, pid] : parents) {
            const uint32_t p = d.findOrgUnitById(pid);
            if (p != kNone && p != x) d.loadOrgUnitParent(x, p);   // an unknown parent: the top level
        }
        // A damaged list whose parents form a cycle: its units go to the top level.
        for (uint32_t x = 0; x < d.orgUnits().size(); ++x) {
            uint32_t p = d.orgUnits()[x].parent;
            for (size_t steps = 0; p != kNone && p < d.orgUnits().size(); ++steps) {
                if (p == x || steps > d.orgUnits().size()) { d.loadOrgUnitParent(x, kNone); break; }
                p = d.orgUnits()[p].parent;
            }
        }
    }
    if (m.contains("nextOrgUnitId") && m["nextOrgUnitId"].is_number_unsigned()) d.setNextOrgUnitId(m["nextOrgUnitId"].get<uint32_t>());
    if (m.contains("rejectedSuggestions"))
        for (auto& k : m["rejectedSuggestions"]) if (k.is_string()) d.loadRejected(k.get<std::string>());
    if (m.contains("botPatterns"))
        for (auto& k : m["botPatterns"]) if (k.is_string()) d.loadBotPattern(k.get<std::string>());
    if (m.contains("importMappings"))
        for (auto& k : m["importMappings"]) if (k.is_string()) d.loadImportMapping(k.get<std::string>());
    if (m.contains("suggestionHints"))
        for (auto& k : m["suggestionHints"]) if (k.is_string()) d.loadHint(k.get<std::string>());
}

// The error a load reports for an exception thrown while loading ("CODE|message" or a plain message).
StoreResult loadFailure(const std::runtime_error& e) {
    std::string w = e.what();
    size_t bar = w.find('|');
    if (bar != std::string::npos) return fail(w.substr(0, bar).c_str(), w.substr(bar + 1));
    return fail("STORAGE_CORRUPT", std::string("The stored manifest is incomplete: ") + w);
}

}  // namespace

// ---------------------------------------------------------------- files

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
    for (auto& files : files_) files.clear();
}

bool Store::readChunk(const std::string& file, std::string& buf) const {
    if (readFile(path(file), buf)) return true;
    for (const std::string& dir : extraDirs_)
        if (readFile(dir + "/" + file, buf)) return true;
    return false;
}

// ---------------------------------------------------------------- load

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

void Store::loadChunks(Directory& d, const json& chunks, size_t slots, ChunkFiles& files, StoreResult& res) {
    std::string buf;
    ChunkDecoder decoder(d, slots);
    for (auto& c : chunks) {
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
        const ChunkKind k = decoder.decode(file, kind, buf);
        std::vector<ChunkFile>& list = files[kindIndex(k)];
        if (k == ChunkKind::Aliases) list.clear();   // one alias chunk: the manifest's last
        list.push_back(ChunkFile{file, crc, buf.size()});
    }
    res.lzMs = decoder.lzMs();
}

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
        loadDefinitions(d, m);
        auto counts = m.at("counts");
        const size_t slotsHint = counts.value("slots", 0u);
        d.reserveUsers(slotsHint);
        d.reserveIdentities(counts.value("identities", 0u));
        ChunkFiles files;
        loadChunks(d, m.at("chunks"), slotsHint, files, res);
        // Owners must name real slots.
        for (const Identity& id : d.identities())
            if (id.owner != kNone && id.owner >= d.slotCount()) throw std::runtime_error("STORAGE_CORRUPT|An account names a missing user");
        d.setNextUserId(m.value("nextUserId", 1u));
        {
            const auto ti = std::chrono::steady_clock::now();
            d.finishLoad();   // the lookup indexes, built in bulk
            res.indexMs += msSince(ti);
        }
        d.clearDirty();
        generation_ = m.value("generation", 0ull);
        files_ = std::move(files);
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
        return loadFailure(e);
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

// ---------------------------------------------------------------- chunks encoded ahead

size_t Store::preEncodedChunks() const {
    size_t n = 0;
    for (const PreChunks& pre : pre_) n += pre.size();
    return n;
}

void Store::dropPreEncoded() {
    for (PreChunks& pre : pre_) {
        for (auto& [k, c] : pre)
            if (!c.file.empty()) ::unlink(path(c.file).c_str());
        pre.clear();
    }
    preRevision_ = 0;
}

void Store::keepPreEncoded(ChunkKind kind, uint32_t k, PreChunk chunk) {
    chunk.crc = crc32Fast(chunk.data.data(), chunk.data.size());
    chunk.bytes = chunk.data.size();
    chunk.file = std::string("pre-") + kindInfo(kind).filePrefix + "-" + std::to_string(k) + ".tmp";
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
    pre_[kindIndex(kind)][k] = std::move(chunk);
}

Store::PreChunk* Store::preEncoded(ChunkKind kind, uint32_t k, uint32_t count, uint64_t stamp, uint64_t revision) {
    PreChunks& pre = pre_[kindIndex(kind)];
    auto it = pre.find(k);
    if (it == pre.end() || it->second.count != count || it->second.revision < stamp || it->second.revision > revision) return nullptr;
    return &it->second;
}

bool Store::preEncode(const Directory& d, std::chrono::steady_clock::time_point deadline) {
    if (writeFormat_ < 3) return true;                      // (tests of format 2 save as before)
    if (d.revision() < preRevision_) dropPreEncoded();      // a different directory (cleared, reloaded)
    preRevision_ = d.revision();
    bool encoded = false;
    for (ChunkKind kind : kKindsEncodedAhead) {
        const std::vector<ChunkFile>& files = files_[kindIndex(kind)];
        const uint32_t n = chunkCount(d, kind);
        for (uint32_t k = 0; k < n; ++k) {
            uint32_t first, count;
            chunkRange(d, kind, k, first, count);
            const bool pending = !loaded_ || k >= files.size() || files[k].name.empty() || chunkDirty(d, kind, k);
            if (!pending || preEncoded(kind, k, count, chunkStamp(d, kind, k), d.revision())) continue;
            if (encoded && std::chrono::steady_clock::now() >= deadline) return false;   // at least one chunk a call
            keepPreEncoded(kind, k, PreChunk{d.revision(), count, encodeChunk(d, kind, first, count, writeFormat_)});
            encoded = true;
        }
    }
    return true;
}

// ---------------------------------------------------------------- save

// What a save has written so far: undone when it fails.
struct Store::SaveLog {
    const Store& store;
    StoreResult res;
    std::vector<std::string> written;
    void wrote(const std::string& name, uint64_t bytes) {
        written.push_back(name);
        res.bytesWritten += bytes;
        ++res.filesWritten;
    }
    void put(const std::string& name, const std::string& data) {
        if (!writeFile(store.path(name), data)) {
            unlinkWritten();
            throw std::runtime_error("could not write " + name);
        }
        wrote(name, data.size());
    }
    void unlinkWritten() {
        for (auto& w : written) ::unlink(store.path(w).c_str());
    }
};

bool Store::adoptUnknown(Directory& d, StoreResult& refused) {
    // Nothing of ours known on disk: write everything (a previous manifest, if any, is replaced).
    d.markAllDirty();
    if (!exists()) return true;
    std::string text;
    if (!readFile(path("manifest.json"), text)) return true;
    json m = json::parse(text, nullptr, false);
    if (!m.is_object()) return true;
    if (m.value("format", 0) > kStorageFormat) {
        refused = fail("FORMAT_TOO_NEW", "Refusing to overwrite a directory stored by a newer Roster");
        return false;
    }
    generation_ = m.value("generation", 0ull);
    return true;
}

// An encoding made ahead (preEncode) is used when its chunk has not changed since: its file is
// renamed into place (no bytes copied), or its bytes are written when that file is missing.
// Answers whether the chunk's file is now written (f's crc and size set).
bool Store::takePreEncoded(const Directory& d, ChunkKind kind, uint32_t k, uint32_t count, ChunkFile& f, SaveLog& log) {
    PreChunk* p = writeFormat_ >= 3 ? preEncoded(kind, k, count, chunkStamp(d, kind, k), d.revision()) : nullptr;
    if (!p) return false;
    if (!p->file.empty()) {
        if (::rename(path(p->file).c_str(), path(f.name).c_str()) != 0) return false;
        p->file.clear();
        log.wrote(f.name, p->bytes);
    } else {
        if (p->data.size() != p->bytes) return false;
        log.put(f.name, p->data);
    }
    f.crc = p->crc;
    f.bytes = p->bytes;
    return true;
}

void Store::writeChunks(const Directory& d, ChunkKind kind, uint64_t gen, std::vector<ChunkFile>& files, SaveLog& log) {
    const uint32_t n = chunkCount(d, kind);
    files.resize(n);
    for (uint32_t k = 0; k < n; ++k) {
        ChunkFile& f = files[k];
        if (!f.name.empty() && !chunkDirty(d, kind, k)) continue;
        uint32_t first, count;
        chunkRange(d, kind, k, first, count);
        f.name = chunkName(kindInfo(kind).filePrefix, k, gen);
        if (kind != ChunkKind::Aliases && takePreEncoded(d, kind, k, count, f, log)) continue;
        // Encoded while the person waits: the fast packing (lz.h). Chunks of a large import were
        // encoded ahead in the background with the small one (preEncode).
        std::string data = encodeChunk(d, kind, first, count, writeFormat_, Packing::Fast);
        log.put(f.name, data);
        f.crc = crc32Fast(data.data(), data.size());
        f.bytes = data.size();
    }
}

void Store::writeManifest(const std::string& text, SaveLog& log) {
    // New chunks are in place: now switch the pointer, keeping the previous manifest as a fallback.
    bool keptPrev = loaded_ && exists() && ::rename(path("manifest.json").c_str(), path("manifest.prev.json").c_str()) == 0;
    if (!writeFile(path("manifest.json.tmp"), text) || ::rename(path("manifest.json.tmp").c_str(), path("manifest.json").c_str()) != 0) {
        log.unlinkWritten();
        if (keptPrev) ::rename(path("manifest.prev.json").c_str(), path("manifest.json").c_str());
        throw std::runtime_error("could not write manifest.json");
    }
    if (keptPrev) log.written.push_back("manifest.prev.json");
    log.written.push_back("manifest.json");
    log.res.bytesWritten += text.size();
    ++log.res.filesWritten;
}

std::vector<std::string> Store::removeUnreferenced(const ChunkFiles& files) {
    std::vector<std::string> removed;
    // Chunk files referenced by neither the new manifest nor the previous one (the fallback) go.
    std::set<std::string> keep, previous;
    for (const auto& list : files)
        for (const ChunkFile& f : list) keep.insert(f.name);
    for (const auto& list : files_)
        for (const ChunkFile& f : list)
            if (!f.name.empty()) previous.insert(f.name);
    for (const std::string& f : prevFiles_)
        if (!keep.count(f) && !previous.count(f) && ::unlink(path(f).c_str()) == 0) removed.push_back(f);
    prevFiles_ = previous;
    if (loaded_) return removed;
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
    return removed;
}

StoreResult Store::save(Directory& d) {
    struct DropPreEncoded {   // whatever happens, encodings made ahead are for this save only
        Store* s;
        ~DropPreEncoded() { s->dropPreEncoded(); }
    } dropAtEnd{this};
    mkdirs(dir_);
    if (!loaded_) {
        StoreResult refused;
        if (!adoptUnknown(d, refused)) return refused;
    }
    const uint64_t gen = generation_ + 1;
    SaveLog log{*this, StoreResult{}, {}};
    ChunkFiles files = files_;
    try {
        for (ChunkKind kind : kKinds) writeChunks(d, kind, gen, files[kindIndex(kind)], log);
        json m;
        m["format"] = writeFormat_;
        m["app"] = "roster";
        m["generation"] = gen;
        m["nextUserId"] = d.nextUserId();
        m["counts"] = {{"slots", d.slotCount()}, {"users", d.userCount()}, {"identities", d.identities().size()},
                       {"aliases", d.aliases().size()}};
        putDefinitions(d, m);
        json chunks = json::array();
        for (ChunkKind kind : kKinds)
            for (const ChunkFile& f : files[kindIndex(kind)])
                chunks.push_back({{"kind", kindInfo(kind).manifestKind}, {"file", f.name}, {"crc32", f.crc}, {"bytes", f.bytes}});
        m["chunks"] = chunks;
        for (auto it = extra_.begin(); it != extra_.end(); ++it) m[it.key()] = it.value();
        lastManifest_ = m;
        writeManifest(m.dump(1, ' ', false, json::error_handler_t::replace), log);
    } catch (const std::runtime_error& e) {
        return fail("STORAGE_IO", std::string("Saving failed: ") + e.what());
    } catch (const std::bad_alloc&) {
        log.unlinkWritten();
        return fail("OUT_OF_MEMORY", "Not enough memory to save");
    }
    std::vector<std::string> removed = removeUnreferenced(files);
    files_ = std::move(files);
    generation_ = gen;
    loaded_ = true;
    d.clearDirty();
    changed_.insert(log.written.begin(), log.written.end());
    changed_.insert(removed.begin(), removed.end());
    StoreResult res = std::move(log.res);
    res.written = std::move(log.written);
    res.removed = std::move(removed);
    return res;
}

}  // namespace roster
