// Roster's own WebGL 2 renderer for Dear ImGui draw data (replaces imgui_impl_opengl3).
//
// Why not the stock backend: every frame it backs up and restores the GL state through ~25
// glGetIntegerv/glIsEnabled calls, creates and deletes a vertex array, and uploads each draw list
// separately. In Chromium several of those getters are synchronous round trips to the GPU process,
// which under a software rasteriser (SwiftShader) wait for the previous frame's drawing: at 1M rows
// that submission step was 2.2 ms at the median and 7.4 ms at p95 of a 7.8 ms frame
// (bench/scroll-probe.mjs, stats().frameSteps). Nothing else draws into this context, so this
// renderer never reads GL state back, keeps one vertex array and two buffers for the page's life,
// and uploads the whole frame's vertices and indices with one call each.
#pragma once

struct ImDrawData;

namespace roster::platform::gl {

bool init();                   // shaders, vertex array, buffers (the context must be current)
void createFontTexture();      // from ImGui's font atlas (RGBA32); sets io.Fonts' texture id
void destroyFontTexture();
// Clears the framebuffer to `clear` (RGB) and draws the frame.
void render(ImDrawData* data, int fbWidth, int fbHeight, const float clear[3]);

}  // namespace roster::platform::gl
