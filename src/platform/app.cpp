#include "app.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "browser.h"
#include "idle.h"

namespace roster::platform {

App& app() {
    static App* a = new App();   // never destroyed: the page owns the lifetime
    return *a;
}

App::App() { importFlow_.setKeepVersion([this](const std::string& label) { return versions_.create(label); }); }

double App::nowSeconds() const { return platform::nowSeconds(); }

std::string App::buildId() const { return ROSTER_BUILD_ID; }

void App::loadSample() { roster_js_fetch_sample(); }

void App::openImportPicker() { roster_js_open_picker(); }

void App::takeOverEditing() { roster_js_take_over(); }

void App::askPersistentStorage() { roster_js_ask_persist(); }

void App::saveExport(const std::string& fileName, const std::string& csv) { roster_js_save_file(fileName.c_str(), csv.data(), csv.size()); }

// The files cross into the page in the import bundle's layout (shell/bundle.js): "\0RSTR-FILES\n",
// then per file u32 LE name length, name, u32 LE data length, data. The page zips them (fflate).
void App::saveExportZip(const std::string& zipName, const std::vector<ExportFile>& files) {
    std::string bundle("\0RSTR-FILES\n", 12);
    auto u32 = [&bundle](size_t n) {
        for (int i = 0; i < 4; ++i) bundle.push_back(char((n >> (8 * i)) & 0xff));
    };
    for (const ExportFile& f : files) {
        u32(f.name.size());
        bundle += f.name;
        u32(f.text.size());
        bundle += f.text;
    }
    roster_js_save_zip(zipName.c_str(), bundle.data(), bundle.size());
}

std::vector<ui::Host::VersionInfo> App::versions() const {
    std::vector<VersionInfo> out;
    for (auto& v : versions_.list()) out.push_back(VersionInfo{v["id"], v["label"], v["createdAt"], v["users"]});
    return out;
}

json App::restoreVersion(const std::string& id) {
    json r = versions_.restore(id);
    if (!r.value("ok", false)) return r;
    ui_.state().clearSelection();
    ui_.state().focus = kNone;
    return r;
}

bool App::versionDiff(const std::string& id, VersionDiff& out, std::string& error) {
    Directory v;
    Diag err;
    if (!versions_.load(id, v, err)) { error = err.code == "VERSION_LOADING" ? "loading…" : err.message; return false; }
    out = diffVersion(session_.dir, v);
    return true;
}

void App::restoreVersionFromUi(const std::string& id) {
    json r = restoreVersion(id);
    if (r.value("ok", false)) ui_.state().notify("Restored " + id + " — Ctrl+Z to undo", nowSeconds());
    else ui_.notifyError(r["error"].value("message", "The version could not be restored"));
}

ui::Host::StorageStatus App::storageStatus() const {
    StorageStatus st;
    st.role = session_.readOnly ? "read-only (another tab edits)" : "editor";
    if (storageInfo_.is_object()) {
        auto p = storageInfo_.find("persisted");
        if (p != storageInfo_.end() && p->is_boolean()) st.persisted = p->get<bool>() ? 1 : 0;
        auto u = storageInfo_.find("usage");
        if (u != storageInfo_.end() && u->is_number()) st.usage = u->get<double>();
        auto q = storageInfo_.find("quota");
        if (q != storageInfo_.end() && q->is_number()) st.quota = q->get<double>();
    }
    st.generation = store_.generation();
    st.format = kStorageFormat;
    st.lastSavedAgo = saver_.lastSavedAt() > 0 ? nowSeconds() - saver_.lastSavedAt() : -1;
    st.lastError = saver_.lastError();
    return st;
}

void App::loadStored() {
    const char* err = roster_js_storage_error();
    if (err) {
        std::string s(err);
        free(const_cast<char*>(err));
        size_t bar = s.find('|');
        saver_.setError(s.substr(0, bar), s.substr(bar + 1));
    }
    const double t0 = nowMs();
    StoreResult r = store_.load(session_.dir);
    EM_ASM({ Module.rosterTrace('Store::load', $0, 'read ' + $1.toFixed(0) + ' crc ' + $2.toFixed(0) + ' decode ' + $3.toFixed(0) + ' (lz ' + $5.toFixed(0) + ') index ' + $4.toFixed(0)); },
           nowMs() - t0, r.readMs, r.crcMs, r.decodeMs, r.indexMs, r.lzMs);
    for (const Diag& n : r.notices) ui_.state().banner(n.message, n.code == "STORAGE_RECOVERED" ? 2 : 1);
    if (r.recovered || r.migratedFrom) saver_.mustWrite();   // write a complete save in the current format right away
    if (!r.ok) {
        // Never overwrite what we could not read: the person can export or start over explicitly.
        saver_.disable(r.error.message);
        ui_.state().banner(r.error.message + " Roster will not overwrite it; export what you need.", 3);
        std::fprintf(stderr, "roster: stored directory not loaded: %s %s\n", r.error.code.c_str(), r.error.message.c_str());
    }
    saver_.loaded();
    const char* role = roster_js_initial_role();
    if (role) {
        std::string rl(role);
        free(const_cast<char*>(role));
        if (rl == "reader") setEditor(false, "");
    }
}

void App::reloadStored() {
    if (saver_.syncing()) return;
    session_.dir.clear();
    session_.history.clear();
    importFlow_.cancel();
    store_ = Store("/data/roster");
    StoreResult r = store_.load(session_.dir);
    if (!r.ok) ui_.state().banner("The directory saved by the other tab could not be read: " + r.error.message, 3);
    saver_.loaded();
    ui_.state().clearSelection();
    ui_.state().focus = kNone;
}

// The tab's role is Session::readOnly (the saver and the versions read it there).
void App::setEditor(bool editor, const std::string& reason) {
    session_.readOnly = !editor;
    session_.readOnlyReason = editor ? "" : "Another Roster tab is editing this directory: this tab is read-only (READ_ONLY).";
    auto& st = ui_.state();
    if (editor) {
        if (st.bannerKind == 4) st.bannerText.clear();
    } else {
        st.banner((reason.empty() ? std::string() : reason + " ") +
                      "Another Roster tab is editing this directory, so this tab is read-only and follows its saves.",
                  4);
    }
}

void App::prepareAhead() {
    // As the navigation's hygiene counts: not while the person scrolls, clicks or types.
    if (!idle_.mayPrepare(nowSeconds(), session_.busy || jobs_.running())) return;
    const Directory& d = session_.dir;
    const auto& defs = d.attrDefs();
    if (defs.empty()) return;
    // A little of each frame: the saver's encoding and the hygiene counts share the spare time.
    const auto deadline = Job::in(idle::Scheduler::prepareBudgetMs(timing_.intervalMs()));
    for (size_t tried = 0; tried < defs.size(); ++tried) {
        const uint32_t attr = aheadAttr_ % uint32_t(defs.size());
        const AttrDef& def = defs[attr];
        const bool compared = def.alive && def.type != AttrType::Number && def.type != AttrType::Date;   // text equality
        if (compared) {
            while (!d.prepareAttrCodes(attr, 16384))
                if (Job::Clock::now() >= deadline) return;
        }
        aheadAttr_ = attr + 1;
        if (Job::Clock::now() >= deadline) return;
    }
}

}  // namespace roster::platform

extern "C" EMSCRIPTEN_KEEPALIVE void roster_sync_done(int ok, const char* code, const char* message) {
    roster::platform::app().saver().onSyncDone(ok != 0, code ? code : "", message ? message : "");
}
