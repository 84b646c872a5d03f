// Roster's main loop in the browser: GLFW + WebGL2 + Dear ImGui, HiDPI, fonts, the cursor, and the
// frame: the UI, then the job's step, the saver and the idle work (the parts are in app.h).
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app.h"
#include "browser.h"
#include "gl_renderer.h"
#include "ui/a11y.h"

namespace roster::platform {

namespace {
GLFWwindow* g_window = nullptr;
float g_fontScale = 0;
bool g_fontDark = true;
bool g_fontContrast = false;
bool g_firstFrameDone = false;
const char* kFont = "/fonts/DejaVuSans.ttf";
const char* kMonoFont = "/fonts/DejaVuSansMono.ttf";
}  // namespace

}  // namespace roster::platform

using namespace roster::platform;

static const char* getClipboard(void*) { return app().clipboard().text().c_str(); }

// The wheel, on the canvas. ImGui's GLFW backend listens for it on the document and asks to
// cancel it (preventDefault), but Chrome makes wheel listeners on the document passive: every
// wheel event then logged "Unable to preventDefault inside passive event listener" to the console.
// The same conversion as the backend's (100 px, 3 lines or 1/80 page make a step), on the canvas,
// where the listener is not passive.
static EM_BOOL onCanvasWheel(int, const EmscriptenWheelEvent* ev, void*) {
    if (ev->mouse.ctrlKey) return EM_FALSE;   // Ctrl+wheel and trackpad pinch: the browser's zoom
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
    auto& st = a.ui().state();
    const float scale = a.canvas().dpr * st.userScale;
    if (std::abs(scale - g_fontScale) < 0.001f && !st.fontsDirty && g_fontDark == st.dark && g_fontContrast == st.highContrast) return;
    st.fontsDirty = false;
    g_fontScale = scale;
    g_fontDark = st.dark;
    g_fontContrast = st.highContrast;
    roster::ui::buildFonts(scale, kFont, kMonoFont);
    roster::ui::applyTheme(st.dark, st.highContrast, scale);
    ImGui::GetIO().ConfigInputTextCursorBlink = !st.reducedMotion;
    gl::destroyFontTexture();
    gl::createFontTexture();
    EM_ASM({ document.body.style.background = $1 ? ($0 ? '#000000' : '#ffffff') : ($0 ? '#1b1d24' : '#f6f6f9'); }, st.dark ? 1 : 0, st.highContrast ? 1 : 0);
}

// The live regions (issue 19): what a sighted person reads in toasts, the banner, the save status
// and a long job's progress is said aloud too: #live (polite) and #live-alert (assertive, errors).
// Set as textContent (never HTML); cleared first so that the same words twice are said twice.
static void announce(const std::string& text, bool assertive) {
    if (text.empty()) return;
    EM_ASM({
        var el = document.getElementById($1 ? 'live-alert' : 'live');
        if (!el) return;
        el.textContent = '';
        var t = UTF8ToString($0);
        setTimeout(function () { el.textContent = t; }, 30);
        Module.rosterAnnounced = Module.rosterAnnounced || [];
        Module.rosterAnnounced.push({ text: t, assertive: !!$1, at: performance.now() });
        if (Module.rosterAnnounced.length > 50) Module.rosterAnnounced.shift();
    }, text.c_str(), assertive ? 1 : 0);
}

static void announceChanges(App& a) {
    static std::string toast, banner, save, job;
    static double toastUntil = 0;
    const auto& st = a.ui().state();
    if (!st.toast.empty() && (st.toast != toast || st.toastUntil != toastUntil)) announce(st.toast, st.toastError);
    toast = st.toast;
    toastUntil = st.toastUntil;
    if (st.bannerText != banner && !st.bannerText.empty()) announce(st.bannerText, st.bannerKind >= 3);
    banner = st.bannerText;
    const roster::ui::SaveView v = a.saveView();
    const bool failed = v.kind == roster::ui::SaveView::Failed || v.kind == roster::ui::SaveView::Disabled;
    const std::string saveNow = failed ? v.text : std::string();
    if (saveNow != save && failed) announce("Not saved. " + v.text.substr(v.text.find(':') == std::string::npos ? 0 : v.text.find(':') + 2) + ". " + v.detail, true);
    save = saveNow;
    roster::Job* j = a.runningJob();
    const std::string jobNow = j ? j->title() : std::string();
    if (jobNow != job) {
        if (!job.empty()) announce("Finished: " + job, false);
        if (!jobNow.empty()) announce("Started: " + jobNow, false);
    }
    job = jobNow;
}

