#pragma once
// The whole screen: menu bar, left navigation with counts, the main view, the editor pane,
// the status bar, and the few modal dialogs. Panels are structs with a Draw() method.
#include "editor_panel.h"
#include "host.h"
#include "attributes_panel.h"
#include "history_panel.h"
#include "import_dialog.h"
#include "orgunits_panel.h"
#include "problems_panel.h"
#include "suggestions_panel.h"
#include "session.h"
#include "ui_state.h"
#include "unassigned_panel.h"
#include "users_panel.h"

namespace roster::ui {

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
    void openExport() { export_.open(); }
    void onImported(const json& plan, const std::string& message = "");
    void notifyError(const std::string& text);

private:
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
    std::string addName_, addEmail_, addError_;
};

// Theme and fonts (ImGui only).
void applyTheme(bool dark, float scale);
void buildFonts(float scale, const char* uiFontPath, const char* monoFontPath);

}  // namespace roster::ui
