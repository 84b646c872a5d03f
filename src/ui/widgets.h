#pragma once
// Small shared widgets and formatting helpers for the panels.
#include <imgui.h>

#include <cstdint>
#include <string>

namespace roster::ui {

std::string formatCount(uint64_t n);          // 1234567 -> "1,234,567"

// A navigation count worked out in the background (lint, suggestions) can lag the directory: at a
// million people a recount takes seconds of frames. `counting` says the count shown is of an older
// revision and has been for more than a moment (a quick recount does not flicker), so the
// navigation shows "…" instead of a number that is about to change (0 right after an import).
struct NavCount {
    uint64_t count = 0;   // the last finished count
    bool counting = false;
};
class StaleSince {
public:
    // Call each frame with whether the count is behind the directory; true once it has been behind
    // for longer than `graceSeconds`.
    bool behind(bool stale, double now, double graceSeconds = 0.5) {
        if (!stale) { since_ = -1; return false; }
        if (since_ < 0) since_ = now;
        return now - since_ > graceSeconds;
    }
private:
    double since_ = -1;
};
bool primaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));
bool dangerButton(const char* label, const ImVec2& size = ImVec2(0, 0));
void helpMarker(const char* text);
// Keyboard focus (issue 19): the current window and then its next item take ImGui's keyboard focus
// (a text field starts editing), with the focus highlight drawn when `visible` (the keyboard is in
// use). (Without the window's focus, SetKeyboardFocusHere's request came to nothing.)
void focusNextItem(bool visible);
// The last item takes ImGui's keyboard focus (its window too), with the highlight when `visible`.
void focusLastItem(bool visible);
// Draws ImGui's focus highlight around the focused item from now (until the mouse moves).
void showFocusHighlight();
void textWrappedColored(const ImVec4& color, const std::string& text);
ImVec4 colorError();
ImVec4 colorOk();
ImVec4 colorWarn();
ImVec4 colorMuted();

}  // namespace roster::ui
