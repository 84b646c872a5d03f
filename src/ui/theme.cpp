// Theme and font atlas. Fonts are TrueType from Debian's fonts-dejavu-core, copied into the site
// at build time; the atlas holds Latin (incl. Extended), Greek, Cyrillic and common punctuation,
// rasterised at the device pixel ratio so text stays crisp.
#include <imgui.h>

#include <cstdio>

#include "app_ui.h"

namespace roster::ui {

namespace {
bool g_dark = true, g_highContrast = false;   // the applied theme (statusColors of the current one)
}

StatusColors statusColors(bool dark, bool hc) {
    if (hc) return dark ? StatusColors{ImVec4(1.0f, 0.55f, 0.52f, 1), ImVec4(0.45f, 0.95f, 0.55f, 1), ImVec4(1.0f, 0.85f, 0.30f, 1)}
                        : StatusColors{ImVec4(0.62f, 0.0f, 0.0f, 1), ImVec4(0.0f, 0.38f, 0.1f, 1), ImVec4(0.45f, 0.27f, 0.0f, 1)};
    return dark ? StatusColors{ImVec4(1.0f, 0.45f, 0.42f, 1), ImVec4(0.45f, 0.85f, 0.55f, 1), ImVec4(1.0f, 0.78f, 0.35f, 1)}
                : StatusColors{ImVec4(0.72f, 0.08f, 0.08f, 1), ImVec4(0.08f, 0.45f, 0.18f, 1), ImVec4(0.55f, 0.35f, 0.0f, 1)};
}

StatusColors currentStatusColors() { return statusColors(g_dark, g_highContrast); }

ImGuiStyle themeStyle(bool dark, bool hc) {
    ImGuiStyle style;
    if (hc) {
        // High contrast: black on white or white on black, borders on every frame, selection as a
        // strong colour under the text.
        if (dark) ImGui::StyleColorsDark(&style);
        else ImGui::StyleColorsLight(&style);
        ImVec4* c = style.Colors;
        const ImVec4 bg = dark ? ImVec4(0, 0, 0, 1) : ImVec4(1, 1, 1, 1);
        const ImVec4 fg = dark ? ImVec4(1, 1, 1, 1) : ImVec4(0, 0, 0, 1);
        const ImVec4 panel = dark ? ImVec4(0.04f, 0.04f, 0.04f, 1) : ImVec4(0.97f, 0.97f, 0.97f, 1);
        const ImVec4 frame = dark ? ImVec4(0.10f, 0.10f, 0.10f, 1) : ImVec4(0.93f, 0.93f, 0.93f, 1);
        const ImVec4 sel = dark ? ImVec4(0.10f, 0.22f, 0.62f, 1) : ImVec4(0.78f, 0.85f, 1.0f, 1);
        c[ImGuiCol_Text] = fg;
        c[ImGuiCol_TextDisabled] = dark ? ImVec4(0.80f, 0.80f, 0.80f, 1) : ImVec4(0.25f, 0.25f, 0.25f, 1);
        c[ImGuiCol_WindowBg] = bg;
        c[ImGuiCol_ChildBg] = panel;
        c[ImGuiCol_PopupBg] = bg;
        c[ImGuiCol_MenuBarBg] = panel;
        c[ImGuiCol_Border] = fg;
        c[ImGuiCol_FrameBg] = frame;
        c[ImGuiCol_FrameBgHovered] = sel;
        c[ImGuiCol_FrameBgActive] = sel;
        c[ImGuiCol_Button] = frame;
        c[ImGuiCol_ButtonHovered] = sel;
        c[ImGuiCol_ButtonActive] = sel;
        c[ImGuiCol_Header] = sel;
        c[ImGuiCol_HeaderHovered] = sel;
        c[ImGuiCol_HeaderActive] = sel;
        c[ImGuiCol_Tab] = frame;
        c[ImGuiCol_TabHovered] = sel;
        c[ImGuiCol_TabActive] = sel;
        c[ImGuiCol_TableHeaderBg] = frame;
        c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0);
        c[ImGuiCol_TableBorderStrong] = fg;
        c[ImGuiCol_TableBorderLight] = dark ? ImVec4(0.6f, 0.6f, 0.6f, 1) : ImVec4(0.4f, 0.4f, 0.4f, 1);
        c[ImGuiCol_Separator] = fg;
        c[ImGuiCol_CheckMark] = fg;
        c[ImGuiCol_NavHighlight] = dark ? ImVec4(1.0f, 0.85f, 0.2f, 1) : ImVec4(0.0f, 0.2f, 0.8f, 1);
        c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.7f);
        style.FrameBorderSize = 1;
        style.TabBorderSize = 1;
    } else if (dark) {
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
        c[ImGuiCol_Header] = ImVec4(0.22f, 0.25f, 0.52f, 0.85f);
        c[ImGuiCol_HeaderHovered] = ImVec4(0.30f, 0.33f, 0.66f, 0.55f);
        c[ImGuiCol_HeaderActive] = ImVec4(0.33f, 0.37f, 0.75f, 0.9f);
        c[ImGuiCol_Button] = ImVec4(0.21f, 0.22f, 0.29f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.28f, 0.30f, 0.42f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.33f, 0.36f, 0.55f, 1);
        c[ImGuiCol_TableHeaderBg] = ImVec4(0.16f, 0.17f, 0.22f, 1);
        c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
        c[ImGuiCol_TableBorderLight] = ImVec4(0.22f, 0.23f, 0.29f, 1);
        c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.95f, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.68f, 0.70f, 0.78f, 1);
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
        c[ImGuiCol_TextDisabled] = ImVec4(0.32f, 0.34f, 0.40f, 1);
    }
    return style;
}

void applyTheme(bool dark, bool highContrast, float scale) {
    g_dark = dark;
    g_highContrast = highContrast;
    ImGuiStyle style = themeStyle(dark, highContrast);
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
        if (io.Fonts->AddFontFromFileTTF(monoFontPath, size, &cfg, ranges) && f) {
            // Glyphs the monospace face lacks (Vietnamese ễ, ...) from the UI face, not as '?'.
            ImFontConfig merge = cfg;
            merge.MergeMode = true;
            io.Fonts->AddFontFromFileTTF(uiFontPath, size, &merge, ranges);
        }
    }
    io.Fonts->Build();
}

}  // namespace roster::ui