// The accessibility mirror (issue 19): the frame's tree (ui/a11y.h) as JSON, in CSS pixels, handed
// to the page (pre.js, Module.rosterA11y) only when it differs from the last one sent. Most frames
// change nothing in it: a 64-bit hash of what would be written (the rectangles in CSS pixels, the
// texts, the states) decides, so an unchanged frame costs one pass over the tree and no string;
// a changed one is written straight into a reused buffer (no JSON objects built).
namespace {

struct Hasher {
    uint64_t h = 1469598103934665603ull;   // FNV-1a
    void bytes(const void* p, size_t n) {
        const unsigned char* b = static_cast<const unsigned char*>(p);
        for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
    }
    void str(const std::string& v) { num(int64_t(v.size())); bytes(v.data(), v.size()); }
    void num(int64_t v) { bytes(&v, sizeof v); }
};

struct JsonOut {
    std::string s;
    void raw(const char* v) { s += v; }
    void num(int64_t v) {
        char b[24];
        const int n = std::snprintf(b, sizeof b, "%lld", static_cast<long long>(v));
        s.append(b, size_t(n));
    }
    // A JSON string: quotes, backslashes and control characters escaped; other bytes as they are
    // (UTF8ToString reads invalid UTF-8 as U+FFFD, as the former dump's replace did).
    void str(const std::string& v) {
        s += '"';
        for (unsigned char c : v) {
            if (c == '"' || c == '\\') { s += '\\'; s += char(c); }
            else if (c < 0x20) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                s += b;
            } else s += char(c);
        }
        s += '"';
    }
    void key(const char* k) { s += '"'; s += k; s += "\":"; }
};

}  // namespace

