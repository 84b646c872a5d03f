// window.roster -> C++: one exported entry point that takes a method name, a JSON argument and
// optional bytes, and answers JSON. Every edit goes through Session::command (the one door).
#include <algorithm>
#include <cstdlib>
#include <emscripten.h>

#include <string>
#include <utility>

#include "import_job.h"
#include "platform.h"

namespace roster::platform {
std::string g_input;    // see roster_input_alloc
std::string g_stream;   // see roster_stream_alloc
}

namespace roster::platform {

json apiCall(App& a, const std::string& method, const json& arg, const uint8_t* bytes, size_t len, bool hasBytes) {
    Session& s = a.session;
    if (method == "command") {
        if (arg.is_object() && arg.value("op", "") == "restoreVersion") {
            if (!arg.contains("id") || !arg["id"].is_string()) return errorJson("INVALID_ARGUMENT", "restoreVersion needs a string \"id\"");
            return a.restoreVersion(arg["id"].get<std::string>());
        }
        return s.command(arg);
    }
    if (method == "versions") return a.versionsJson();
    if (method == "versionFetched") return json{{"ok", true}};
    if (method == "createVersion") {
        bool ok = a.createVersion(arg.is_object() ? arg.value("label", "Kept by hand") : "Kept by hand");
        return ok ? json{{"ok", true}, {"versions", a.versionsJson()}} : errorJson(s.readOnly ? "READ_ONLY" : "STORAGE_DISABLED", "No version was kept");
    }
    if (method == "snapshot") return s.snapshot();
    if (method == "undo") return s.readOnly ? false : s.undo();
    if (method == "redo") return s.readOnly ? false : s.redo();
    if (method == "stats") {
        json frame = {{"p50Ms", a.frames.percentile(0.5f)}, {"p95Ms", a.frames.percentile(0.95f)}, {"samples", a.frames.count}};
        return json{{"users", s.dir.userCount()},
                    {"identities", s.dir.liveIdentityCount()},
                    {"wasmHeapBytes", double(EM_ASM_DOUBLE({ return HEAPU8.length; }))},
                    {"frame", frame},
                    {"frameSteps", json{{"prepP95Ms", a.stepPrep.percentile(0.95f)},
                                        {"newFrameP95Ms", a.stepNewFrame.percentile(0.95f)}, {"drawP95Ms", a.stepDraw.percentile(0.95f)},
                                        {"renderP95Ms", a.stepRender.percentile(0.95f)}, {"glP95Ms", a.stepGl.percentile(0.95f)},
                                        {"glP50Ms", a.stepGl.percentile(0.5f)}, {"drawP50Ms", a.stepDraw.percentile(0.5f)},
                                        {"jobP95Ms", a.stepFrameJob.percentile(0.95f)}, {"idleP95Ms", a.stepIdle.percentile(0.95f)},
                                        {"idleP50Ms", a.stepIdle.percentile(0.5f)},
                                        {"uiP95Ms", a.stepUi.percentile(0.95f)}, {"uiP50Ms", a.stepUi.percentile(0.5f)}}},
                    {"revision", s.dir.revision()},
                    {"savedRevision", a.saver.savedRevision},
                    {"undoDepth", s.history.undoDepth()},
                    {"modelBytes", s.dir.memoryBytes()},
                    {"job", a.jobJson()},
                    {"lastJob", a.lastJob},
                    {"frameParts", json{{"navP95Ms", a.ui.partTimes().p95(0)}, {"mainP95Ms", a.ui.partTimes().p95(1)},
                                        {"editorP95Ms", a.ui.partTimes().p95(2)}, {"restP95Ms", a.ui.partTimes().p95(3)}, {"hygieneCountsP95Ms", a.ui.partTimes().p95(4)}}},
                    {"problems", a.ui.problems().statsJson(s.dir)},
                    {"nav", json{{"problems", {{"count", a.ui.navProblems().count}, {"counting", a.ui.navProblems().counting}}},
                                 {"suggestions", {{"count", a.ui.navSuggestions().count}, {"counting", a.ui.navSuggestions().counting}}},
                                 {"history", {{"count", a.ui.navHistory()}}}}},
                    {"usersTable", [&] {
                         json t = a.ui.users().tableJson(s.dir, -1, 0);
                         t["firstPeopleAtMs"] = a.firstPeopleAtMs < 0 ? json(nullptr) : json(a.firstPeopleAtMs);
                         return t;
                     }()}};
    }
    if (method == "requestSave") {
        if (a.saver.disabled) return errorJson("STORAGE_DISABLED", a.saver.disabledReason);
        uint64_t rev = a.requestSave();
        return json{{"ok", true}, {"revision", rev}, {"clean", rev == a.saver.savedRevision && a.saver.state == Saver::Idle}};
    }
    if (method == "query") return s.query(arg);
    if (method == "lint") return s.lint();
    if (method == "suggestions") return s.suggestions();
    if (method == "setEditor") {
        a.setEditor(arg.value("editor", true), arg.value("reason", ""));
        return json{{"ok", true}};
    }
    if (method == "reloadStorage") {
        a.reloadStored();
        return json{{"ok", true}, {"users", s.dir.userCount()}};
    }
    if (method == "storageInfo") {
        a.storageInfo = arg;
        return json{{"ok", true}};
    }
    if (method == "paste") {
        if (arg.is_object() && arg.contains("text") && arg["text"].is_string()) a.clipboard = arg["text"].get<std::string>();
        return json{{"ok", true}};
    }
    if (method == "ui") {
        // UI actions for tests and power users (not part of the contract).
        std::string action = arg.is_string() ? arg.get<std::string>() : arg.value("action", "");
        auto& st = a.ui.state();
        if (action == "state")
            return json{{"ok", true}, {"view", int(st.view)}, {"selected", st.selectedCount},
                        {"dark", st.dark}, {"scale", st.userScale}, {"dpr", a.dpr}, {"width", a.fbWidth}, {"height", a.fbHeight},
                        {"toast", st.toast}, {"toastError", st.toastError}, {"save", a.saveView().text},
                        {"banner", st.bannerText}, {"bannerKind", st.bannerKind}, {"readOnly", s.readOnly}};
        if (action == "exportFile") {
            ExportOptions o;
            o.bom = arg.value("bom", false);
            std::string name = arg.value("name", "user_export.csv");
            a.saveExport(name, exportSei(s.dir, o));
            return json{{"ok", true}, {"name", name}};
        }
        if (action == "openPicker") { a.openImportPicker(); return json{{"ok", true}}; }
        if (action == "theme") { st.dark = arg.value("dark", true); st.fontsDirty = true; return json{{"ok", true}}; }
        if (action == "view") {
            static const std::pair<const char*, ui::View> views[] = {
                {"users", ui::View::Users}, {"unassigned", ui::View::Unassigned}, {"attributes", ui::View::Attributes},
                {"orgUnits", ui::View::OrgUnits}, {"suggestions", ui::View::Suggestions}, {"problems", ui::View::Problems},
                {"history", ui::View::History}};
            std::string v = arg.value("view", "users");
            for (auto& [n, view] : views)
                if (v == n) { st.view = view; return json{{"ok", true}}; }
            return errorJson("INVALID_ARGUMENT", "Unknown view \"" + v + "\"");
        }
        if (action == "problemsTab") {   // the Problems view's tab, as a click on it
            std::string t = arg.value("tab", "findings");
            if (t != "findings" && t != "reportingLines") return errorJson("INVALID_ARGUMENT", "Unknown tab \"" + t + "\"");
            st.view = ui::View::Problems;
            a.ui.problems().showTab(t == "findings" ? 0 : 1);
            return json{{"ok", true}};
        }
        if (action == "select") {
            st.clearSelection();
            if (arg.contains("ids"))
                for (auto& v : arg["ids"]) {
                    uint32_t id;
                    if (v.is_string() && parseUserId(v.get<std::string>(), id)) {
                        uint32_t slot = s.dir.slotOfId(id);
                        if (slot != kNone) { st.select(slot, true); st.focus = slot; }
                    }
                }
            return json{{"ok", true}, {"selected", st.selectedCount}};
        }
        // The long operation in progress (stats().job): cancel it as the Cancel button does.
        if (action == "cancelJob") {
            if (!a.job) return errorJson("NOT_FOUND", "No long operation is running");
            if (!a.job->cancellable()) return errorJson("INVALID_ARGUMENT", "This operation cannot be cancelled");
            a.job->cancel();
            return json{{"ok", true}};
        }
        if (action == "applyImportDialog") {   // as a click on "Apply import" in the preview dialog
            if (!a.importFlow.pending()) return errorJson("NOT_FOUND", "No import is waiting for confirmation");
            if (a.job) return errorJson("BUSY", "A long operation is running; try again when it has finished");
            a.ui.applyImportPreview();
            return json{{"ok", true}};
        }
        if (action == "jobBudget") {   // milliseconds of job work per frame (tests slow jobs down to watch them)
            double ms = arg.value("ms", 0.0);   // 0: the default (from the frame rate)
            if (!(ms >= 0 && ms <= 1000)) return errorJson("INVALID_ARGUMENT", "ms must be in [0, 1000]");
            // (a tiny budget still does one unit of work a frame: a few thousand rows)
            a.jobBudgetMs = ms;
            return json{{"ok", true}};
        }
        // The Users table: sort (as a header click), search (as typing), scroll, and what it shows.
        if (action == "sortUsers") {
            std::string column = arg.value("column", "");
            if (!a.ui.users().requestSort(s.dir, column, arg.value("ascending", true)))
                return errorJson("INVALID_ARGUMENT", "Unknown column \"" + column + "\"");
            st.view = ui::View::Users;
            return json{{"ok", true}};
        }
        if (action == "searchUsers") {
            a.ui.users().setSearch(arg.value("text", ""));
            st.view = ui::View::Users;
            return json{{"ok", true}};
        }
        if (action == "scrollUsers") {
            long row = 0;
            if (arg.contains("row") && arg["row"].is_number()) row = arg["row"].get<long>();
            else if (arg.value("to", "") == "end") row = 0x3fffffffL;   // clamped to the last page
            a.ui.users().scrollTo(row);
            return json{{"ok", true}};
        }
        if (action == "showColumns") {
            // {attributes: "all" | [key, ...]}: the attribute columns the Users table shows.
            const json& which = arg.contains("attributes") ? arg["attributes"] : json();
            std::vector<std::string> keys;
            if (which.is_array())
                for (const auto& k : which) if (k.is_string()) keys.push_back(k.get<std::string>());
            if (!which.is_array() && which != "all") return errorJson("INVALID_ARGUMENT", "attributes must be \"all\" or a list of attribute keys");
            st.view = ui::View::Users;
            return json{{"ok", true}, {"shown", a.ui.users().showAttributes(s.dir, keys, which == "all")}};
        }
        if (action == "usersTable") {
            long from = arg.value("from", -1L), count = arg.value("count", -1L);
            json t = a.ui.users().tableJson(s.dir, from < 0 ? a.ui.users().tableJson(s.dir, 0, 0)["firstRow"].get<long>() : from,
                                            count < 0 ? a.ui.users().tableJson(s.dir, 0, 0)["visibleRows"].get<long>() : count);
            t["ok"] = true;
            t["focus"] = st.focus != kNone && st.focus < s.dir.slotCount() ? json(formatUserId(s.dir.userId(st.focus))) : json(nullptr);
            return t;
        }
        return errorJson("UNKNOWN_OP", "Unknown ui action \"" + action + "\"");
    }
    const std::string_view data(reinterpret_cast<const char*>(bytes), hasBytes ? len : 0);
    auto needBytes = [&]() { return errorJson("INVALID_ARGUMENT", "CSV input must be a string or a Uint8Array"); };
    if (method == "parseCsv") return hasBytes ? s.parseCsvJson(data) : needBytes();
    if (method == "previewImport") return hasBytes ? s.previewImport(data, arg) : needBytes();
    if (method == "applyImport") {
        if (!hasBytes) return needBytes();
        // post.js writes every call's input into g_input (roster_input_alloc): the import takes that
        // buffer over, parses it in place and keeps a large file's text as it is.
        json r = reinterpret_cast<const char*>(bytes) == g_input.data() ? a.importFlow.apply(std::exchange(g_input, std::string()), arg)
                                                                        : a.importFlow.apply(data, arg);
        std::string().swap(g_input);
        if (r.value("applied", false)) a.ui.onImported(r);
        return r;
    }
    if (method == "exportCsv") return s.exportCsv(arg);
    if (method == "pendingImport") return a.importFlow.pendingJson();
    if (method == "confirmImport") {
        json r = a.importFlow.confirm();
        if (r.value("applied", false)) a.ui.onImported(r);
        return r;
    }
    if (method == "cancelImport") {
        if (s.busy) return errorJson("BUSY", "A long operation is running; try again when it has finished");
        return a.importFlow.cancel();
    }
    if (method == "fileProgress") {
        // A large file streaming into the page (files.js): how far it is, in the toast.
        const double done = arg.value("done", 0.0), total = std::max(1.0, arg.value("total", 1.0));
        a.ui.notify("Opening " + arg.value("name", std::string("the file")) + "… " + std::to_string(int(100 * done / total)) + " %");
        return json{{"ok", true}};
    }
    if (method == "openedFile") {
        // A file picked or dropped in the page: preview it and wait for the person to confirm. A
        // large one was streamed into g_stream ({streamed: true}), in slices between frames.
        const bool streamed = arg.value("streamed", false);
        if (streamed) {
            bytes = reinterpret_cast<const uint8_t*>(g_stream.data());
            len = g_stream.size();
        } else if (!hasBytes) return needBytes();
        struct DropStream { bool on; ~DropStream() { if (on) std::string().swap(g_stream); } } dropStream{streamed};
        std::string name = arg.value("name", "file.csv");
        if (len > Session::kMaxImportBytes) {
            a.ui.notifyError("FILE_TOO_LARGE: " + name + " is too large to import");
            return errorJson("FILE_TOO_LARGE", name + " is too large to import");
        }
        if (a.runningJob() || s.busy) {
            a.ui.notifyError("BUSY: " + name + " was not opened: a long operation is running");
            return errorJson("BUSY", "A long operation is running; try again when it has finished");
        }
        // The bytes: post.js wrote them into g_input (roster_input_alloc), which the pending import
        // takes over; a copy here was a second fresh buffer of the file's size, and at 160 MB about
        // 0.7 s of one frame on top of the first (page faults).
        auto takeBytes = [&]() {
            if (streamed) return std::exchange(g_stream, std::string());
            if (reinterpret_cast<const char*>(bytes) == g_input.data() && g_input.size() == len) return std::exchange(g_input, std::string());
            return std::string(reinterpret_cast<const char*>(bytes), len);
        };
        if (a.importFlow.opensAsJob(len)) {
            // A large file is read and checked as a job (progress bar, Cancel; the page keeps
            // drawing); the preview opens when it is done.
            a.importFlow.stage(name, takeBytes());
            App* app = &a;
            a.startJob(a.importFlow.checkJob(ImportMode::Update, "Reading " + name), [app](Job& j) {
                auto& ij = static_cast<ImportJob&>(j);
                if (!app->importFlow.takeChecked(ij, ImportMode::Update)) {
                    app->importFlow.cancel();
                    app->ui.notifyError(ij.wasCancelled() ? "Import cancelled: nothing was changed" : "The file could not be read");
                    return;
                }
                app->ui.showImportPreview();
            });
            return json{{"ok", true}, {"started", true}, {"fileName", name}};
        }
        json j = a.importFlow.open(name, takeBytes());
        a.ui.showImportPreview();
        return j;
    }
    if (method == "fileRefused") {
        a.ui.notifyError(arg.value("code", "FILE_REFUSED") + ": " + arg.value("message", "the file was refused"));
        return json{{"ok", true}};
    }
    if (method == "loadSample") {
        if (!hasBytes) return needBytes();
        json r = a.importFlow.apply(data, json{{"mode", "update"}}, "the sample");
        if (r.value("applied", false)) a.ui.onImported(r, "Loaded the sample directory");
        else a.ui.notifyError("The sample could not be loaded");
        return r;
    }
    return errorJson("UNKNOWN_OP", "Unknown method \"" + method + "\"");
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
        else out = platform::app().session.queryText(arg);
    } catch (const std::bad_alloc&) {
        out = errorJson("OUT_OF_MEMORY", "Not enough memory for this call").dump();
    }
    return out.c_str();
}
