// Roster's main loop in the browser: GLFW + WebGL2 + Dear ImGui, HiDPI, persistence, frame stats.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gl_renderer.h"
#include "platform.h"

extern "C" {
void roster_js_persist(const char* paths, int timeoutMs);
void roster_js_ready();
void roster_js_sync_finished(int ok, double revision, const char* code, const char* msg);
void roster_js_copy_text(const char* text);
void roster_js_fetch_sample();
void roster_js_open_picker();
void roster_js_save_file(const char* name, const char* data, size_t len);
const char* roster_js_storage_error();
const char* roster_js_initial_role();   // malloc'd "editor"/"reader"/"unknown"
void roster_js_on_saved();
void roster_js_take_over();
void roster_js_version_capture(const char* files, const char* keep);
void roster_js_version_fetch(const char* files);
void roster_js_ask_persist();
void roster_js_set_cursor(const char* css);   // malloc'd "CODE|message" or null
}

namespace roster::platform {

namespace {
GLFWwindow* g_window = nullptr;
float g_fontScale = 0;
bool g_fontDark = true;
constexpr double kDebounceSeconds = 0.4;
constexpr int kSyncTimeoutMs = 20000;
const char* kFont = "/fonts/DejaVuSans.ttf";
const char* kMonoFont = "/fonts/DejaVuSansMono.ttf";
}  // namespace

App& app() {
    static App* a = new App();   // never destroyed: the page owns the lifetime
    return *a;
}

App::App() { importFlow.setKeepVersion([this](const std::string& label) { return createVersion(label); }); }

float FrameStats::percentile(float p) const {
    if (!count) return 0;
    std::vector<float> v(ms.begin(), ms.begin() + long(count));
    size_t k = std::min(count - 1, size_t(std::ceil(p * float(count))) - (p > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

double App::nowSeconds() const { return emscripten_get_now() / 1000.0; }

std::string App::buildId() const { return ROSTER_BUILD_ID; }

ui::SaveView App::saveView() const {
    ui::SaveView v;
    const uint64_t rev = session.dir.revision();
    if (saver.readOnly) {
        v.kind = ui::SaveView::Disabled;
        v.text = "read-only: another tab edits";
        v.detail = "This tab follows the saves of the tab that edits. Use \"Edit here instead\" in the banner to take over.";
        return v;
    }
    if (saver.disabled) {
        v.kind = ui::SaveView::Disabled;
        v.text = "not saved: " + saver.disabledReason;
        v.detail = "Roster will not write to this browser's storage: " + saver.disabledReason;
        return v;
    }
    if (!saver.errorCode.empty()) {
        v.kind = ui::SaveView::Failed;
        v.text = "not saved: " + saver.errorMessage;
        v.detail = "Error " + saver.errorCode + ". Your edits are kept in memory and Roster retries; export a CSV to be safe.";
        return v;
    }
    if (saver.state == Saver::Syncing) {
        v.kind = ui::SaveView::Saving;
        v.text = "saving…";
        return v;
    }
    if (rev != saver.savedRevision) {
        v.kind = ui::SaveView::Pending;
        v.text = "saving…";
        if (saver.encodingAhead) v.detail = "Preparing the changed parts of the directory for storage, a little each frame.";
        return v;
    }
    v.kind = ui::SaveView::Saved;
    v.text = "saved";
    v.detail = "Everything is stored in this browser (IndexedDB).";
    return v;
}

void App::retrySave() {
    saver.retryAt = 0;
    saver.forceNow = true;
}

void App::loadSample() { roster_js_fetch_sample(); }

void App::copyToClipboard(const std::string& text) {
    clipboard = text;
    roster_js_copy_text(text.c_str());
}

void App::openImportPicker() { roster_js_open_picker(); }

void App::takeOverEditing() { roster_js_take_over(); }

static std::vector<std::string> chunkFilesOf(const json& manifest) {
    std::vector<std::string> out;
    if (manifest.is_object() && manifest.contains("chunks"))
        for (auto& c : manifest["chunks"])
            if (c.is_object() && c.contains("file") && c["file"].is_string()) out.push_back(c["file"].get<std::string>());
    return out;
}

bool App::createVersion(const std::string& label) {
    if (saver.readOnly || saver.disabled) return false;
    StoreResult r = store.save(session.dir);   // the state to keep is now in /data/roster
    if (!r.ok) return false;
    json m = store.lastManifest();
    m.erase("versions");
    json& index = store.extra()["versions"];
    if (!index.is_array()) index = json::array();
    uint32_t next = 1;
    for (auto& v : index) {
        std::string id = v.value("id", "v0");
        next = std::max<uint32_t>(next, uint32_t(std::strtoul(id.c_str() + 1, nullptr, 10)) + 1);
    }
    json rec = {{"id", "v" + std::to_string(next)}, {"label", label}, {"createdAt", double(emscripten_date_now())},
                {"users", session.dir.userCount()}, {"manifest", m}};
    index.insert(index.begin(), rec);
    while (index.size() > kMaxVersions) index.erase(index.end() - 1);
    // Chunk names to copy now, and every name any kept version still needs.
    std::string files, keep;
    for (auto& f : chunkFilesOf(m)) files += f + "\n";
    for (auto& v : index)
        for (auto& f : chunkFilesOf(v["manifest"])) keep += f + "\n";
    roster_js_version_capture(files.c_str(), keep.c_str());
    lastVersionAt = nowSeconds();
    lastVersionRevision = session.dir.revision();
    saver.mustWrite = true;   // the manifest now carries the new index
    return true;
}

json App::versionsJson() const {
    json out = json::array();
    const json& index = const_cast<Store&>(store).extra()["versions"];
    if (index.is_array())
        for (auto& v : index)
            out.push_back({{"id", v.value("id", "")}, {"label", v.value("label", "")}, {"createdAt", v.value("createdAt", 0.0)},
                           {"users", v.value("users", 0u)}});
    return out;
}

std::vector<ui::Host::VersionInfo> App::versions() const {
    std::vector<VersionInfo> out;
    for (auto& v : versionsJson()) out.push_back(VersionInfo{v["id"], v["label"], v["createdAt"], v["users"]});
    return out;
}

bool App::loadVersion(const std::string& id, Directory& out, Diag& err) {
    const json& index = store.extra()["versions"];
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

json App::restoreVersion(const std::string& id) {
    Directory v;
    Diag err;
    if (!loadVersion(id, v, err)) return errorJson(err);
    std::string label = id;
    for (auto& x : versionsJson())
        if (x["id"] == id) label = x.value("label", id) + " (" + id + ")";
    RestoreVersionCmd cmd(v, label);
    CmdResult r = session.execute(cmd);
    if (!r.ok) return errorJson(r.error);
    ui.state().clearSelection();
    ui.state().focus = kNone;
    return json{{"ok", true}};
}

bool App::versionDiff(const std::string& id, VersionDiff& out, std::string& error) {
    Directory v;
    Diag err;
    if (!loadVersion(id, v, err)) { error = err.code == "VERSION_LOADING" ? "loading…" : err.message; return false; }
    out = diffVersion(session.dir, v);
    return true;
}

void App::restoreVersionFromUi(const std::string& id) {
    json r = restoreVersion(id);
    if (r.value("ok", false)) ui.state().notify("Restored " + id + " — Ctrl+Z to undo", nowSeconds());
    else ui.notifyError(r["error"].value("message", "The version could not be restored"));
}

void App::maybeAutosaveVersion() {
    if (saver.readOnly || saver.disabled || session.busy || session.dir.userCount() == 0) return;
    const double now = nowSeconds();
    if (lastVersionAt == 0) { lastVersionAt = now; lastVersionRevision = session.dir.revision(); return; }
    if (now - lastVersionAt >= kAutosaveVersionSeconds && session.dir.revision() != lastVersionRevision)
        createVersion("Autosave while editing");
}

void App::askPersistentStorage() { roster_js_ask_persist(); }

ui::Host::StorageStatus App::storageStatus() const {
    StorageStatus st;
    st.role = saver.readOnly ? "read-only (another tab edits)" : "editor";
    if (storageInfo.is_object()) {
        auto p = storageInfo.find("persisted");
        if (p != storageInfo.end() && p->is_boolean()) st.persisted = p->get<bool>() ? 1 : 0;
        auto u = storageInfo.find("usage");
        if (u != storageInfo.end() && u->is_number()) st.usage = u->get<double>();
        auto q = storageInfo.find("quota");
        if (q != storageInfo.end() && q->is_number()) st.quota = q->get<double>();
    }
    st.generation = store.generation();
    st.format = kStorageFormat;
    st.lastSavedAgo = saver.lastSavedAt > 0 ? nowSeconds() - saver.lastSavedAt : -1;
    st.lastError = saver.errorCode.empty() ? "" : saver.errorCode + ": " + saver.errorMessage;
    return st;
}

bool App::startJob(std::shared_ptr<Job> j, std::function<void(Job&)> onFinish) {
    if (job || !j) return false;
    job = std::move(j);
    jobDone = std::move(onFinish);
    jobStartedAt = nowSeconds();
    jobLastStepMs = 0;
    jobCpuMs = 0;
    jobSteps = 0;
    return true;
}

void App::stepJob() {
    if (!job) return;
    const double t0 = emscripten_get_now();
    const bool finished = job->step(Job::in(jobBudget()));
    jobLastStepMs = float(emscripten_get_now() - t0);
    jobCpuMs += jobLastStepMs;
    ++jobSteps;
    if (!finished) return;
    lastJob = json{{"title", job->title()}, {"cancelled", job->cancelRequested()}, {"cpuMs", jobCpuMs},
                   {"wallMs", (nowSeconds() - jobStartedAt) * 1000}, {"steps", jobSteps}};
    std::shared_ptr<Job> done = std::move(job);   // the slot is free before the callback runs
    job.reset();
    auto cb = std::move(jobDone);
    jobDone = nullptr;
    if (cb) cb(*done);
}

json App::jobJson() const {
    if (!job) return nullptr;
    Job::Progress p = job->progress();
    return json{{"title", job->title()}, {"phase", p.phase}, {"done", p.done}, {"total", p.total}, {"unit", p.unit},
                {"cancellable", job->cancellable()}, {"cancelRequested", job->cancelRequested()},
                {"seconds", runningJobSeconds()}, {"lastStepMs", jobLastStepMs}, {"cpuMs", jobCpuMs}, {"budgetMs", jobBudget()}};
}

void App::saveExport(const std::string& fileName, const std::string& csv) { roster_js_save_file(fileName.c_str(), csv.data(), csv.size()); }

void App::loadStored() {
    const char* err = roster_js_storage_error();
    if (err) {
        std::string s(err);
        free(const_cast<char*>(err));
        size_t bar = s.find('|');
        saver.errorCode = s.substr(0, bar);
        saver.errorMessage = s.substr(bar + 1);
    }
    const double t0 = emscripten_get_now();
    StoreResult r = store.load(session.dir);
    EM_ASM({ Module.rosterTrace('Store::load', $0, 'read ' + $1.toFixed(0) + ' crc ' + $2.toFixed(0) + ' decode ' + $3.toFixed(0) + ' (lz ' + $5.toFixed(0) + ') index ' + $4.toFixed(0)); },
           emscripten_get_now() - t0, r.readMs, r.crcMs, r.decodeMs, r.indexMs, r.lzMs);
    for (const Diag& n : r.notices) ui.state().banner(n.message, n.code == "STORAGE_RECOVERED" ? 2 : 1);
    if (r.recovered || r.migratedFrom) saver.mustWrite = true;   // write a complete save in the current format right away
    if (!r.ok) {
        // Never overwrite what we could not read: the person can export or start over explicitly.
        saver.disabled = true;
        saver.disabledReason = r.error.message;
        ui.state().banner(r.error.message + " Roster will not overwrite it; export what you need.", 3);
        std::fprintf(stderr, "roster: stored directory not loaded: %s %s\n", r.error.code.c_str(), r.error.message.c_str());
    }
    saver.savedRevision = session.dir.revision();
    saver.lastSeenRevision = saver.savedRevision;
    const char* role = roster_js_initial_role();
    if (role) {
        std::string rl(role);
        free(const_cast<char*>(role));
        if (rl == "reader") setEditor(false, "");
    }
}

void App::reloadStored() {
    if (saver.state == Saver::Syncing) return;
    session.dir.clear();
    session.history.clear();
    importFlow.cancel();
    store = Store("/data/roster");
    StoreResult r = store.load(session.dir);
    if (!r.ok) ui.state().banner("The directory saved by the other tab could not be read: " + r.error.message, 3);
    saver.savedRevision = session.dir.revision();
    saver.lastSeenRevision = saver.savedRevision;
    ui.state().clearSelection();
    ui.state().focus = kNone;
}

void App::setEditor(bool editor, const std::string& reason) {
    saver.readOnly = !editor;
    session.readOnly = !editor;
    session.readOnlyReason = editor ? "" : "Another Roster tab is editing this directory: this tab is read-only (READ_ONLY).";
    auto& st = ui.state();
    if (editor) {
        st.readOnly = false;
        if (st.bannerKind == 4) st.bannerText.clear();
    } else {
        st.readOnly = true;
        st.banner((reason.empty() ? std::string() : reason + " ") +
                      "Another Roster tab is editing this directory, so this tab is read-only and follows its saves.",
                  4);
    }
}

uint64_t App::requestSave() {
    saver.forceNow = true;
    return session.dir.revision();
}

void App::startSave() {
    const uint64_t rev = session.dir.revision();
    const double t0 = emscripten_get_now();
    StoreResult r = store.save(session.dir);
    EM_ASM({ Module.rosterTrace('Store::save', $0, $1 + ' files, ' + $2 + ' bytes'); }, emscripten_get_now() - t0, double(r.filesWritten), double(r.bytesWritten));
    if (!r.ok) {
        saver.errorCode = r.error.code;
        saver.errorMessage = r.error.message;
        ++saver.failures;
        saver.retryAt = nowSeconds() + std::min(30.0, 2.0 * saver.failures);
        roster_js_sync_finished(0, double(rev), r.error.code.c_str(), r.error.message.c_str());
        return;
    }
    saver.lastBytes = r.bytesWritten;
    saver.state = Saver::Syncing;
    saver.inFlightRevision = rev;
    // Exactly the files changed since the last durable save (this one's, a version's, a failed
    // sync's): the folder entry first, so that IDBFS's populate can create it before its files.
    saver.inFlightFiles = store.takeChanged();
    std::string paths = store.dir() + "\n";
    for (const std::string& f : saver.inFlightFiles) paths += store.dir() + "/" + f + "\n";
    roster_js_persist(paths.c_str(), kSyncTimeoutMs);
}

void App::onSyncDone(bool ok, const std::string& code, const std::string& message) {
    saver.state = Saver::Idle;
    if (ok) {
        saver.inFlightFiles.clear();
        saver.savedRevision = saver.inFlightRevision;
        saver.errorCode.clear();
        saver.errorMessage.clear();
        saver.failures = 0;
        saver.lastSavedAt = nowSeconds();
        roster_js_on_saved();
    } else {
        saver.errorCode = code;
        saver.errorMessage = message;
        ++saver.failures;
        saver.retryAt = nowSeconds() + std::min(30.0, 2.0 * saver.failures);
        // The files stay newer in MEMFS than in IndexedDB: the next sync writes them again.
        store.keepChanged(saver.inFlightFiles);
    }
    roster_js_sync_finished(ok ? 1 : 0, double(saver.savedRevision), code.c_str(), message.c_str());
}

void App::prepareAhead() {
    // As the navigation's hygiene counts: not while the person scrolls, clicks or types.
    if (session.busy || job || nowSeconds() - ui.lastInputAt() < 0.4) return;
    const Directory& d = session.dir;
    const auto& defs = d.attrDefs();
    if (defs.empty()) return;
    // A little of each frame: the saver's encoding and the hygiene counts share the spare time.
    const auto deadline = Job::in(std::clamp(frameIntervalMs / 8, 1.0, 4.0));
    for (size_t tried = 0; tried < defs.size(); ++tried) {
        const uint32_t attr = aheadAttr % uint32_t(defs.size());
        const AttrDef& def = defs[attr];
        const bool compared = def.alive && def.type != AttrType::Number && def.type != AttrType::Date;   // text equality
        if (compared) {
            while (!d.prepareAttrCodes(attr, 16384))
                if (Job::Clock::now() >= deadline) return;
        }
        aheadAttr = attr + 1;
        if (Job::Clock::now() >= deadline) return;
    }
}

void App::tickSaver() {
    // An import applied across frames is half done until its job ends: nothing is saved before.
    if (session.busy) return;
    const double now = nowSeconds();
    if (saver.readOnly) {
        saver.lastSeenRevision = session.dir.revision();
        saver.savedRevision = session.dir.revision();
        if (saver.forceNow) {
            saver.forceNow = false;
            roster_js_sync_finished(0, double(saver.savedRevision), "READ_ONLY", "another tab is editing this directory");
        }
        return;
    }
    const uint64_t rev = session.dir.revision();
    if (rev != saver.lastSeenRevision) {
        saver.lastSeenRevision = rev;
        saver.lastChangeAt = now;
    }
    if (saver.disabled) {
        if (saver.forceNow) {
            saver.forceNow = false;
            roster_js_sync_finished(0, double(saver.savedRevision), "STORAGE_DISABLED", saver.disabledReason.c_str());
        }
        return;
    }
    if (saver.state == Saver::Syncing) return;   // one sync at a time; we come back when it ends
    if (rev == saver.savedRevision && !saver.mustWrite) {
        if (saver.forceNow) {
            saver.forceNow = false;
            roster_js_sync_finished(1, double(saver.savedRevision), "", "");
        }
        return;
    }
    const bool debounced = now - saver.lastChangeAt >= kDebounceSeconds;
    const bool retryDue = saver.errorCode.empty() || now >= saver.retryAt;
    if (saver.forceNow || saver.mustWrite || (debounced && retryDue)) {
        if (saver.mustWrite && !saver.forceNow && !retryDue) return;
        // The changed chunks are encoded a slice a frame first: after a large import that is every
        // chunk, about 2 s at a million people, which Store::save would do inside one frame. Edits
        // meanwhile only cost the chunks they touch; flush() asks for the save now and gets it now.
        if (!saver.forceNow && !store.preEncode(session.dir, Job::in(jobBudget()))) {
            saver.encodingAhead = true;
            return;
        }
        saver.encodingAhead = false;
        saver.forceNow = false;
        saver.mustWrite = false;
        startSave();
    }
}

}  // namespace roster::platform

using namespace roster::platform;

extern "C" EMSCRIPTEN_KEEPALIVE void roster_sync_done(int ok, const char* code, const char* message) {
    app().onSyncDone(ok != 0, code ? code : "", message ? message : "");
}

static const char* getClipboard(void*) { return app().clipboard.c_str(); }

// The wheel, on the canvas. ImGui's GLFW backend listens for it on the document and asks to
// cancel it (preventDefault), but Chrome makes wheel listeners on the document passive: every
// wheel event then logged "Unable to preventDefault inside passive event listener" to the console.
// The same conversion as the backend's (100 px, 3 lines or 1/80 page make a step), on the canvas,
// where the listener is not passive.
static EM_BOOL onCanvasWheel(int, const EmscriptenWheelEvent* ev, void*) {
    float step = 0.0f;
    if (ev->deltaMode == DOM_DELTA_PIXEL) step = 1.0f / 100.0f;
    else if (ev->deltaMode == DOM_DELTA_LINE) step = 1.0f / 3.0f;
    else if (ev->deltaMode == DOM_DELTA_PAGE) step = 80.0f;
    ImGui::GetIO().AddMouseWheelEvent(float(ev->deltaX) * -step, float(ev->deltaY) * -step);
    return EM_TRUE;
}
static void setClipboard(void*, const char* text) { app().copyToClipboard(text ? text : ""); }

static void rebuildFontsIfNeeded() {
    App& a = app();
    auto& st = a.ui.state();
    const float scale = a.dpr * st.userScale;
    if (std::abs(scale - g_fontScale) < 0.001f && !st.fontsDirty && g_fontDark == st.dark) return;
    st.fontsDirty = false;
    g_fontScale = scale;
    g_fontDark = st.dark;
    roster::ui::buildFonts(scale, kFont, kMonoFont);
    roster::ui::applyTheme(st.dark, scale);
    gl::destroyFontTexture();
    gl::createFontTexture();
    EM_ASM({ document.body.style.background = $0 ? '#1b1d24' : '#f6f6f9'; }, st.dark ? 1 : 0);
}

static void syncCanvasSize() {
    App& a = app();
    double cssW = 0, cssH = 0;
    emscripten_get_element_css_size("#canvas", &cssW, &cssH);
    float dpr = float(emscripten_get_device_pixel_ratio());
    if (dpr <= 0) dpr = 1;
    int w = std::max(1, int(std::lround(cssW * dpr))), h = std::max(1, int(std::lround(cssH * dpr)));
    a.dpr = dpr;
    if (w != a.fbWidth || h != a.fbHeight) {
        a.fbWidth = w;
        a.fbHeight = h;
        glfwSetWindowSize(g_window, w, h);   // canvas backing store in device pixels; CSS keeps it full-window
    }
}

static void updateCursor() {
    static ImGuiMouseCursor last = -2;
    ImGuiMouseCursor c = ImGui::GetMouseCursor();
    if (c == last) return;
    last = c;
    const char* css = "default";
    switch (c) {
        case ImGuiMouseCursor_TextInput: css = "text"; break;
        case ImGuiMouseCursor_ResizeAll: css = "move"; break;
        case ImGuiMouseCursor_ResizeNS: css = "ns-resize"; break;
        case ImGuiMouseCursor_ResizeEW: css = "ew-resize"; break;
        case ImGuiMouseCursor_ResizeNESW: css = "nesw-resize"; break;
        case ImGuiMouseCursor_ResizeNWSE: css = "nwse-resize"; break;
        case ImGuiMouseCursor_Hand: css = "pointer"; break;
        case ImGuiMouseCursor_NotAllowed: css = "not-allowed"; break;
        case ImGuiMouseCursor_None: css = "none"; break;
        default: break;
    }
    roster_js_set_cursor(css);
}

static void frame() {
    App& a = app();
    // The frame figure (stats().frame) is the CPU time of all the app's work in this frame, from
    // here to the end of maybeAutosaveVersion: the canvas size, input, UI build, render, WebGL
    // submission, the job's step, the saver, the idle work ahead and the version autosave.
    // stats().frameSteps splits it.
    const double t0 = emscripten_get_now();
    syncCanvasSize();
    rebuildFontsIfNeeded();
    const double tNew = emscripten_get_now();
    if (a.lastFrameAt > 0) a.frameIntervalMs = a.frameIntervalMs * 0.8 + std::min(250.0, t0 - a.lastFrameAt) * 0.2;
    a.lastFrameAt = t0;
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(a.fbWidth), float(a.fbHeight));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui::NewFrame();
    const double t1 = emscripten_get_now();
    a.ui.Draw();
    const double t2 = emscripten_get_now();
    ImGui::Render();
    const double t3 = emscripten_get_now();
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    const float clear[3] = {bg.x, bg.y, bg.z};
    gl::render(ImGui::GetDrawData(), a.fbWidth, a.fbHeight, clear);
    const double t4 = emscripten_get_now();
    if (a.firstPeopleAtMs < 0 && a.ui.users().peopleDrawn() > 0) a.firstPeopleAtMs = t4;
    // The long operation in progress gets its own budget after the UI (stats().job.lastStepMs).
    a.stepJob();
    const double t5 = emscripten_get_now();
    updateCursor();
    a.tickSaver();
    a.prepareAhead();
    a.maybeAutosaveVersion();
    const double t6 = emscripten_get_now();
    a.frames.add(float(t6 - t0));
    a.stepUi.add(float(t4 - t0));
    a.stepPrep.add(float(tNew - t0));
    a.stepNewFrame.add(float(t1 - tNew));
    a.stepDraw.add(float(t2 - t1));
    a.stepRender.add(float(t3 - t2));
    a.stepGl.add(float(t4 - t3));
    a.stepFrameJob.add(float(t5 - t4));
    a.stepIdle.add(float(t6 - t5));
    if (!a.firstFrameDone) {
        a.firstFrameDone = true;
        EM_ASM({ Module.rosterTrace('first frame', $0, ''); }, emscripten_get_now() - t0);
        EM_ASM({ if (Module.rosterHideLoading) Module.rosterHideLoading(); });
        roster_js_ready();
    }
}

int main() {
    EM_ASM({ Module.rosterTrace('main', 0, ''); });
    App& a = app();
    a.loadStored();

    if (!glfwInit()) {
        std::fprintf(stderr, "roster: glfwInit failed\n");
        return 1;
    }
    // Emscripten 3.1.6's glfwSetWindowSize asks for fullscreen (and leaves the canvas size alone)
    // when the size equals the screen's: a full-window canvas at DPR 1 in a maximised or headless
    // window. Outside a user gesture Chromium rejects that request with "TypeError: Permissions
    // check failed". Resize the canvas the way its other branch does, always.
    EM_ASM({
        if (typeof GLFW === 'undefined' || typeof Browser === 'undefined') return;
        GLFW.setWindowSize = function(winid, width, height) {
            var win = GLFW.WindowFromId(winid);
            if (!win) return;
            if (GLFW.active && GLFW.active.id == win.id) {
                Browser.setCanvasSize(width, height);
                win.width = width;
                win.height = height;
            }
            if (win.windowSizeFunc) getWasmTableEntry(win.windowSizeFunc)(win.id, width, height);
        };
    });
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // ImGui draws 2D with blending only: no depth or stencil buffer, no multisampling.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_SAMPLES, 0);
    syncCanvasSize();
    g_window = glfwCreateWindow(std::max(1, a.fbWidth), std::max(1, a.fbHeight), "Roster", nullptr, nullptr);
    if (!g_window) {
        EM_ASM({ if (Module.onAbort) Module.onAbort('WebGL 2 is not available in this browser'); });
        return 1;
    }
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;   // layout is computed; preferences persist with the directory
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // Emscripten's GLFW turns cursor modes into pointer-lock requests: set CSS cursors ourselves.
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
    emscripten_set_wheel_callback("#canvas", nullptr, false, onCanvasWheel);
    if (!gl::init()) {
        EM_ASM({ if (Module.onAbort) Module.onAbort('WebGL 2 shaders failed to build'); });
        return 1;
    }
    io.GetClipboardTextFn = getClipboard;
    io.SetClipboardTextFn = setClipboard;
    io.ClipboardUserData = nullptr;
    a.fbWidth = a.fbHeight = 0;
    syncCanvasSize();
    rebuildFontsIfNeeded();
    EM_ASM({ Module.rosterTrace('main done', 0, ''); });
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
