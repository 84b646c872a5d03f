// See gl_renderer.h.
#include "gl_renderer.h"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstdint>
#include <cstdio>
#include <vector>

namespace roster::platform::gl {

namespace {

GLuint g_program = 0, g_vao = 0, g_vbo = 0, g_ibo = 0, g_font = 0;
GLint g_projLoc = -1, g_texLoc = -1;
size_t g_vboCap = 0, g_iboCap = 0;
std::vector<uint32_t> g_indices;   // the frame's indices, rebased onto one vertex buffer

const char* kVertex = R"(#version 300 es
precision highp float;
layout (location = 0) in vec2 Position;
layout (location = 1) in vec2 UV;
layout (location = 2) in vec4 Color;
uniform mat4 ProjMtx;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
    Frag_UV = UV;
    Frag_Color = Color;
    gl_Position = ProjMtx * vec4(Position.xy, 0, 1);
})";

const char* kFragment = R"(#version 300 es
precision mediump float;
uniform sampler2D Texture;
in vec2 Frag_UV;
in vec4 Frag_Color;
layout (location = 0) out vec4 Out_Color;
void main() {
    Out_Color = Frag_Color * texture(Texture, Frag_UV.st);
})";

GLuint compile(GLenum type, const char* src) {
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = {};
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        std::fprintf(stderr, "roster: shader compile failed: %s\n", log);
    }
    return s;
}

}  // namespace

bool init() {
    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "roster_webgl2";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;   // indices are rebased on upload

    GLuint vs = compile(GL_VERTEX_SHADER, kVertex), fs = compile(GL_FRAGMENT_SHADER, kFragment);
    g_program = glCreateProgram();
    glAttachShader(g_program, vs);
    glAttachShader(g_program, fs);
    glLinkProgram(g_program);
    GLint ok = 0;
    glGetProgramiv(g_program, GL_LINK_STATUS, &ok);
    glDetachShader(g_program, vs);
    glDetachShader(g_program, fs);
    glDeleteShader(vs);
    glDeleteShader(fs);
    if (!ok) {
        char log[1024] = {};
        glGetProgramInfoLog(g_program, sizeof log, nullptr, log);
        std::fprintf(stderr, "roster: shader link failed: %s\n", log);
        return false;
    }
    g_projLoc = glGetUniformLocation(g_program, "ProjMtx");
    g_texLoc = glGetUniformLocation(g_program, "Texture");

    glGenVertexArrays(1, &g_vao);
    glGenBuffers(1, &g_vbo);
    glGenBuffers(1, &g_ibo);
    glBindVertexArray(g_vao);
    glBindBuffer(GL_ARRAY_BUFFER, g_vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g_ibo);   // part of the vertex array's state
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, pos));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, uv));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, col));
    glBindVertexArray(0);

    // The state ImGui needs never changes in this context: set it once.
    glUseProgram(g_program);
    glUniform1i(g_texLoc, 0);
    glActiveTexture(GL_TEXTURE0);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_SCISSOR_TEST);
    return true;
}

void createFontTexture() {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    glGenTextures(1, &g_font);
    glBindTexture(GL_TEXTURE_2D, g_font);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    io.Fonts->SetTexID((ImTextureID)(intptr_t)g_font);
    io.Fonts->ClearTexData();   // the atlas pixels live in the texture now
}

void destroyFontTexture() {
    if (!g_font) return;
    glDeleteTextures(1, &g_font);
    ImGui::GetIO().Fonts->SetTexID(0);
    g_font = 0;
}

