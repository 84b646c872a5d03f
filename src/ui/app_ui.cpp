#include "app_ui.h"

#include "a11y.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <chrono>

#include "idle.h"
#include "widgets.h"

namespace roster::ui {

float PartTimes::p95(size_t part) const {
    if (!count) return 0;
    std::vector<float> v;
    v.reserve(count);
    for (size_t i = 0; i < count; ++i) v.push_back(ms[i * kParts + part]);
    size_t k = std::min(count - 1, size_t(std::ceil(0.95f * float(count))) - 1);
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

namespace {
double msSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

void AppUI::undo() {
    std::string label = s_.history.undoLabel();
    if (s_.undo()) st_.notify("Undone: " + label, host_.nowSeconds());
}

void AppUI::redo() {
    std::string label = s_.history.redoLabel();
    if (s_.redo()) st_.notify("Redone: " + label, host_.nowSeconds());
}

void AppUI::selectAll() {
    if (st_.view == View::Users) users_.selectAllMatching(st_);
}

void AppUI::onImported(const json& plan, const std::string& message) {
    const json& c = plan["counts"];
    std::string text = message.empty() ? "Imported" : message;
    text += ": " + formatCount(c.value("added", 0u)) + " added, " + formatCount(c.value("updated", 0u)) + " updated, " +
            formatCount(c.value("removed", 0u)) + " removed";
    // Another tool's files: what they brought besides people.
    if (c.contains("aliases") && c.value("aliases", 0u)) text += ", " + formatCount(c.value("aliases", 0u)) + " aliases";
    if (c.contains("orgUnits") && c.value("orgUnits", 0u)) text += ", " + formatCount(c.value("orgUnits", 0u)) + " org units";
    if (c.contains("suggestions") && c.value("suggestions", 0u)) text += ", " + formatCount(c.value("suggestions", 0u)) + " suggestions";
    st_.notify(text + " — Ctrl+Z to undo", host_.nowSeconds());
    st_.clearSelection();
    st_.focus = kNone;
    st_.view = View::Users;
    if (st_.keyboardInUse) st_.focusMain = true;   // applied from the keyboard: it goes on in the table
}

void AppUI::notifyError(const std::string& text) { st_.notify(text, host_.nowSeconds(), true); }
void AppUI::notify(const std::string& text) { st_.notify(text, host_.nowSeconds()); }

void AppUI::handleGlobalShortcuts() {
    ImGuiIO& io = ImGui::GetIO();
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    // Alt+1 … Alt+7: a view of the navigation, with the keyboard focus in it (the table's row in
    // Users, else the view's first control). Not while a dialog is open.
    if (io.KeyAlt && !ctrl && !io.KeyShift && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) {
        static const View views[] = {View::Users, View::Unassigned, View::Attributes, View::OrgUnits, View::Suggestions, View::Problems, View::History};
        for (int k = 0; k < 7; ++k)
            if (ImGui::IsKeyPressed(ImGuiKey(ImGuiKey_1 + k), false)) {
                st_.view = views[k];
                st_.focusMain = true;
                GImGui->NavWindowingToggleLayer = false;   // Alt was part of a shortcut: no menu-bar toggle on its release
            }
    }
    if (!ctrl) return;
    // Text fields keep their own undo and select-all while they have focus.
    if (io.WantTextInput) return;
    if (ImGui::IsKeyPressed(ImGuiKey_Z, false)) {
        if (io.KeyShift) redo();
        else undo();
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Y, false)) redo();
    if (ImGui::IsKeyPressed(ImGuiKey_A, false)) selectAll();
    if (ImGui::IsKeyPressed(ImGuiKey_F, false)) { st_.view = View::Users; st_.focusSearch = true; }
    if (ImGui::IsKeyPressed(ImGuiKey_N, false)) st_.openAddUser = true;
    if (ImGui::IsKeyPressed(ImGuiKey_O, false)) host_.openImportPicker();
    if (ImGui::IsKeyPressed(ImGuiKey_E, false) && io.KeyShift) export_.open();
    if (ImGui::IsKeyPressed(ImGuiKey_V, false)) {
        // Pasting CSV/TSV text outside a text field previews it as an import.
        const std::string& text = host_.clipboardText();
        if (s_.busy || host_.runningJob()) {
            st_.notify("A long operation is running: paste again when it has finished", host_.nowSeconds(), true);
        } else if (text.find('\n') != std::string::npos && (text.find('\t') != std::string::npos || text.find(',') != std::string::npos)) {
            host_.imports().open("pasted text", std::string(text.begin(), text.end()));
            import_.open();
        } else if (!text.empty()) {
            st_.notify("Paste a table with a header row (CSV or TSV) to import it", host_.nowSeconds());
        }
    }
}

void AppUI::drawMenuBar() {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Import CSV…", "Ctrl+O")) host_.openImportPicker();
        if (ImGui::MenuItem("Export…", "Ctrl+Shift+E")) export_.open();
        if (ImGui::MenuItem("Load sample directory")) host_.loadSample();
        ImGui::Separator();
        if (ImGui::MenuItem("Storage…")) { st_.showStorage = true; host_.askPersistentStorage(); }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        std::string u = s_.history.canUndo() ? "Undo " + s_.history.undoLabel() : "Undo";
        std::string r = s_.history.canRedo() ? "Redo " + s_.history.redoLabel() : "Redo";
        if (ImGui::MenuItem(u.c_str(), "Ctrl+Z", false, s_.history.canUndo())) undo();
        if (ImGui::MenuItem(r.c_str(), "Ctrl+Shift+Z / Ctrl+Y", false, s_.history.canRedo())) redo();
        ImGui::Separator();
        if (ImGui::MenuItem("Add user…", "Ctrl+N")) st_.openAddUser = true;
        if (ImGui::MenuItem("Select all matching", "Ctrl+A")) selectAll();
        if (ImGui::MenuItem("Delete selected", "Del", false, st_.selectedCount > 0)) st_.confirmDelete = true;
        if (ImGui::MenuItem("Find", "Ctrl+F")) { st_.view = View::Users; st_.focusSearch = true; }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Users", nullptr, st_.view == View::Users)) st_.view = View::Users;
        if (ImGui::MenuItem("Unassigned accounts", nullptr, st_.view == View::Unassigned)) st_.view = View::Unassigned;
        if (ImGui::MenuItem("Attributes", nullptr, st_.view == View::Attributes)) st_.view = View::Attributes;
        if (ImGui::MenuItem("Org units", nullptr, st_.view == View::OrgUnits)) st_.view = View::OrgUnits;
        if (ImGui::MenuItem("Suggestions", nullptr, st_.view == View::Suggestions)) st_.view = View::Suggestions;
        if (ImGui::MenuItem("Problems", nullptr, st_.view == View::Problems)) st_.view = View::Problems;
        if (ImGui::MenuItem("History", nullptr, st_.view == View::History)) st_.view = View::History;
        ImGui::Separator();
        if (ImGui::BeginMenu("Theme")) {
            if (ImGui::MenuItem("Dark", nullptr, st_.dark)) { st_.dark = true; st_.fontsDirty = true; }
            if (ImGui::MenuItem("Light", nullptr, !st_.dark)) { st_.dark = false; st_.fontsDirty = true; }
            ImGui::Separator();
            if (ImGui::MenuItem("High contrast", nullptr, st_.highContrast)) { st_.highContrast = !st_.highContrast; st_.fontsDirty = true; }
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("UI scale")) {
            for (float f : {0.85f, 1.0f, 1.15f, 1.3f, 1.5f}) {
                char label[16];
                snprintf(label, sizeof label, "%d%%", int(f * 100 + 0.5f));
                if (ImGui::MenuItem(label, nullptr, std::abs(st_.userScale - f) < 0.01f)) { st_.userScale = f; st_.fontsDirty = true; }
            }
            ImGui::EndMenu();
        }
        ImGui::Separator();
        ImGui::MenuItem("ImGui demo (developers)", nullptr, &st_.showDemo);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        ImGui::MenuItem("Keyboard shortcuts", nullptr, &st_.showShortcuts);
        ImGui::MenuItem("About Roster", nullptr, &st_.showAbout);
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void AppUI::drawNav(float width) {
    const Directory& d = s_.dir;
    ImGui::BeginChild("nav", ImVec2(width, 0), ImGuiChildFlags_None);
    ImGui::Spacing();
    ImGui::TextDisabled("DIRECTORY");
    ImGui::Spacing();
    if (navUnassignedRev_ != d.revision()) {   // O(accounts): once per revision, not once per frame
        navUnassigned_ = 0;
        for (const Identity& id : d.identities()) navUnassigned_ += (id.alive && id.owner == kNone);
        navUnassignedRev_ = d.revision();
    }
    const uint64_t unassigned = navUnassigned_;
    // short: the label to show when the long one and the count do not both fit.
    // A count still being worked out (NavCount::counting) shows as "…", with the last count in a tooltip.
    auto item = [&](const char* label, uint64_t count, View v, const char* shortLabel = nullptr, bool counting = false) {
        bool sel = st_.view == v;
        ImGui::PushID(label);
        if (ImGui::Selectable("##nav", sel, 0, ImVec2(0, ImGui::GetFrameHeight()))) st_.view = v;
        a11y::navItem(std::string(label) + ", " + (counting ? std::string("counting") : formatCount(count)), sel);
        const float pad = ImGui::GetStyle().ItemSpacing.x;
        ImGui::SameLine(pad * 1.5f);
        ImGui::AlignTextToFramePadding();
        std::string c = counting ? "\u2026" : formatCount(count);
        const float countX = width - ImGui::CalcTextSize(c.c_str()).x - pad * 2;
        const bool fits = pad * 1.5f + ImGui::CalcTextSize(label).x + pad <= countX;
        ImGui::TextUnformatted(fits || !shortLabel ? label : shortLabel);
        if (!fits && shortLabel && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label);
        ImGui::SameLine(countX);
        ImGui::TextDisabled("%s", c.c_str());
        if (counting && ImGui::IsItemHovered())
            ImGui::SetTooltip("Counting: the directory changed since the last count (%s)", formatCount(count).c_str());
        ImGui::PopID();
    };
    item("Users", d.userCount(), View::Users);
    item("Unassigned accounts", unassigned, View::Unassigned, "Unassigned");
    item("Attributes", attributes_.navCount(s_), View::Attributes);
    item("Org units", orgUnits_.navCount(s_), View::OrgUnits);
    ImGui::Spacing();
    ImGui::TextDisabled("HYGIENE");
    ImGui::Spacing();
    auto t0 = std::chrono::steady_clock::now();
    // Background analysis for these counts yields to interaction: while the person scrolls, clicks
    // or types (and for a moment after), frames do only the UI's own work.
    // At a million people the first counts (a full lint, the suggestion engine's setup) wait a few
    // seconds after start, so the first frame (and `ready`) is not held up by them.
    const bool advance = host_.idle().mayCount(host_.nowSeconds(), s_.dir.slotCount(), host_.runningJob() != nullptr);
    const NavCount nSuggestions = navSuggestions_ = suggestions_.navCount(s_, advance);
    const NavCount nProblems = navProblems_ = problems_.navCount(s_, advance);
    parts_.cur[4] = float(msSince(t0));
    item("Suggestions", nSuggestions.count, View::Suggestions, nullptr, nSuggestions.counting);
    item("Problems", nProblems.count, View::Problems, nullptr, nProblems.counting);
    item("History", navHistory_ = history_.navCount(host_), View::History);
    ImGui::EndChild();
}

void AppUI::drawBanner() {
    if (st_.bannerText.empty()) return;
    ImVec4 bg = st_.bannerKind == 3 ? ImVec4(0.45f, 0.12f, 0.12f, 1) : st_.bannerKind == 2 ? ImVec4(0.42f, 0.30f, 0.05f, 1)
              : st_.bannerKind == 4 ? ImVec4(0.20f, 0.24f, 0.50f, 1) : ImVec4(0.16f, 0.28f, 0.40f, 1);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, bg);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    ImGui::BeginChild("banner", ImVec2(0, 0), ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
    ImGui::AlignTextToFramePadding();
    ImGui::TextWrapped("%s", st_.bannerText.c_str());
    if (st_.bannerKind == 4) {
        if (ImGui::Button("Edit here instead")) host_.takeOverEditing();
    } else {
        if (ImGui::SmallButton("Dismiss")) st_.bannerText.clear();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
}

void AppUI::drawStorageWindow() {
    if (!st_.showStorage) return;
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_Appearing);
    if (ImGui::Begin("Storage", &st_.showStorage, ImGuiWindowFlags_AlwaysAutoResize)) {
        Host::StorageStatus ss = host_.storageStatus();
        auto row = [](const char* k, const std::string& v) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", k);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(v.c_str());
        };
        auto mb = [](double b) {
            char t[64];
            if (b < 0) return std::string("unknown");
            snprintf(t, sizeof t, "%.1f MB", b / 1048576.0);
            return std::string(t);
        };
        if (ImGui::BeginTable("storage", 2, ImGuiTableFlags_RowBg)) {
            row("Where", "this browser's IndexedDB (nothing leaves the page)");
            row("This tab", ss.role);
            row("Persistent", ss.persisted < 0 ? "unknown" : ss.persisted ? "yes: the browser will not evict it" : "no: the browser may evict it under pressure");
            row("Used / quota", mb(ss.usage) + " of " + mb(ss.quota));
            row("Save state", host_.saveView().text);
            row("Last saved", ss.lastSavedAgo < 0 ? "not in this session" : std::to_string(int(ss.lastSavedAgo)) + " s ago");
            row("Format / generation", std::to_string(ss.format) + " / " + std::to_string(ss.generation));
            if (!ss.lastError.empty()) row("Last error", ss.lastError);
            ImGui::EndTable();
        }
        ImGui::Spacing();
        if (ss.persisted != 1 && ImGui::Button("Ask for persistent storage")) host_.askPersistentStorage();
        if (ss.persisted != 1) ImGui::SameLine();
        if (ImGui::Button("Save now")) host_.retrySave();
        ImGui::SameLine();
        if (ImGui::Button("Export…")) export_.open();
    }
    ImGui::End();
}

void AppUI::drawEmptyState() {
    ImVec2 avail = ImGui::GetContentRegionAvail();
    const float w = std::min(avail.x - 20, ImGui::GetFontSize() * 30);
    ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (avail.x - w) * 0.5f, ImGui::GetCursorPosY() + avail.y * 0.18f));
    ImGui::BeginChild("welcome", ImVec2(w, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
    ImGui::Spacing();
    ImGui::SetWindowFontScale(1.35f);
    ImGui::TextUnformatted("Your directory is empty");
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Spacing();
    ImGui::TextWrapped("Roster keeps one record per person with every account they have in Jira, GitHub, PagerDuty, "
                       "Harness and more. Everything stays in this browser and works offline.");
    ImGui::Spacing();
    ImGui::TextWrapped("Start with a sample directory (a few hundred people across several teams and integrations), "
                       "import your SEI users CSV, or add people by hand.");
    ImGui::Spacing();
    ImGui::Spacing();
    if (primaryButton("Load sample directory")) host_.loadSample();
    ImGui::SameLine();
    if (ImGui::Button("Import CSV…")) host_.openImportPicker();
    ImGui::SameLine();
    if (ImGui::Button("Add a user")) st_.openAddUser = true;
    ImGui::Spacing();
    ImGui::TextDisabled("Tip: drop a CSV file anywhere on this window.");
    ImGui::Spacing();
    ImGui::EndChild();
}

void AppUI::drawMain() {
    if (st_.focusMain && st_.view != View::Users && st_.view != View::Suggestions && st_.view != View::Unassigned) {   // (those take it themselves)
        st_.focusMain = false;
        ImGui::SetWindowFocus();
        focusNextItem(st_.keyboardInUse);
    }
    if (st_.view == View::Users) {
        if (s_.dir.userCount() == 0 && s_.dir.liveIdentityCount() == 0) drawEmptyState();
        else users_.Draw(s_, st_, host_);
    } else if (st_.view == View::Unassigned) {
        unassigned_.Draw(s_, st_, host_);
    } else if (st_.view == View::Attributes) {
        attributes_.Draw(s_, st_, host_);
    } else if (st_.view == View::OrgUnits) {
        orgUnits_.Draw(s_, st_, host_);
    } else if (st_.view == View::Suggestions) {
        suggestions_.Draw(s_, st_, host_);
    } else if (st_.view == View::Problems) {
        problems_.Draw(s_, st_, host_);
    } else if (st_.view == View::History) {
        history_.Draw(s_, st_, host_);
    }
}

void AppUI::drawStatusBar(float height) {
    const Directory& d = s_.dir;
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - height));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, height));
    ImGuiWindowFlags f = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, ImGui::GetStyle().FramePadding.y));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyle().Colors[ImGuiCol_MenuBarBg]);
    ImGui::Begin("##status", nullptr, f);
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s users  ·  %s accounts", formatCount(d.userCount()).c_str(), formatCount(d.liveIdentityCount()).c_str());
    if (st_.selectedCount) {
        ImGui::SameLine();
        ImGui::TextDisabled("  ·  %s selected", formatCount(st_.selectedCount).c_str());
    }
    SaveView sv = host_.saveView();
    ImVec4 col = sv.kind == SaveView::Failed ? colorError() : sv.kind == SaveView::Saved ? colorOk() : sv.kind == SaveView::Disabled ? colorWarn() : colorMuted();
    float tw = ImGui::CalcTextSize(sv.text.c_str()).x;
    bool retry = sv.kind == SaveView::Failed;
    float bw = retry ? ImGui::CalcTextSize("Retry").x + ImGui::CalcTextSize("Export…").x + ImGui::GetStyle().FramePadding.x * 4 +
                           ImGui::GetStyle().ItemSpacing.x * 2
                     : 0;
    ImGui::SameLine(ImGui::GetWindowWidth() - tw - bw - ImGui::GetStyle().WindowPadding.x - 4);
    ImGui::TextColored(col, "%s", sv.text.c_str());
    if (!sv.detail.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", sv.detail.c_str());
    if (retry) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Retry")) host_.retrySave();
        ImGui::SameLine();
        if (ImGui::SmallButton("Export…")) export_.open();
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
}