static void publishA11y(float dpr) {
    namespace ax = roster::ui::a11y;
    static uint64_t lastHash = 0;
    if (!ax::enabled()) {   // (turned on again: the next frame is sent whole, to a new mirror)
        lastHash = 0;
        return;
    }
    static JsonOut out;
    const ax::Frame& f = ax::frame();
    const float k = dpr > 0 ? 1.0f / dpr : 1.0f;
    struct R { int64_t x, y, w, h; };
    auto css = [&](const ax::Rect& r) { return R{std::lround(r.x * k), std::lround(r.y * k), std::lround(r.w * k), std::lround(r.h * k)}; };
    auto role = [](const ax::Node& n) {   // which states a node's role publishes: 1 c, 2 e, 4 s
        int m = 0;
        if (n.hasState || n.nav) {
            if (n.role == "checkbox" || n.role == "menuitemcheckbox" || n.role == "radio") m |= 1;
            if (n.role == "treeitem" || n.role == "menuitem") m |= 2;
            if (n.role == "tab" || n.nav) m |= 4;
        }
        return m;
    };
    // ---- the hash of everything written below
    Hasher hs;
    hs.num(int64_t(f.nodes.size()));
    for (const ax::Node& n : f.nodes) {
        const R r = css(n.rect);
        hs.num(int64_t(n.id));
        hs.str(n.role);
        hs.str(n.name);
        hs.str(n.value);
        hs.str(n.list);
        const int64_t bits = int64_t(n.checked) | int64_t(n.expanded) << 1 | int64_t(n.selected) << 2 | int64_t(n.nav) << 3 | int64_t(n.id == f.focus) << 4 |
                             int64_t(role(n)) << 5 | int64_t(n.dialog + 1) << 8;
        hs.num(bits);
        hs.bytes(&r, sizeof r);
    }
    hs.num(int64_t(f.grids.size()));
    for (const ax::Grid& g : f.grids) {
        const R r = css(g.rect);
        hs.str(g.name);
        hs.num(int64_t(g.rowCount));
        hs.bytes(&r, sizeof r);
        hs.num(int64_t(g.headers.size()));
        for (const std::string& h : g.headers) hs.str(h);
        hs.num(int64_t(g.columns.size()));
        for (const ax::Rect& c : g.columns) {
            hs.num(std::lround(c.x * k));
            hs.num(std::lround(c.w * k));
        }
        hs.num(int64_t(g.rows.size()));
        for (const auto& row : g.rows) {
            const R rr = css(row.rect);
            hs.num(int64_t(row.index));
            hs.num(int64_t(row.selected) | int64_t(row.item && row.item == f.focus) << 1 | int64_t(row.focusCol + 1) << 2);
            hs.bytes(&rr, sizeof rr);
            hs.num(int64_t(row.cells.size()));
            for (const std::string& c : row.cells) hs.str(c);
        }
    }
    hs.num(int64_t(f.dialogs.size()));
    for (const ax::Dialog& d : f.dialogs) {
        const R r = css(d.rect);
        hs.str(d.name);
        hs.bytes(&r, sizeof r);
    }
    hs.num(f.focusVisible ? 1 : 0);
    if (hs.h == lastHash) return;
    lastHash = hs.h;
    // ---- the tree as JSON (the keys pre.js reads)
    JsonOut& o = out;
    o.s.clear();
    auto rect = [&](const ax::Rect& r0) {
        const R r = css(r0);
        o.raw(",\"x\":"); o.num(r.x);
        o.raw(",\"y\":"); o.num(r.y);
        o.raw(",\"w\":"); o.num(r.w);
        o.raw(",\"h\":"); o.num(r.h);
    };
    o.raw("{\"nodes\":[");
    bool first = true;
    for (const ax::Node& n : f.nodes) {
        if (!first) o.raw(",");
        first = false;
        o.raw("{\"i\":"); o.num(int64_t(n.id));
        o.raw(",\"r\":"); o.str(n.role);
        o.raw(",\"n\":"); o.str(n.name);
        if (!n.value.empty() || n.role == "textbox") { o.raw(",\"v\":"); o.str(n.value); }
        const int m = role(n);
        if (m & 1) { o.raw(",\"c\":"); o.raw(n.checked ? "true" : "false"); }
        if (m & 2) { o.raw(",\"e\":"); o.raw(n.expanded ? "true" : "false"); }
        if (m & 4) { o.raw(",\"s\":"); o.raw(n.selected ? "true" : "false"); }
        if (n.dialog >= 0) { o.raw(",\"d\":"); o.num(n.dialog); }
        if (n.nav) o.raw(",\"nav\":1");
        if (!n.list.empty()) { o.raw(",\"l\":"); o.str(n.list); }
        if (n.id == f.focus) o.raw(",\"f\":1");
        rect(n.rect);
        o.raw("}");
    }
    o.raw("],\"grids\":[");
    first = true;
    for (const ax::Grid& g : f.grids) {
        if (!first) o.raw(",");
        first = false;
        o.raw("{\"n\":"); o.str(g.name);
        o.raw(",\"rc\":"); o.num(int64_t(g.rowCount));
        o.raw(",\"hd\":[");
        for (size_t i = 0; i < g.headers.size(); ++i) {
            if (i) o.raw(",");
            o.str(g.headers[i]);
        }
        o.raw("]");
        if (!g.columns.empty()) {
            o.raw(",\"cx\":[");
            for (size_t i = 0; i < g.columns.size(); ++i) {
                if (i) o.raw(",");
                o.num(std::lround(g.columns[i].x * k));
                o.raw(",");
                o.num(std::lround(g.columns[i].w * k));
            }
            o.raw("]");
        }
        o.raw(",\"rows\":[");
        for (size_t i = 0; i < g.rows.size(); ++i) {
            const auto& r = g.rows[i];
            if (i) o.raw(",");
            o.raw("{\"i\":"); o.num(int64_t(r.index));
            o.raw(",\"s\":"); o.raw(r.selected ? "true" : "false");
            o.raw(",\"c\":[");
            for (size_t c = 0; c < r.cells.size(); ++c) {
                if (c) o.raw(",");
                o.str(r.cells[c]);
            }
            o.raw("]");
            if (r.item && r.item == f.focus) o.raw(",\"f\":1");
            if (r.focusCol >= 0) { o.raw(",\"fc\":"); o.num(r.focusCol); }
            rect(r.rect);
            o.raw("}");
        }
        o.raw("]");
        rect(g.rect);
        o.raw("}");
    }
    o.raw("],\"dialogs\":[");
    first = true;
    for (const ax::Dialog& d : f.dialogs) {
        if (!first) o.raw(",");
        first = false;
        o.raw("{\"n\":"); o.str(d.name);
        rect(d.rect);
        o.raw("}");
    }
    o.raw("],\"fv\":");
    o.num(f.focusVisible ? 1 : 0);
    o.raw("}");
    EM_ASM({ if (Module.rosterA11y) Module.rosterA11y(UTF8ToString($0, $1)); }, o.s.c_str(), int(o.s.size()));
}