void render(ImDrawData* d, int fbWidth, int fbHeight, const float clear[3]) {
    glViewport(0, 0, fbWidth, fbHeight);
    glDisable(GL_SCISSOR_TEST);   // glClear obeys the scissor box
    glClearColor(clear[0], clear[1], clear[2], 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_SCISSOR_TEST);
    if (!d || fbWidth <= 0 || fbHeight <= 0 || d->TotalVtxCount == 0 || d->DisplaySize.x <= 0 || d->DisplaySize.y <= 0) return;
    const float L = d->DisplayPos.x, R = d->DisplayPos.x + d->DisplaySize.x;
    const float T = d->DisplayPos.y, B = d->DisplayPos.y + d->DisplaySize.y;
    const float proj[16] = {2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, -1, 0,
                            (R + L) / (L - R), (T + B) / (B - T), 0, 1};
    glUniformMatrix4fv(g_projLoc, 1, GL_FALSE, proj);
    glBindVertexArray(g_vao);

    // One upload of every list's vertices; indices rebased onto it (WebGL 2 has no base vertex).
    const size_t vtxBytes = size_t(d->TotalVtxCount) * sizeof(ImDrawVert);
    if (vtxBytes > g_vboCap) {
        g_vboCap = vtxBytes + vtxBytes / 2;
        glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(g_vboCap), nullptr, GL_DYNAMIC_DRAW);
    }
    g_indices.resize(size_t(d->TotalIdxCount));
    uint32_t* out = g_indices.data();
    size_t vtxBase = 0;
    for (int n = 0; n < d->CmdListsCount; ++n) {
        const ImDrawList* list = d->CmdLists[n];
        glBufferSubData(GL_ARRAY_BUFFER, GLintptr(vtxBase * sizeof(ImDrawVert)), GLsizeiptr(list->VtxBuffer.Size * sizeof(ImDrawVert)),
                        list->VtxBuffer.Data);
        for (const ImDrawCmd& c : list->CmdBuffer) {
            if (c.UserCallback) continue;
            const ImDrawIdx* src = list->IdxBuffer.Data + c.IdxOffset;
            const uint32_t base = uint32_t(vtxBase + c.VtxOffset);
            for (unsigned i = 0; i < c.ElemCount; ++i) *out++ = base + src[i];
        }
        vtxBase += size_t(list->VtxBuffer.Size);
    }
    const size_t idxCount = size_t(out - g_indices.data());
    const size_t idxBytes = idxCount * sizeof(uint32_t);
    if (idxBytes > g_iboCap) {
        g_iboCap = idxBytes + idxBytes / 2;
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(g_iboCap), nullptr, GL_DYNAMIC_DRAW);
    }
    if (idxBytes) glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, 0, GLsizeiptr(idxBytes), g_indices.data());

    // Draw: consecutive commands with the same texture and clip rectangle become one call.
    GLuint boundTex = 0;
    ImVec4 lastClip(-1, -1, -1, -1);
    size_t first = 0, pendingFirst = 0, pendingCount = 0;
    auto flush = [&]() {
        if (pendingCount)
            glDrawElements(GL_TRIANGLES, GLsizei(pendingCount), GL_UNSIGNED_INT, (void*)(uintptr_t)(pendingFirst * sizeof(uint32_t)));
        pendingCount = 0;
    };
    const ImVec2 off = d->DisplayPos, scale = d->FramebufferScale;
    for (int n = 0; n < d->CmdListsCount; ++n) {
        const ImDrawList* list = d->CmdLists[n];
        for (const ImDrawCmd& c : list->CmdBuffer) {
            if (c.UserCallback) {
                flush();
                if (c.UserCallback != ImDrawCallback_ResetRenderState) c.UserCallback(list, &c);
                continue;
            }
            const float x0 = (c.ClipRect.x - off.x) * scale.x, y0 = (c.ClipRect.y - off.y) * scale.y;
            const float x1 = (c.ClipRect.z - off.x) * scale.x, y1 = (c.ClipRect.w - off.y) * scale.y;
            const size_t count = c.ElemCount;
            if (x1 <= x0 || y1 <= y0 || count == 0) { first += count; continue; }
            const GLuint tex = GLuint(intptr_t(c.GetTexID()));
            const ImVec4 clip(x0, y0, x1, y1);
            const bool sameClip = clip.x == lastClip.x && clip.y == lastClip.y && clip.z == lastClip.z && clip.w == lastClip.w;
            if (tex != boundTex || !sameClip || pendingFirst + pendingCount != first) flush();
            if (tex != boundTex) { glBindTexture(GL_TEXTURE_2D, tex); boundTex = tex; }
            if (!sameClip) {
                glScissor(GLint(x0), GLint(float(fbHeight) - y1), GLsizei(x1 - x0), GLsizei(y1 - y0));
                lastClip = clip;
            }
            if (!pendingCount) pendingFirst = first;
            pendingCount += count;
            first += count;
        }
    }
    flush();
    glBindVertexArray(0);
}

}  // namespace roster::platform::gl
