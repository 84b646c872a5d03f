#pragma once
// The whole screen: menu bar, left navigation with counts, the main view, the editor pane,
// the status bar, and the few modal dialogs. Panels are structs with a Draw() method.
#include "editor_panel.h"
#include "host.h"
#include "attributes_panel.h"
#include "history_panel.h"
#include "export_dialog.h"
#include "import_dialog.h"
#include "merge_dialog.h"
#include "orgunits_panel.h"
#include "problems_panel.h"
#include "suggestions_panel.h"
#include "session.h"
#include "ui_state.h"
#include "unassigned_panel.h"
#include "users_panel.h"

namespace roster::ui {

// Milliseconds of the last frames spent in each part of the screen (stats().frameParts).
struct PartTimes {
    static constexpr size_t kParts = 5;   // navigation, main view, editor, dialogs and the rest; hygiene counts (in navigation)
    std::vector<float> ms = std::vector<float>(600 * kParts, 0.f);
    size_t next = 0, count = 0;
    float cur[kParts] = {};
    void commit() {
        for (size_t k = 0; k < kParts; ++k) ms[next * kParts + k] = cur[k];
        next = (next + 1) % 600;
        if (count < 600) ++count;
    }
    float p95(size_t part) const;
};

class AppUI {
public:
    AppUI(Session& s, Host& host) : s_(s), host_(host) {}
    void Draw();
    UiState& state() { return st_; }
    // Actions also reachable from window.roster.ui() (tests) and shortcuts.
    void undo();
    void redo();
    void selectAll();
    void showImportPreview() { import_.open(); }
    void applyImportPreview() { import_.open(); import_.requestApply(); }
    void onImported(const json& plan, const std::string& message = "");
    void notifyError(const std::string& text);
    void notify(const std::string& text);
    UsersPanel& users() { return users_; }
    ProblemsPanel& problems() { return problems_; }
    const OrgUnitsPanel& orgUnits() const { return orgUnits_; }
    const ImportDialog& importDialog() const { return import_; }
    const ExportDialog& exportDialog() const { return export_; }
    const PartTimes& partTimes() const { return parts_; }
    // The hygiene counts the navigation drew last (stats().nav).
    NavCount navSuggestions() const { return navSuggestions_; }
    NavCount navProblems() const { return navProblems_; }
    uint64_t navHistory() const { return navHistory_; }

private:
    uint64_t seenReclaimed_ = 0;   // History::reclaimed() when last seen (Draw)
    void drawMenuBar();
    void drawNav(float width);
    void drawMain();
    void drawStatusBar(float height);
    void drawEmptyState();
    void drawBanner();
    void drawStorageWindow();
    void drawAddUserModal();
    void drawDeleteModal();
    void drawShortcutsWindow();
    void drawAboutWindow();
    void handleGlobalShortcuts();
    void drawJobOverlay();

    Session& s_;
    Host& host_;
    UiState st_;
    UsersPanel users_;
    UnassignedPanel unassigned_;
    EditorPanel editor_;
    AttributesPanel attributes_;
    OrgUnitsPanel orgUnits_;
    SuggestionsPanel suggestions_;
    ProblemsPanel problems_;
    HistoryPanel history_;
    ImportDialog import_;
    ExportDialog export_;
    MergeDialog merge_;
    std::string addName_, addEmail_, addError_;
    uint64_t navUnassignedRev_ = ~uint64_t(0);   // the navigation's unassigned count, per revision
    uint64_t navUnassigned_ = 0;
    PartTimes parts_;
    NavCount navSuggestions_, navProblems_;
    uint64_t navHistory_ = 0;
};

// Theme and fonts (ImGui only).
void applyTheme(bool dark, bool highContrast, float scale);
// The colours of a theme (sizes unscaled), without applying it; and the status colours (error, ok,
// warning) drawn as text in it. Every text colour meets 4.5:1 against the backgrounds it is drawn on
// (tests/browser/accessibility.test.mjs checks them through roster.ui({action: "themeColors"})).
ImGuiStyle themeStyle(bool dark, bool highContrast);
struct StatusColors { ImVec4 error, ok, warn; };
StatusColors statusColors(bool dark, bool highContrast);
StatusColors currentStatusColors();   // of the applied theme
void buildFonts(float scale, const char* uiFontPath, const char* monoFontPath);

}  // namespace roster::ui
