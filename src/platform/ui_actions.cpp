// roster.ui({action, ...}): UI actions for tests and power users (not part of the contract). Each
// action is a handler in the table below, doing what a click or a key in the UI does.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <imgui.h>

#include <emscripten.h>

#include "ui/a11y.h"
#include "ui/app_ui.h"
#include "bridge.h"
#include "exporter.h"
#include "orgunits.h"

namespace roster::platform {
namespace {

using Action = json (*)(App&, const json&);

json ok() { return json{{"ok", true}}; }

json state(App& a, const json&) {
    auto& st = a.ui().state();
    return json{{"ok", true}, {"view", int(st.view)}, {"selected", st.selectedCount},
                {"dark", st.dark}, {"highContrast", st.highContrast}, {"reducedMotion", st.reducedMotion}, {"scale", st.userScale}, {"dpr", a.canvas().dpr}, {"width", a.canvas().width}, {"height", a.canvas().height},
                {"toast", st.toast}, {"toastError", st.toastError}, {"save", a.saveView().text},
                {"banner", st.bannerText}, {"bannerKind", st.bannerKind}, {"readOnly", a.session().readOnly}};
}

json exportFile(App& a, const json& arg) {
    // The page's own save of an export (as the dialog's Save button): {name, format?, bom?, fields?};
    // a format of several files is saved as one zip called `name`.
    json opts = json{{"format", arg.value("format", "sei")}, {"bom", arg.value("bom", false)}};
    if (arg.contains("fields")) opts["fields"] = arg["fields"];
    json r = a.session().exportFiles(opts, exportDateStem());
    if (!r.value("ok", false)) return r;
    std::string name = arg.value("name", std::string("user_export.csv"));
    if (r["files"].size() == 1) {
        a.saveExport(name, r["files"][0]["text"].get<std::string>());
    } else {   // a format of several files: one zip, as the dialog saves it
        std::vector<ExportFile> files;
        for (const json& f : r["files"]) files.push_back({f["name"].get<std::string>(), f["text"].get<std::string>()});
        a.saveExportZip(name, files);
    }
    return json{{"ok", true}, {"name", name}, {"warnings", r["warnings"]}};
}

// A theme's colours as RGBA in 0..1 (without applying it), for the contrast test: {dark, highContrast}.
json themeColors(App&, const json& arg) {
    const bool dark = arg.value("dark", true), hc = arg.value("highContrast", false);
    const ImGuiStyle st = ui::themeStyle(dark, hc);
    auto rgba = [](const ImVec4& c) { return json::array({c.x, c.y, c.z, c.w}); };
    json colors = json::object();
    const std::pair<const char*, ImGuiCol> named[] = {
        {"Text", ImGuiCol_Text}, {"TextDisabled", ImGuiCol_TextDisabled}, {"WindowBg", ImGuiCol_WindowBg}, {"ChildBg", ImGuiCol_ChildBg},
        {"PopupBg", ImGuiCol_PopupBg}, {"MenuBarBg", ImGuiCol_MenuBarBg}, {"FrameBg", ImGuiCol_FrameBg}, {"FrameBgHovered", ImGuiCol_FrameBgHovered},
        {"Button", ImGuiCol_Button}, {"ButtonHovered", ImGuiCol_ButtonHovered}, {"Header", ImGuiCol_Header}, {"HeaderHovered", ImGuiCol_HeaderHovered},
        {"TableHeaderBg", ImGuiCol_TableHeaderBg}, {"TableRowBgAlt", ImGuiCol_TableRowBgAlt}, {"Tab", ImGuiCol_Tab}, {"TabActive", ImGuiCol_TabActive},
        {"TitleBgActive", ImGuiCol_TitleBgActive}};
    for (const auto& [name, idx] : named) colors[name] = rgba(st.Colors[idx]);
    const ui::StatusColors sc = ui::statusColors(dark, hc);
    colors["StatusError"] = rgba(sc.error);
    colors["StatusOk"] = rgba(sc.ok);
    colors["StatusWarn"] = rgba(sc.warn);
    return json{{"ok", true}, {"dark", dark}, {"highContrast", hc}, {"colors", colors}};
}

// The accessibility mirror on or off ({on}); answers whether it is on (the bench compares frames).
json a11yMirror(App&, const json& arg) {
    if (arg.is_object() && arg.contains("on")) {
        const bool on = arg.value("on", true);
        ui::a11y::setEnabled(on);
        if (!on) EM_ASM({ var r = document.getElementById('a11y'); if (r) r.remove(); });
    }
    return json{{"ok", true}, {"on", ui::a11y::enabled()}};
}

json openPicker(App& a, const json&) {
    a.openImportPicker();
    return ok();
}

json theme(App& a, const json& arg) {
    a.ui().state().dark = arg.value("dark", true);
    if (arg.contains("highContrast")) a.ui().state().highContrast = arg.value("highContrast", false);
    a.ui().state().fontsDirty = true;
    return ok();
}

json view(App& a, const json& arg) {
    static const std::pair<const char*, ui::View> views[] = {
        {"users", ui::View::Users}, {"unassigned", ui::View::Unassigned}, {"attributes", ui::View::Attributes},
        {"orgUnits", ui::View::OrgUnits}, {"suggestions", ui::View::Suggestions}, {"problems", ui::View::Problems},
        {"history", ui::View::History}};
    std::string v = arg.value("view", "users");
    for (auto& [n, view] : views)
        if (v == n) { a.ui().state().view = view; return ok(); }
    return errorJson("INVALID_ARGUMENT", "Unknown view \"" + v + "\"");
}

json problemsTab(App& a, const json& arg) {   // the Problems view's tab, as a click on it
    std::string t = arg.value("tab", "findings");
    if (t != "findings" && t != "reportingLines") return errorJson("INVALID_ARGUMENT", "Unknown tab \"" + t + "\"");
    a.ui().state().view = ui::View::Problems;
    a.ui().problems().showTab(t == "findings" ? 0 : 1);
    return ok();
}

json select(App& a, const json& arg) {
    auto& st = a.ui().state();
    const Directory& dir = a.session().dir;
    st.clearSelection();
    if (arg.contains("ids"))
        for (auto& v : arg["ids"]) {
            uint32_t id;
            if (v.is_string() && parseUserId(v.get<std::string>(), id)) {
                uint32_t slot = dir.slotOfId(id);
                if (slot != kNone) { st.select(slot, true); st.focus = slot; }
            }
        }
    return json{{"ok", true}, {"selected", st.selectedCount}};
}

// ---- the long operation in progress (stats().job)
json cancelJob(App& a, const json&) {   // as the Cancel button does
    Job* job = a.jobs().running();
    if (!job) return errorJson("NOT_FOUND", "No long operation is running");
    if (!job->cancellable()) return errorJson("INVALID_ARGUMENT", "This operation cannot be cancelled");
    job->cancel();
    return ok();
}

json applyImportDialog(App& a, const json&) {   // as a click on "Apply import" in the preview dialog
    if (!a.imports().pending()) return errorJson("NOT_FOUND", "No import is waiting for confirmation");
    if (a.jobs().running()) return errorJson(busyError());
    a.ui().applyImportPreview();
    return ok();
}

json jobBudget(App& a, const json& arg) {   // milliseconds of job work per frame (tests slow jobs down to watch them)
    double ms = arg.value("ms", 0.0);   // 0: the default (from the frame rate)
    if (!(ms >= 0 && ms <= 1000)) return errorJson("INVALID_ARGUMENT", "ms must be in [0, 1000]");
    // (a tiny budget still does one unit of work a frame: a few thousand rows)
    a.jobs().setBudgetMs(ms);
    return ok();
}

// ---- the Users table: sort (as a header click), search (as typing), scroll, and what it shows
json sortUsers(App& a, const json& arg) {
    std::string column = arg.value("column", "");
    if (!a.ui().users().requestSort(a.session().dir, column, arg.value("ascending", true)))
        return errorJson("INVALID_ARGUMENT", "Unknown column \"" + column + "\"");
    a.ui().state().view = ui::View::Users;
    return ok();
}

json searchUsers(App& a, const json& arg) {
    a.ui().users().setSearch(arg.value("text", ""));
    a.ui().state().view = ui::View::Users;
    return ok();
}

json scrollUsers(App& a, const json& arg) {
    long row = 0;
    if (arg.contains("row") && arg["row"].is_number()) row = arg["row"].get<long>();
    else if (arg.value("to", "") == "end") row = 0x3fffffffL;   // clamped to the last page
    a.ui().users().scrollTo(row);
    return ok();
}

json showColumns(App& a, const json& arg) {   // {attributes: "all" | [key, ...]}: the attribute columns shown
    const json& which = arg.contains("attributes") ? arg["attributes"] : json();
    std::vector<std::string> keys;
    if (which.is_array())
        for (const auto& k : which) if (k.is_string()) keys.push_back(k.get<std::string>());
    if (!which.is_array() && which != "all") return errorJson("INVALID_ARGUMENT", "attributes must be \"all\" or a list of attribute keys");
    a.ui().state().view = ui::View::Users;
    return json{{"ok", true}, {"shown", a.ui().users().showAttributes(a.session().dir, keys, which == "all")}};
}

json usersTable(App& a, const json& arg) {
    const Directory& dir = a.session().dir;
    auto& users = a.ui().users();
    const auto& st = a.ui().state();
    long from = arg.value("from", -1L), count = arg.value("count", -1L);
    json t = users.tableJson(dir, from < 0 ? users.tableJson(dir, 0, 0)["firstRow"].get<long>() : from,
                             count < 0 ? users.tableJson(dir, 0, 0)["visibleRows"].get<long>() : count);
    t["ok"] = true;
    t["focus"] = st.focus != kNone && st.focus < dir.slotCount() ? json(formatUserId(dir.userId(st.focus))) : json(nullptr);
    return t;
}

// ---- the Org units view: where its tree rows and buttons were drawn in the last frame (tests click them)
json rectJson(const ui::UiRect& r) {
    if (!r.shown()) return nullptr;
    return json{{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}, {"cx", r.x + r.w * 0.5f}, {"cy", r.y + r.h * 0.5f}};
}

json orgUnitsLayout(App& a, const json&) {
    const Directory& dir = a.session().dir;
    const ui::OrgUnitsLayout& l = a.ui().orgUnits().layout();
    json rows = json::array();
    for (const auto& r : l.rows) {
        if (r.unit >= dir.orgUnits().size()) continue;
        const OrgUnit& u = dir.orgUnits()[r.unit];
        rows.push_back({{"id", formatOrgUnitId(u.id)}, {"name", dir.s(u.name)}, {"depth", r.depth}, {"open", r.open},
                        {"hasChildren", r.hasChildren}, {"count", r.count}, {"rect", rectJson(r.rect)}});
    }
    auto choices = [](const std::vector<std::pair<std::string, ui::UiRect>>& v) {
        json out = json::array();
        for (const auto& [name, rect] : v) out.push_back({{"name", name}, {"rect", rectJson(rect)}});
        return out;
    };
    return json{{"ok", true}, {"rows", rows}, {"moveChoices", choices(l.moveChoices)}, {"parentChoices", choices(l.parentChoices)},
                {"newUnit", rectJson(l.newUnit)}, {"newSubUnit", rectJson(l.newSubUnit)}, {"moveUnder", rectJson(l.moveUnder)},
                {"save", rectJson(l.save)}, {"name", rectJson(l.name)}, {"parentCombo", rectJson(l.parentCombo)},
                {"firstValue", rectJson(l.firstValue)}};
}

// ---- the import preview: its Columns step, tabs and buttons as drawn in the last frame (tests click them)
json importDialogLayout(App& a, const json&) {
    const ui::ImportDialogLayout& l = a.ui().importDialog().layout();
    json cols = json::array();
    for (const auto& c : l.columns) cols.push_back({{"header", c.header}, {"target", c.target}, {"source", c.source}, {"rect", rectJson(c.combo)}});
    json choices = json::array();
    for (const auto& [target, rect] : l.targetChoices) choices.push_back({{"target", target}, {"rect", rectJson(rect)}});
    return json{{"ok", true}, {"open", l.open}, {"columns", cols}, {"targetChoices", choices},
                {"mappingNote", l.mappingNote.empty() ? json(nullptr) : json(l.mappingNote)},
                {"formatNote", l.formatNote.empty() ? json(nullptr) : json(l.formatNote)},
                {"columnsTab", rectJson(l.columnsTab)}, {"changesTab", rectJson(l.changesTab)}, {"apply", rectJson(l.apply)},
                {"cancel", rectJson(l.cancel)}, {"skipRows", rectJson(l.skipRows)}, {"saveSkipped", rectJson(l.saveSkipped)},
                {"closeSkipped", rectJson(l.closeSkipped)}};
}

// ---- the Export dialog: its format choices, the files previewed and the buttons as drawn in the last frame
json exportDialogLayout(App& a, const json&) {
    const ui::ExportDialogLayout& l = a.ui().exportDialog().layout();
    json formats = json::array();
    for (const auto& [id, rect] : l.formats) formats.push_back({{"id", id}, {"rect", rectJson(rect)}});
    json files = json::array();
    for (const auto& f : l.files) files.push_back({{"name", f.name}, {"lines", f.lines}, {"linesShown", f.linesShown}});
    return json{{"ok", true}, {"open", l.open}, {"format", l.open ? json(l.format) : json(nullptr)}, {"formats", formats},
                {"files", files}, {"preview", rectJson(l.preview)}, {"save", rectJson(l.save)}, {"cancel", rectJson(l.cancel)},
                {"saveLabel", l.saveLabel}};
}

const std::unordered_map<std::string_view, Action>& actions() {
    static const std::unordered_map<std::string_view, Action> table = {
        {"state", state}, {"exportFile", exportFile}, {"openPicker", openPicker}, {"theme", theme},
        {"view", view}, {"problemsTab", problemsTab}, {"select", select},
        {"cancelJob", cancelJob}, {"applyImportDialog", applyImportDialog}, {"jobBudget", jobBudget},
        {"sortUsers", sortUsers}, {"searchUsers", searchUsers}, {"scrollUsers", scrollUsers},
        {"showColumns", showColumns}, {"usersTable", usersTable}, {"orgUnitsLayout", orgUnitsLayout},
        {"importDialogLayout", importDialogLayout}, {"exportDialogLayout", exportDialogLayout},
        {"themeColors", themeColors}, {"a11y", a11yMirror},
    };
    return table;
}

}  // namespace

json uiAction(App& a, const json& arg) {
    std::string action = arg.is_string() ? arg.get<std::string>() : arg.value("action", "");
    auto it = actions().find(action);
    if (it == actions().end()) return errorJson("UNKNOWN_OP", "Unknown ui action \"" + action + "\"");
    return it->second(a, arg);
}

}  // namespace roster::platform
