// window.roster -> C++: one exported entry point that takes a method name, a JSON argument and
// optional bytes, and answers JSON. Each method is a handler in the table below: it reads its
// arguments, calls the core or a platform part, and writes the answer. Every edit goes through
// Session::command (the one door).
#include <algorithm>
#include <cstdlib>
#include <emscripten.h>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "bridge.h"
#include "exporter.h"
#include "import_job.h"

namespace roster::platform {

std::string g_input;    // see roster_input_alloc
std::string g_stream;   // see roster_stream_alloc

namespace {

using Handler = json (*)(App&, const ApiInput&);

json ok() { return json{{"ok", true}}; }
json needBytes() { return errorJson("INVALID_ARGUMENT", "CSV input must be a string or a Uint8Array"); }
std::string_view dataOf(const ApiInput& in) { return {reinterpret_cast<const char*>(in.bytes), in.hasBytes ? in.len : 0}; }
// The bytes are post.js's input buffer, g_input (roster_input_alloc), exactly: a handler may take it over.
bool ownsInput(const ApiInput& in) {
    return in.hasBytes && reinterpret_cast<const char*>(in.bytes) == g_input.data() && g_input.size() == in.len;
}

// ---- reading and editing
json command(App& a, const ApiInput& in) {
    const json& arg = in.arg;
    if (arg.is_object() && arg.value("op", "") == "restoreVersion") {
        if (!arg.contains("id") || !arg["id"].is_string()) return errorJson("INVALID_ARGUMENT", "restoreVersion needs a string \"id\"");
        return a.restoreVersion(arg["id"].get<std::string>());
    }
    return a.session().command(arg);
}
json snapshot(App& a, const ApiInput&) { return a.session().snapshot(); }
json undo(App& a, const ApiInput&) { return a.session().readOnly ? false : a.session().undo(); }
json redo(App& a, const ApiInput&) { return a.session().readOnly ? false : a.session().redo(); }
json query(App& a, const ApiInput& in) { return a.session().query(in.arg); }
json lint(App& a, const ApiInput&) { return a.session().lint(); }
json suggestions(App& a, const ApiInput&) { return a.session().suggestions(); }
json stats(App& a, const ApiInput&) { return statsJson(a); }
json uiActions(App& a, const ApiInput& in) { return uiAction(a, in.arg); }

// ---- versions
json versions(App& a, const ApiInput&) { return a.versionStore().list(); }
json versionFetched(App&, const ApiInput&) { return ok(); }
json createVersion(App& a, const ApiInput& in) {
    bool kept = a.versionStore().create(in.arg.is_object() ? in.arg.value("label", "Kept by hand") : "Kept by hand");
    if (kept) return json{{"ok", true}, {"versions", a.versionStore().list()}};
    return errorJson(a.session().readOnly ? "READ_ONLY" : "STORAGE_DISABLED", "No version was kept");
}

// ---- saving, the tab's role, the page
json requestSave(App& a, const ApiInput&) {
    Saver& saver = a.saver();
    if (saver.disabled()) return errorJson("STORAGE_DISABLED", saver.disabledReason());
    uint64_t rev = saver.requestSave();
    return json{{"ok", true}, {"revision", rev}, {"clean", rev == saver.savedRevision() && !saver.syncing()}};
}
json setEditor(App& a, const ApiInput& in) {
    a.setEditor(in.arg.value("editor", true), in.arg.value("reason", ""));
    return ok();
}
json reloadStorage(App& a, const ApiInput&) {
    a.reloadStored();
    return json{{"ok", true}, {"users", a.session().dir.userCount()}};
}
json storageInfo(App& a, const ApiInput& in) {
    a.setStorageInfo(in.arg);
    return ok();
}
json paste(App& a, const ApiInput& in) {
    if (in.arg.is_object() && in.arg.contains("text") && in.arg["text"].is_string()) a.clipboard().pasted(in.arg["text"].get<std::string>());
    return ok();
}

// ---- CSV and imports
json parseCsv(App& a, const ApiInput& in) { return in.hasBytes ? a.session().parseCsvJson(dataOf(in)) : needBytes(); }
json previewImport(App& a, const ApiInput& in) { return in.hasBytes ? a.session().previewImport(dataOf(in), in.arg) : needBytes(); }
json applyImport(App& a, const ApiInput& in) {
    if (!in.hasBytes) return needBytes();
    // post.js writes every call's input into g_input (roster_input_alloc): the import takes that
    // buffer over, parses it in place and keeps a large file's text as it is. (Empty input has a
    // buffer of one unwritten byte: not taken over.)
    json r = ownsInput(in) ? a.imports().apply(std::exchange(g_input, std::string()), in.arg) : a.imports().apply(dataOf(in), in.arg);
    std::string().swap(g_input);
    if (r.value("applied", false)) a.ui().onImported(r);
    return r;
}
json exportCsv(App& a, const ApiInput& in) { return a.session().exportCsv(in.arg); }
json exportSkippedRows(App& a, const ApiInput&) { return a.session().exportSkippedRows(); }
json exportFiles(App& a, const ApiInput& in) { return a.session().exportFiles(in.arg, exportDateStem()); }
json pendingImport(App& a, const ApiInput&) { return a.imports().pendingJson(); }
json confirmImport(App& a, const ApiInput&) {
    json r = a.imports().confirm();
    if (r.value("applied", false)) a.ui().onImported(r);
    return r;
}
json cancelImport(App& a, const ApiInput&) {
    if (a.session().busy) return errorJson(busyError());
    return a.imports().cancel();
}
json loadSample(App& a, const ApiInput& in) {
    if (!in.hasBytes) return needBytes();
    json r = a.imports().apply(dataOf(in), json{{"mode", "update"}}, "the sample");
    if (r.value("applied", false)) a.ui().onImported(r, "Loaded the sample directory");
    else a.ui().notifyError("The sample could not be loaded");
    return r;
}

// ---- files opened in the page (files.js)
json fileProgress(App& a, const ApiInput& in) {
    // A large file streaming into the page: how far it is, in the toast.
    const double done = in.arg.value("done", 0.0), total = std::max(1.0, in.arg.value("total", 1.0));
    a.ui().notify("Opening " + in.arg.value("name", std::string("the file")) + "… " + std::to_string(int(100 * done / total)) + " %");
    return ok();
}
json fileRefused(App& a, const ApiInput& in) {
    a.ui().notifyError(in.arg.value("code", "FILE_REFUSED") + ": " + in.arg.value("message", "the file was refused"));
    return ok();
}
// A large file is read and checked as a job (progress bar, Cancel; the page keeps drawing); the
// preview opens when it is done.
json openAsJob(App& a, const std::string& name, std::string bytes) {
    a.imports().stage(name, std::move(bytes));
    App* app = &a;
    a.startJob(a.imports().checkJob(ImportMode::Update, "Reading " + name), [app](Job& j) {
        auto& ij = static_cast<ImportJob&>(j);
        if (!app->imports().takeChecked(ij, ImportMode::Update)) {
            app->imports().cancel();
            app->ui().notifyError(ij.wasCancelled() ? "Import cancelled: nothing was changed" : "The file could not be read");
            return;
        }
        app->ui().showImportPreview();
    });
    return json{{"ok", true}, {"started", true}, {"fileName", name}};
}
// A file picked or dropped in the page: preview it and wait for the person to confirm. A large one
// was streamed into g_stream ({streamed: true}), in slices between frames.
json openedFile(App& a, const ApiInput& in) {
    const bool streamed = in.arg.value("streamed", false);
    const uint8_t* bytes = in.bytes;
    size_t len = in.len;
    if (streamed) {
        bytes = reinterpret_cast<const uint8_t*>(g_stream.data());
        len = g_stream.size();
    } else if (!in.hasBytes) return needBytes();
    struct DropStream { bool on; ~DropStream() { if (on) std::string().swap(g_stream); } } dropStream{streamed};
    std::string name = in.arg.value("name", "file.csv");
    if (len > Session::kMaxImportBytes) {
        a.ui().notifyError("FILE_TOO_LARGE: " + name + " is too large to import");
        return errorJson("FILE_TOO_LARGE", name + " is too large to import");
    }
    if (a.runningJob() || a.session().busy) {
        a.ui().notifyError("BUSY: " + name + " was not opened: a long operation is running");
        return errorJson(busyError());
    }
    // The bytes: post.js wrote them into g_input (roster_input_alloc), which the pending import
    // takes over; a copy here was a second fresh buffer of the file's size, and at 160 MB about
    // 0.7 s of one frame on top of the first (page faults).
    std::string taken = streamed ? std::exchange(g_stream, std::string())
                        : ownsInput(in) ? std::exchange(g_input, std::string())
                                        : std::string(reinterpret_cast<const char*>(bytes), len);
    if (a.imports().opensAsJob(len)) return openAsJob(a, name, std::move(taken));
    json j = a.imports().open(name, std::move(taken));
    a.ui().showImportPreview();
    return j;
}

const std::unordered_map<std::string_view, Handler>& handlers() {
    static const std::unordered_map<std::string_view, Handler> table = {
        {"command", command}, {"snapshot", snapshot}, {"undo", undo}, {"redo", redo},
        {"query", query}, {"lint", lint}, {"suggestions", suggestions}, {"stats", stats}, {"ui", uiActions},
        {"versions", versions}, {"versionFetched", versionFetched}, {"createVersion", createVersion},
        {"requestSave", requestSave}, {"setEditor", setEditor}, {"reloadStorage", reloadStorage},
        {"storageInfo", storageInfo}, {"paste", paste},
        {"parseCsv", parseCsv}, {"previewImport", previewImport}, {"applyImport", applyImport},
        {"exportCsv", exportCsv}, {"exportSkippedRows", exportSkippedRows}, {"export", exportFiles}, {"pendingImport", pendingImport}, {"confirmImport", confirmImport},
        {"cancelImport", cancelImport}, {"loadSample", loadSample},
        {"fileProgress", fileProgress}, {"fileRefused", fileRefused}, {"openedFile", openedFile},
    };
    return table;
}

}  // namespace

json apiCall(App& a, const std::string& method, const json& arg, const uint8_t* bytes, size_t len, bool hasBytes) {
    auto it = handlers().find(method);
    if (it == handlers().end()) return errorJson("UNKNOWN_OP", "Unknown method \"" + method + "\"");
    return it->second(a, ApiInput{arg, bytes, len, hasBytes});
}

}  // namespace roster::platform

