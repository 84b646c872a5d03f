#pragma once
// State shared by the panels (selection, current view, preferences). Panels keep their own
// widget state in their structs (imgui_demo style); this is what they must agree on.
#include <cstdint>
#include <string>
#include <vector>

#include "model.h"

namespace roster::ui {

enum class View { Users, Unassigned, Attributes, OrgUnits, Suggestions, Problems, History };

struct UiState {
    View view = View::Users;
    // Selection of users by slot (a byte per slot: fine at a million rows, O(1) toggles).
    std::vector<uint8_t> selected;
    uint32_t selectedCount = 0;
    uint32_t focus = kNone;        // the user shown in the editor
    uint32_t anchor = kNone;       // shift-click range anchor
    bool scrollToFocus = false;
    bool focusSearch = false;
    // Keyboard focus requests (issue 19): the main pane (the table's focused row in Users, else
    // the view's first control), the editor's first field.
    bool focusMain = false;
    bool focusEditor = false;
    // The editor field focusEditor goes to: the table's focused cell's column (0 name, 1 email,
    // 2 accounts: the first field; 100 + a: attribute a).
    int focusEditorField = 0;
    bool keyboardInUse = false;    // the last input was a key, not the mouse: focus highlights are drawn
    bool openAddUser = false;
    bool confirmDelete = false;

    bool dark = true;              // the first open follows prefers-color-scheme (the platform sets it)
    bool highContrast = false;     // View > Theme > High contrast; the first open follows prefers-contrast: more
    bool reducedMotion = false;    // prefers-reduced-motion: no blinking cursor
    float userScale = 1.0f;        // View > UI scale (on top of devicePixelRatio)
    bool fontsDirty = false;       // the platform rebuilds the font atlas when set

    std::string toast;             // short message at the bottom right
    double toastUntil = 0;
    bool toastError = false;

    // Another panel asks to show a person (Problems, Suggestions...): the Users view selects and
    // scrolls to them.
    void jumpTo(uint32_t slot) {
        view = View::Users;
        clearSelection();
        select(slot, true);
        focus = anchor = slot;
        scrollToFocus = true;
    }

    // A panel asks for the merge dialog (AppUI owns and draws it): these people, keeping keepSlot.
    std::vector<uint32_t> mergeRequest;
    uint32_t mergeRequestKeep = kNone;
    void requestMerge(std::vector<uint32_t> slots, uint32_t keepSlot) {
        mergeRequest = std::move(slots);
        mergeRequestKeep = keepSlot;
    }

    // A banner across the top: 1 info, 2 warning, 3 error, 4 read-only (with "Edit here instead").
    std::string bannerText;
    int bannerKind = 0;
    void banner(std::string text, int kind) { bannerText = std::move(text); bannerKind = kind; }
    bool showStorage = false;

    bool showDemo = false;
    bool showShortcuts = false;
    bool showAbout = false;

    bool isSelected(uint32_t slot) const { return slot < selected.size() && selected[slot]; }
    void select(uint32_t slot, bool on) {
        if (slot >= selected.size()) selected.resize(slot + 1, 0);
        if (bool(selected[slot]) == on) return;
        selected[slot] = on;
        selectedCount += on ? 1 : uint32_t(-1);
    }
    void clearSelection() { selected.assign(selected.size(), 0); selectedCount = 0; }
    std::vector<uint32_t> selectedSlots() const {
        std::vector<uint32_t> r;
        for (uint32_t i = 0; i < selected.size(); ++i) if (selected[i]) r.push_back(i);
        return r;
    }
    void notify(std::string text, double now, bool error = false) { toast = std::move(text); toastUntil = now + 4.0; toastError = error; }
};

}  // namespace roster::ui