static void syncCanvasSize() {
    double cssW = 0, cssH = 0;
    emscripten_get_element_css_size("#canvas", &cssW, &cssH);
    float dpr = float(emscripten_get_device_pixel_ratio());
    if (dpr <= 0) dpr = 1;
    // Pinch zoom (the visual viewport's scale) draws the canvas at that many more pixels, so the
    // magnified page stays crisp (capped: 4 device pixels per CSS pixel in all).
    const double pinch = EM_ASM_DOUBLE({ return (window.visualViewport && window.visualViewport.scale > 1) ? window.visualViewport.scale : 1; });
    dpr = std::min(std::max(dpr, float(dpr * pinch)), std::max(dpr, 4.0f));
    int w = std::max(1, int(std::lround(cssW * dpr))), h = std::max(1, int(std::lround(cssH * dpr)));
    Canvas& c = app().canvas();
    c.dpr = dpr;
    if (w != c.width || h != c.height) {
        c.width = w;
        c.height = h;
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
    const Canvas& canvas = a.canvas();
    // The frame figure (stats().frame) is the CPU time of all the app's work in this frame, from
    // here to the end of the version autosave: the canvas size, input, UI build, render, WebGL
    // submission, the job's step, the saver, the idle work ahead and the version autosave.
    // stats().frameSteps splits it.
    FrameTiming::Marks m;
    m.start = nowMs();
    syncCanvasSize();
    rebuildFontsIfNeeded();
    m.prep = nowMs();
    a.timing().beginFrame(m.start);
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(canvas.width), float(canvas.height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui::NewFrame();
    roster::ui::a11y::beginFrame(ImGui::GetCurrentContext());
    // Focus from the page: the mirror element a screen reader or Tab focused (pre.js queues its
    // item's id); the item takes ImGui's focus as it is drawn.
    // (one call into JS a frame: whether either request waits)
    const int pending = EM_ASM_INT({ return (Module.rosterFocusRequest ? 1 : 0) | (Module.rosterGridFocusRequest ? 2 : 0); });
    if (pending & 1)
        if (const int req = EM_ASM_INT({ var r = Module.rosterFocusRequest | 0; Module.rosterFocusRequest = 0; return r; }))
            roster::ui::a11y::requestFocus(ImGuiID(uint32_t(req)));
    // A row or cell of a mirrored grid (its grid's place, row index and column; pre.js).
    if (pending & 2) {
        const int grid = EM_ASM_INT({ return Module.rosterGridFocusRequest.g | 0; });
        const double row = EM_ASM_DOUBLE({ return +Module.rosterGridFocusRequest.row || 0; });
        const int col = EM_ASM_INT({ var r = Module.rosterGridFocusRequest; Module.rosterGridFocusRequest = null; return r.col === undefined ? -1 : r.col | 0; });
        if (row >= 0) roster::ui::a11y::requestGridFocus(grid, uint64_t(row), col);
    }
    m.newFrame = nowMs();
    a.ui().Draw();
    roster::ui::a11y::endFrame(ImGui::GetCurrentContext());
    publishA11y(canvas.dpr);
    announceChanges(a);
    m.draw = nowMs();
    ImGui::Render();
    m.render = nowMs();
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    const float clear[3] = {bg.x, bg.y, bg.z};
    gl::render(ImGui::GetDrawData(), canvas.width, canvas.height, clear);
    m.gl = nowMs();
    if (a.firstPeopleAtMs() < 0 && a.ui().users().peopleDrawn() > 0) a.notePeopleDrawn(m.gl);
    // The long operation in progress gets its own budget after the UI (stats().job.lastStepMs).
    a.jobs().step();
    m.job = nowMs();
    updateCursor();
    a.saver().tick();
    a.prepareAhead();
    a.versionStore().autosave();
    m.idle = nowMs();
    a.timing().endFrame(m);
    if (!g_firstFrameDone) {
        g_firstFrameDone = true;
        EM_ASM({ Module.rosterTrace('first frame', $0, ''); }, emscripten_get_now() - m.start);
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
    g_window = glfwCreateWindow(std::max(1, a.canvas().width), std::max(1, a.canvas().height), "Roster", nullptr, nullptr);
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
    a.canvas().width = a.canvas().height = 0;
    syncCanvasSize();
    // The first open follows the system's preferences: light or dark, more contrast, less motion.
    {
        auto& st = a.ui().state();
        const int prefs = EM_ASM_INT({
            var m = function (q) { try { return window.matchMedia && window.matchMedia(q).matches ? 1 : 0; } catch (e) { return 0; } };
            return m('(prefers-color-scheme: light)') | (m('(prefers-contrast: more)') << 1) | (m('(prefers-reduced-motion: reduce)') << 2);
        });
        st.dark = !(prefs & 1);
        st.highContrast = (prefs & 2) != 0;
        st.reducedMotion = (prefs & 4) != 0;
    }
    rebuildFontsIfNeeded();
    EM_ASM({ Module.rosterTrace('main done', 0, ''); });
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