// The buffer post.js writes a call's input bytes into (see roster_input_alloc): a std::string, so
// that applyImport can take it over without a copy.
// The buffer is sized without being written (libc++'s __resize_default_init): the caller writes
// every byte, and zeroing first would touch each fresh page twice.
static uint8_t* sizeUnwritten(std::string& buf, uint32_t n) {
    try {
        std::string().swap(buf);
        buf.__resize_default_init(std::max<uint32_t>(n, 1));
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
    return reinterpret_cast<uint8_t*>(buf.data());
}
extern "C" EMSCRIPTEN_KEEPALIVE uint8_t* roster_input_alloc(uint32_t n) { return sizeUnwritten(roster::platform::g_input, n); }
extern "C" EMSCRIPTEN_KEEPALIVE void roster_input_release() { std::string().swap(roster::platform::g_input); }
// A large file opened in the page is streamed into this buffer a chunk at a time, between frames
// (files.js), then handed over by "openedFile" {streamed: true}: no copy of the whole file in one
// frame, and no second buffer of its size. Its own buffer, so that API calls made meanwhile (which
// use g_input) cannot move it.
extern "C" EMSCRIPTEN_KEEPALIVE uint8_t* roster_stream_alloc(uint32_t n) { return sizeUnwritten(roster::platform::g_stream, n); }
extern "C" EMSCRIPTEN_KEEPALIVE void roster_stream_release() { std::string().swap(roster::platform::g_stream); }

extern "C" EMSCRIPTEN_KEEPALIVE const char* roster_api(const char* method, const char* argJson, const uint8_t* bytes, uint32_t len) {
    static std::string out;
    using namespace roster;
    json result;
    try {
        json arg = json::parse(argJson ? argJson : "null", nullptr, false);
        if (arg.is_discarded()) result = errorJson("INVALID_ARGUMENT", "The argument is not valid JSON");
        else result = platform::apiCall(platform::app(), method ? method : "", arg, bytes, len, bytes != nullptr);
    } catch (const std::bad_alloc&) {
        result = errorJson("OUT_OF_MEMORY", "Not enough memory for this call");
    } catch (const std::exception& e) {
        result = errorJson("INTERNAL_ERROR", e.what());
    }
    out = result.dump(-1, ' ', false, json::error_handler_t::replace);
    return out.c_str();
}

// roster.query answered as text written directly (no json node per matching id).
extern "C" EMSCRIPTEN_KEEPALIVE const char* roster_query(const char* argJson) {
    static std::string out;
    using namespace roster;
    try {
        json arg = json::parse(argJson ? argJson : "null", nullptr, false);
        if (arg.is_discarded()) out = errorJson("INVALID_ARGUMENT", "The argument is not valid JSON").dump();
        else out = platform::app().session().queryText(arg);
    } catch (const std::bad_alloc&) {
        out = errorJson("OUT_OF_MEMORY", "Not enough memory for this call").dump();
    }
    return out.c_str();
}
