#include "widgets.h"
#include "app_ui.h"

#include <imgui_internal.h>

namespace roster::ui {

void showFocusHighlight() {
    ImGuiContext& g = *GImGui;
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = g.NavMousePosDirty = true;
}

void focusLastItem(bool visible) {
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    const ImGuiID id = ImGui::GetItemID();
    if (!id) return;
    ImGui::SetFocusID(id, w);
    if (visible) showFocusHighlight();
}

void focusNextItem(bool visible) {
    ImGui::SetWindowFocus();
    ImGui::SetKeyboardFocusHere();
    if (visible) showFocusHighlight();
}

std::string formatCount(uint64_t n) {
    std::string s = std::to_string(n), out;
    int k = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
        if (k && k % 3 == 0) out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        ++k;
    }
    return out;
}

static bool coloredButton(const char* label, const ImVec2& size, ImVec4 base) {
    ImGui::PushStyleColor(ImGuiCol_Button, base);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(base.x * 1.15f, base.y * 1.15f, base.z * 1.15f, 1));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(base.x * 0.9f, base.y * 0.9f, base.z * 0.9f, 1));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    bool r = ImGui::Button(label, size);
    ImGui::PopStyleColor(4);
    return r;
}

bool primaryButton(const char* label, const ImVec2& size) { return coloredButton(label, size, ImVec4(0.33f, 0.37f, 0.85f, 1)); }
bool dangerButton(const char* label, const ImVec2& size) { return coloredButton(label, size, ImVec4(0.75f, 0.24f, 0.24f, 1)); }

void helpMarker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::BeginItemTooltip()) {
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void textWrappedColored(const ImVec4& color, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

ImVec4 colorError() { return currentStatusColors().error; }
ImVec4 colorOk() { return currentStatusColors().ok; }
ImVec4 colorWarn() { return currentStatusColors().warn; }
ImVec4 colorMuted() { return ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]; }

}  // namespace roster::ui