void AppUI::drawAddUserModal() {
    if (st_.openAddUser) {
        ImGui::OpenPopup("Add user");
        addName_.clear();
        addEmail_.clear();
        addError_.clear();
        st_.openAddUser = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Add user", nullptr, ImGuiWindowFlags_AlwaysAutoResize * 0)) return;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(-1);
    bool enter = ImGui::InputTextWithHint("##addname", "Full name", &addName_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SetNextItemWidth(-1);
    enter |= ImGui::InputTextWithHint("##addemail", "email@company.com", &addEmail_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (!addError_.empty()) textWrappedColored(colorError(), addError_);
    ImGui::Spacing();
    if (primaryButton("Add") || enter) {
        AddUserCmd cmd(addName_, addEmail_);
        CmdResult r = s_.execute(cmd);
        if (r.ok) {
            uint32_t slot = s_.dir.slotOfId(r.id);
            st_.clearSelection();
            st_.select(slot, true);
            st_.focus = st_.anchor = slot;
            st_.scrollToFocus = true;
            st_.view = View::Users;
            ImGui::CloseCurrentPopup();
        } else {
            addError_ = r.error.message;
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void AppUI::drawDeleteModal() {
    if (st_.confirmDelete) {
        ImGui::OpenPopup("Delete users?");
        st_.confirmDelete = false;
    }
    if (!ImGui::BeginPopupModal("Delete users?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    std::vector<uint32_t> slots = st_.selectedSlots();
    if (slots.empty() && st_.focus != kNone && s_.dir.userAlive(st_.focus)) slots.push_back(st_.focus);
    slots.erase(std::remove_if(slots.begin(), slots.end(), [&](uint32_t x) { return !s_.dir.userAlive(x); }), slots.end());
    if (slots.size() == 1) {
        std::string_view n = s_.dir.userName(slots[0]);
        ImGui::Text("Delete %.*s?", int(n.size()), n.data());
    } else {
        ImGui::Text("Delete %s people?", formatCount(slots.size()).c_str());
    }
    ImGui::TextDisabled("Their accounts become unassigned. You can undo this (Ctrl+Z).");
    ImGui::Spacing();
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (dangerButton("Delete") || ImGui::IsKeyPressed(ImGuiKey_Enter)) {
        std::vector<uint32_t> ids;
        for (uint32_t x : slots) ids.push_back(s_.dir.userId(x));
        if (!ids.empty()) {
            RemoveUsersCmd cmd(ids);
            CmdResult r = s_.execute(cmd);
            if (!r.ok) st_.notify(r.error.message, host_.nowSeconds(), true);
            else st_.notify(cmd.label() + " — Ctrl+Z to undo", host_.nowSeconds());
        }
        st_.clearSelection();
        st_.focus = kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void AppUI::drawShortcutsWindow() {
    if (!st_.showShortcuts) return;
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 28, 0), ImGuiCond_Appearing);
    if (ImGui::Begin("Keyboard shortcuts", &st_.showShortcuts, ImGuiWindowFlags_AlwaysAutoResize)) {
        // Every key Roster answers to (issue 19): keep in step with handleGlobalShortcuts, the panels' keys
        // and Dear ImGui's keyboard navigation (ImGuiConfigFlags_NavEnableKeyboard).
        static const char* rows[][2] = {
            {"Ctrl+O / drop a file", "Import a CSV (opens the preview)"}, {"Ctrl+V", "Import pasted CSV/TSV"},
            {"Ctrl+Shift+E", "Export (SEI, SEI 2.0, .mailmap, DevLake, Faros, SortingHat)"},
            {"Ctrl+Z", "Undo"}, {"Ctrl+Shift+Z, Ctrl+Y", "Redo"}, {"Ctrl+F", "Search users"}, {"Ctrl+A", "Select all matching"},
            {"Ctrl+N", "Add user"}, {"Alt+1 … Alt+7", "Go to Users, Unassigned, Attributes, Org units, Suggestions, Problems, History"},
            {"Up / Down, Page Up / Down, Home / End", "Move through the users table (Shift: extend the selection)"},
            {"Left / Right (users table)", "Move the cell cursor along the focused row"},
            {"Enter (users table)", "Edit the focused cell's field in the editor (name, email or the attribute)"},
            {"Tab / Shift+Tab", "Next / previous control or field"},
            {"Enter", "Apply an edited field; press the focused button; a dialog's main button"},
            {"Space", "Press the focused button, tick the focused checkbox"},
            {"Arrows (outside the table)", "Move between controls; open and choose in a list"},
            {"Esc", "Cancel an edit (the field gets its value back); leave the editor for the table; close a dialog; clear the selection"},
            {"Del", "Delete selected"}, {"Alt", "The menu bar (then arrows and Enter)"},
            {"Click / Ctrl+Click / Shift+Click", "Select / toggle / range"}, {"Double-click a cell", "Edit an attribute in the table"}};
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
            for (auto& r : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r[0]);
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", r[1]);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void AppUI::drawAboutWindow() {
    if (!st_.showAbout) return;
    if (ImGui::Begin("About Roster", &st_.showAbout, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("Roster %s", host_.buildId().c_str());
        ImGui::TextDisabled("People data for engineering insights, offline and private.");
        ImGui::TextDisabled("Dear ImGui %s · C++ compiled to WebAssembly", IMGUI_VERSION);
    }
    ImGui::End();
}

// The running long operation (roster::Job), if any: a modal with its title, phase, a progress bar
// with counts, and Cancel. It appears only once the job has run a moment, so that short jobs
// (a sort of a few hundred thousand rows) do not flash a dialog.
void AppUI::drawJobOverlay() {
    Job* job = host_.runningJob();
    const bool show = job && host_.runningJobSeconds() >= 0.15;
    const char* id = "###job";
    if (show && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowSize(ImVec2(em * 28, 0));
    std::string title = (job ? job->title() : std::string("Working")) + id;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings))
        return;
    if (!show) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const Job::Progress p = job->progress();
    ImGui::Spacing();
    ImGui::TextUnformatted(p.phase.empty() ? "Working…" : (p.phase + "…").c_str());
    ImGui::Spacing();
    std::string counts;
    float frac = -1.0f * float(ImGui::GetTime());   // indeterminate when the total is unknown
    if (p.total) {
        frac = float(double(std::min(p.done, p.total)) / double(p.total));
        counts = formatCount(p.done) + " / " + formatCount(p.total) + (p.unit && *p.unit ? std::string(" ") + p.unit : "");
    } else if (p.done) {
        counts = formatCount(p.done) + (p.unit && *p.unit ? std::string(" ") + p.unit : "");
    }
    ImGui::ProgressBar(frac, ImVec2(-1, 0), counts.empty() ? nullptr : counts.c_str());
    ImGui::Spacing();
    if (job->cancellable()) {
        const float bw = ImGui::CalcTextSize("Cancel").x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetCursorPosX(ImGui::GetContentRegionMax().x - bw);
        ImGui::BeginDisabled(job->cancelRequested());
        if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) job->cancel();
        ImGui::EndDisabled();
    } else {
        ImGui::TextDisabled("This cannot be interrupted.");
    }
    ImGui::EndPopup();
}

void AppUI::Draw() {
    {
        // Slots given back (an undone step's, when its redo ended) may hold other people now: the
        // selection and the person in the editor, which name slots, let go.
        const auto& rc = s_.history.reclaimed();
        const uint64_t reclaimed = rc.users + rc.idents + rc.aliases;
        if (reclaimed != seenReclaimed_) {
            seenReclaimed_ = reclaimed;
            st_.clearSelection();
            st_.selected.assign(s_.dir.slotCount(), 0);
            st_.focus = st_.anchor = kNone;
        }
    }
    {
        const ImGuiIO& io = ImGui::GetIO();
        bool input = io.MouseWheel != 0 || io.MouseWheelH != 0 || ImGui::IsAnyMouseDown() || !io.InputQueueCharacters.empty();
        for (int k = ImGuiKey_NamedKey_BEGIN; k < ImGuiKey_NamedKey_END && !input; ++k)
            if (k < ImGuiKey_MouseLeft || k > ImGuiKey_MouseWheelY) input = ImGui::IsKeyDown(ImGuiKey(k));
        host_.idle().noteFrame(host_.nowSeconds());
        if (input) host_.idle().noteInput(host_.nowSeconds());
        // Keyboard or mouse: focus requests draw ImGui's focus highlight only for keyboard use.
        if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || ImGui::IsAnyMouseDown()) st_.keyboardInUse = false;
        else if (ImGui::IsKeyPressed(ImGuiKey_Tab) || ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_Escape) ||
                 ImGui::IsKeyPressed(ImGuiKey_DownArrow) || ImGui::IsKeyPressed(ImGuiKey_UpArrow) || io.KeyCtrl || io.KeyAlt)
            st_.keyboardInUse = true;
    }
    handleGlobalShortcuts();
    drawMenuBar();
    ImGuiViewport* vp = ImGui::GetMainViewport();
    const float statusH = ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 2;
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, vp->WorkSize.y - statusH));
    ImGuiWindowFlags f = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##root", nullptr, f);
    drawBanner();
    const float navW = ImGui::GetFontSize() * 13.5f;
    const float editorW = std::clamp(vp->WorkSize.x * 0.26f, ImGui::GetFontSize() * 18, ImGui::GetFontSize() * 30);
    auto t0 = std::chrono::steady_clock::now();
    drawNav(navW);
    parts_.cur[0] = float(msSince(t0));
    ImGui::SameLine();
    const bool showEditor = st_.view == View::Users && (s_.dir.userCount() > 0);
    float mainW = ImGui::GetContentRegionAvail().x - (showEditor ? editorW + ImGui::GetStyle().ItemSpacing.x : 0);
    ImGui::BeginChild("main", ImVec2(mainW, 0), ImGuiChildFlags_Border);
    t0 = std::chrono::steady_clock::now();
    drawMain();
    ImGui::EndChild();
    parts_.cur[1] = float(msSince(t0));
    t0 = std::chrono::steady_clock::now();
    if (showEditor) {
        ImGui::SameLine();
        ImGui::BeginChild("editor", ImVec2(0, 0), ImGuiChildFlags_Border);
        editor_.Draw(s_, st_, host_);
        ImGui::EndChild();
    }
    parts_.cur[2] = float(msSince(t0));
    t0 = std::chrono::steady_clock::now();
    ImGui::End();
    drawStatusBar(statusH);
    drawAddUserModal();
    drawDeleteModal();
    drawShortcutsWindow();
    drawAboutWindow();
    drawStorageWindow();
    json applied = import_.Draw(s_, st_, host_);
    if (!applied.is_null()) onImported(applied);
    export_.Draw(s_, st_, host_);
    merge_.Draw(s_, st_, host_);
    drawJobOverlay();
    if (st_.showDemo) ImGui::ShowDemoWindow(&st_.showDemo);

    // Toast
    if (!st_.toast.empty() && host_.nowSeconds() < st_.toastUntil) {
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - 16, vp->WorkPos.y + vp->WorkSize.y - statusH - 12), 0,
                                ImVec2(1, 1));
        ImGui::SetNextWindowBgAlpha(0.92f);
        ImGui::Begin("##toast", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                                              ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs);
        if (st_.toastError) ImGui::TextColored(colorError(), "%s", st_.toast.c_str());
        else ImGui::TextUnformatted(st_.toast.c_str());
        ImGui::End();
    }
    parts_.cur[3] = float(msSince(t0));
    parts_.commit();
}

}  // namespace roster::ui
