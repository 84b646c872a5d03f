#pragma once
// Small shared widgets and formatting helpers for the panels.
#include <imgui.h>

#include <cstdint>
#include <string>

namespace roster::ui {

std::string formatCount(uint64_t n);          // 1234567 -> "1,234,567"
bool primaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));
bool dangerButton(const char* label, const ImVec2& size = ImVec2(0, 0));
void helpMarker(const char* text);
void textWrappedColored(const ImVec4& color, const std::string& text);
ImVec4 colorError();
ImVec4 colorOk();
ImVec4 colorWarn();
ImVec4 colorMuted();

}  // namespace roster::ui
