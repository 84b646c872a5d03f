#include "version_store.h"

#include <algorithm>
#include <cstdlib>
#include <emscripten/html5.h>
#include <vector>

#include "browser.h"
#include "saver.h"
#include "versions.h"

namespace roster::platform {

static std::vector<std::string> chunkFilesOf(const json& manifest) {
    std::vector<std::string> out;
    if (manifest.is_object() && manifest.contains("chunks"))
        for (auto& c : manifest["chunks"])
            if (c.is_object() && c.contains("file") && c["file"].is_string()) out.push_back(c["file"].get<std::string>());
    return out;
}

bool VersionStore::create(const std::string& label) {
    if (s_.readOnly || saver_.disabled()) return false;
    StoreResult r = store_.save(s_.dir);   // the state to keep is now in /data/roster
    if (!r.ok) return false;
    json m = store_.lastManifest();
    m.erase("versions");
    json& index = store_.extra()["versions"];
    if (!index.is_array()) index = json::array();
    uint32_t next = 1;
    for (auto& v : index) {
        std::string id = v.value("id", "v0");
        next = std::max<uint32_t>(next, uint32_t(std::strtoul(id.c_str() + 1, nullptr, 10)) + 1);
    }
    json rec = {{"id", "v" + std::to_string(next)}, {"label", label}, {"createdAt", double(emscripten_date_now())},
                {"users", s_.dir.userCount()}, {"manifest", m}};
    index.insert(index.begin(), rec);
    while (index.size() > kMaxVersions) index.erase(index.end() - 1);
    // Chunk names to copy now, and every name any kept version still needs.
    std::string files, keep;
    for (auto& f : chunkFilesOf(m)) files += f + "\n";
    for (auto& v : index)
        for (auto& f : chunkFilesOf(v["manifest"])) keep += f + "\n";
    roster_js_version_capture(files.c_str(), keep.c_str());
    lastAt_ = nowSeconds();
    lastRevision_ = s_.dir.revision();
    saver_.mustWrite();   // the manifest now carries the new index
    return true;
}

json VersionStore::list() const {
    json out = json::array();
    const json& index = store_.extra()["versions"];
    if (index.is_array())
        for (auto& v : index)
            out.push_back({{"id", v.value("id", "")}, {"label", v.value("label", "")}, {"createdAt", v.value("createdAt", 0.0)},
                           {"users", v.value("users", 0u)}});
    return out;
}

bool VersionStore::load(const std::string& id, Directory& out, Diag& err) {
    const json& index = store_.extra()["versions"];
    const json* rec = nullptr;
    if (index.is_array())
        for (auto& v : index)
            if (v.value("id", "") == id) rec = &v;
    if (!rec) { err = Diag{"NOT_FOUND", "No stored version " + id, 0, 0}; return false; }
    Store reader("/data/roster");
    reader.extraDirs_ = {"/vcache"};
    StoreResult r = reader.loadJson(out, (*rec)["manifest"]);
    if (r.ok) return true;
    if (r.error.code == "STORAGE_MISSING_CHUNK") {
        std::string files;
        for (auto& f : chunkFilesOf((*rec)["manifest"])) files += f + "\n";
        roster_js_version_fetch(files.c_str());
        err = Diag{"VERSION_LOADING", "The version is being read from storage: try again in a moment", 0, 0};
        return false;
    }
    err = r.error;
    return false;
}

json VersionStore::restore(const std::string& id) {
    Directory v;
    Diag err;
    if (!load(id, v, err)) return errorJson(err);
    std::string label = id;
    for (auto& x : list())
        if (x["id"] == id) label = x.value("label", id) + " (" + id + ")";
    RestoreVersionCmd cmd(v, label);
    CmdResult r = s_.execute(cmd);
    if (!r.ok) return errorJson(r.error);
    return json{{"ok", true}};
}

void VersionStore::autosave() {
    if (s_.readOnly || saver_.disabled() || s_.busy || s_.dir.userCount() == 0) return;
    const double now = nowSeconds();
    if (lastAt_ == 0) { lastAt_ = now; lastRevision_ = s_.dir.revision(); return; }
    if (now - lastAt_ >= kAutosaveSeconds && s_.dir.revision() != lastRevision_) create("Autosave while editing");
}

}  // namespace roster::platform
