// Theme and font atlas. Fonts are TrueType from Debian's fonts-dejavu-core, copied into the site
// at build time; the atlas holds Latin (incl. Extended), Greek, Cyrillic and common punctuation,
// rasterised at the device pixel ratio so text stays crisp.
#include <imgui.h>

#include <cstdio>

#include "app_ui.h"

namespace roster::ui {

void applyTheme(bool dark, float scale) {
    ImGuiStyle style;
    if (dark) {
        ImGui::StyleColorsDark(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.113f, 0.141f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.125f, 0.133f, 0.165f, 1);
        c[ImGuiCol_PopupBg] = ImVec4(0.14f, 0.15f, 0.19f, 0.98f);
        c[ImGuiCol_MenuBarBg] = ImVec4(0.085f, 0.09f, 0.115f, 1);
        c[ImGuiCol_Border] = ImVec4(0.24f, 0.25f, 0.32f, 0.7f);
        c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.23f, 1);
        c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.23f, 0.30f, 1);
        c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.27f, 0.36f, 1);
        c[ImGuiCol_Header] = ImVec4(0.27f, 0.30f, 0.62f, 0.75f);
        c[ImGuiCol_HeaderHovered] = ImVec4(0.30f, 0.33f, 0.66f, 0.55f);
        c[ImGuiCol_HeaderActive] = ImVec4(0.33f, 0.37f, 0.75f, 0.9f);
        c[ImGuiCol_Button] = ImVec4(0.21f, 0.22f, 0.29f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.28f, 0.30f, 0.42f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.33f, 0.36f, 0.55f, 1);
        c[ImGuiCol_TableHeaderBg] = ImVec4(0.16f, 0.17f, 0.22f, 1);
        c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
        c[ImGuiCol_TableBorderLight] = ImVec4(0.22f, 0.23f, 0.29f, 1);
        c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.95f, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.56f, 0.58f, 0.66f, 1);
        c[ImGuiCol_CheckMark] = ImVec4(0.55f, 0.60f, 1.0f, 1);
        c[ImGuiCol_SliderGrab] = ImVec4(0.45f, 0.50f, 0.95f, 1);
        c[ImGuiCol_Separator] = ImVec4(0.26f, 0.27f, 0.34f, 1);
        c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.55f);
    } else {
        ImGui::StyleColorsLight(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.967f, 0.975f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_MenuBarBg] = ImVec4(0.92f, 0.925f, 0.94f, 1);
        c[ImGuiCol_Header] = ImVec4(0.36f, 0.40f, 0.90f, 0.30f);
        c[ImGuiCol_HeaderHovered] = ImVec4(0.36f, 0.40f, 0.90f, 0.18f);
        c[ImGuiCol_HeaderActive] = ImVec4(0.36f, 0.40f, 0.90f, 0.40f);
        c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.025f);
        c[ImGuiCol_Border] = ImVec4(0.78f, 0.79f, 0.84f, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.42f, 0.44f, 0.50f, 1);
    }
    style.WindowRounding = 6;
    style.ChildRounding = 6;
    style.FrameRounding = 4;
    style.PopupRounding = 6;
    style.GrabRounding = 4;
    style.TabRounding = 4;
    style.ScrollbarRounding = 6;
    style.WindowPadding = ImVec2(12, 10);
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(9, 6);
    style.ItemInnerSpacing = ImVec2(6, 5);
    style.CellPadding = ImVec2(8, 3);
    style.ScrollbarSize = 14;
    style.WindowBorderSize = 1;
    style.ChildBorderSize = 1;
    style.SeparatorTextBorderSize = 2;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

void buildFonts(float scale, const char* uiFontPath, const char* monoFontPath) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static const ImWchar ranges[] = {
        0x0020, 0x00FF,  // Basic Latin + Latin-1
        0x0100, 0x024F,  // Latin Extended-A/B
        0x0370, 0x03FF,  // Greek
        0x0400, 0x052F,  // Cyrillic (+ supplement)
        0x1E00, 0x1EFF,  // Latin Extended Additional (Vietnamese...)
        0x2000, 0x206F,  // punctuation (— … · ‘ ’ “ ”)
        0x20A0, 0x20CF,  // currency
        0x2190, 0x21FF,  // arrows (→)
        0x2200, 0x22FF,  // math operators
        0x25A0, 0x25FF,  // geometric shapes (▲ ▼ ●)
        0x2713, 0x2717,  // check marks
        0xFFFD, 0xFFFD,  // replacement character
        0,
    };
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    const float size = 15.0f * scale;
    ImFont* f = nullptr;
    if (FILE* fp = std::fopen(uiFontPath, "rb")) {
        std::fclose(fp);
        f = io.Fonts->AddFontFromFileTTF(uiFontPath, size, &cfg, ranges);
    }
    if (!f) {
        ImFontConfig def;
        def.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&def);
    }
    if (FILE* fp = std::fopen(monoFontPath, "rb")) {
        std::fclose(fp);
        io.Fonts->AddFontFromFileTTF(monoFontPath, size, &cfg, ranges);
    }
    io.Fonts->Build();
}

}  // namespace roster::ui
