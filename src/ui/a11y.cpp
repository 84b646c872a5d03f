// The accessibility tree of the frame: Dear ImGui's item hooks (IMGUI_ENABLE_TEST_ENGINE) and what
// the panels add (a11y.h).
#include "a11y.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace roster::ui::a11y {

namespace {

Frame g_frame;
bool g_on = true;
bool g_inGrid = false;
std::vector<std::pair<ImGuiWindow*, std::string>> g_dialogNames;   // dialogName, this frame
ImGuiID g_focusRequest = 0;   // requestFocus: the item to focus when it is drawn
int g_focusRequestFrames = 0;
struct GridRequest { int grid = -1; uint64_t row = 0; int col = -1; int frames = 0; } g_gridRequest;   // requestGridFocus
std::unordered_map<ImGuiID, size_t> g_index;   // node id -> index in g_frame.nodes

Rect rectOf(const ImRect& r) { return Rect{r.Min.x, r.Min.y, r.GetWidth(), r.GetHeight()}; }

// The visible part of a label: up to "##" ("###id" included).
std::string visibleLabel(const char* label) {
    if (!label) return {};
    const char* end = std::strstr(label, "##");
    std::string s = end ? std::string(label, end) : std::string(label);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

bool inMenu(const ImGuiWindow* w) {
    return w && ((w->Flags & ImGuiWindowFlags_ChildMenu) || (w->Flags & ImGuiWindowFlags_MenuBar && w->DC.NavLayerCurrent == ImGuiNavLayer_Menu) ||
                 (std::strncmp(w->Name, "##Menu_", 7) == 0));
}

Node* nodeFor(ImGuiID id) {
    auto it = g_index.find(id);
    return it == g_index.end() ? nullptr : &g_frame.nodes[it->second];
}

}  // namespace

bool enabled() { return g_on; }
void setEnabled(bool on) { g_on = on; }
const Frame& frame() { return g_frame; }

void beginFrame(ImGuiContext* ctx) {
    g_frame.nodes.clear();
    g_frame.grids.clear();
    g_frame.dialogs.clear();
    g_index.clear();
    g_inGrid = false;
    g_dialogNames.clear();
    ctx->TestEngineHookItems = g_on;
}

void endFrame(ImGuiContext* ctx) {
    ImGuiContext& g = *ctx;
    g_frame.focus = g.NavId;
    g_frame.focusVisible = g.NavId != 0 && !g.NavDisableHighlight;
    if (g_focusRequest && --g_focusRequestFrames <= 0) g_focusRequest = 0;
    if (g_gridRequest.grid >= 0 && --g_gridRequest.frames <= 0) g_gridRequest = GridRequest{};
    // Modal popups open this frame: dialogs, with the nodes drawn in them.
    for (ImGuiWindow* w : g.Windows) {
        if (!w->Active || w->Hidden || !(w->Flags & ImGuiWindowFlags_Modal)) continue;   // (same order as `modal` below)
        Dialog d;
        d.name = visibleLabel(w->Name);
        for (const auto& [dw, nm] : g_dialogNames)
            if (dw == w) d.name = nm;
        d.rect = rectOf(w->Rect());
        g_frame.dialogs.push_back(d);
    }
    std::vector<ImGuiWindow*> modal;
    for (ImGuiWindow* w : g.Windows)
        if (w->Active && !w->Hidden && (w->Flags & ImGuiWindowFlags_Modal)) modal.push_back(w);
    // A popup opened from a dialog (a combo's list) is part of it.
    for (Node& n : g_frame.nodes) {
        ImGuiWindow* w = n.root;
        for (int up = 0; w && up < 8 && n.dialog < 0; ++up) {
            for (size_t k = 0; k < modal.size(); ++k)
                if (w == modal[k]) n.dialog = int(k);
            w = (n.dialog < 0 && (w->Flags & ImGuiWindowFlags_Popup) && !(w->Flags & ImGuiWindowFlags_Modal) && w->ParentWindow) ? w->ParentWindow->RootWindow : nullptr;
        }
    }
    // Behind a modal dialog nothing can be reached: only the dialogs' items are published then.
    // Nodes nobody can name are noise to a screen reader.
    const bool anyModal = !modal.empty();
    g_frame.nodes.erase(std::remove_if(g_frame.nodes.begin(), g_frame.nodes.end(),
                                       [&](const Node& n) {
                                           return !n.visible || n.skip || (n.name.empty() && n.role != "textbox") || (anyModal && n.dialog < 0);
                                       }),
                        g_frame.nodes.end());
    g_index.clear();
}

void name(const std::string& nm, const char* role) {
    ImGuiContext& g = *GImGui;
    Node* n = nodeFor(g.LastItemData.ID);
    if (!n) return;
    n->name = nm;
    if (role) n->role = role;
}

void dialogName(const std::string& nm) {
    if (g_on && GImGui->CurrentWindow) g_dialogNames.emplace_back(GImGui->CurrentWindow->RootWindow, nm);
}

void nameItem(ImGuiID id, const std::string& nm, const char* role) {
    Node* n = nodeFor(id);
    if (!n) return;
    n->name = nm;
    if (role) n->role = role;
}

void field(const std::string& label, const std::string& value) {
    ImGuiContext& g = *GImGui;
    Node* n = nodeFor(g.LastItemData.ID);
    if (!n) return;
    n->role = "textbox";
    n->name = label;
    n->value = value;
}

namespace {
std::string g_nextLabel;
}
void nextFieldLabel(const std::string& label) { g_nextLabel = label; }
void fieldValue(const std::string& value) {
    if (g_nextLabel.empty()) return;
    field(g_nextLabel, value);
    g_nextLabel.clear();
}

void checked(const char* role, bool on) {
    ImGuiContext& g = *GImGui;
    Node* n = nodeFor(g.LastItemData.ID);
    if (!n) return;
    n->role = role;
    n->checked = on;
    n->hasState = true;
}

void listItem(const std::string& list, const std::string& nm) {
    ImGuiContext& g = *GImGui;
    Node* n = nodeFor(g.LastItemData.ID);
    if (!n) return;
    n->role = "listitem";
    n->name = nm;
    n->list = list;
}

void navItem(const std::string& nm, bool current) {
    ImGuiContext& g = *GImGui;
    Node* n = nodeFor(g.LastItemData.ID);
    if (!n) return;
    n->role = "link";
    n->name = nm;
    n->selected = current;
    n->nav = 1;
}

Grid* beginGrid(const std::string& nm, uint64_t rowCount, const std::vector<std::string>& headers) {
    if (!g_on) return nullptr;
    Grid gr;
    gr.name = nm;
    gr.rowCount = rowCount;
    gr.headers = headers;
    g_frame.grids.push_back(std::move(gr));
    g_inGrid = true;
    return &g_frame.grids.back();
}

void requestFocus(ImGuiID id) {
    g_focusRequest = id;
    g_focusRequestFrames = 10;
}

void requestGridFocus(int grid, uint64_t row, int col) { g_gridRequest = GridRequest{grid, row, col, 10}; }

bool takeGridFocus(uint64_t& row, int& col) {
    if (g_gridRequest.grid < 0 || g_gridRequest.grid != int(g_frame.grids.size())) return false;
    row = g_gridRequest.row;
    col = g_gridRequest.col;
    g_gridRequest = GridRequest{};
    return true;
}

void gridRow(uint64_t index, bool selected, std::vector<std::string> cells, const ImVec2& min, const ImVec2& max, ImGuiID item, int focusCol) {
    if (!g_on || g_frame.grids.empty()) return;
    Grid::Row r;
    r.focusCol = focusCol;
    r.item = item;
    r.index = index;
    r.selected = selected;
    r.cells = std::move(cells);
    r.rect = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
    g_frame.grids.back().rows.push_back(std::move(r));
}

void gridColumns(const std::vector<ImVec2>& xw) {
    if (!g_on || g_frame.grids.empty()) return;
    auto& cols = g_frame.grids.back().columns;
    cols.clear();
    for (const ImVec2& c : xw) cols.push_back(Rect{c.x, 0, c.y, 0});
}

void endGrid(const ImVec2& min, const ImVec2& max) {
    g_inGrid = false;
    if (!g_frame.grids.empty()) g_frame.grids.back().rect = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
}

}  // namespace roster::ui::a11y

// ---- Dear ImGui's item hooks (IMGUI_ENABLE_TEST_ENGINE)
using namespace roster::ui::a11y;

static Node& nodeOrNew(ImGuiID id) {
    auto it = g_index.find(id);
    if (it != g_index.end()) return g_frame.nodes[it->second];
    Node n;
    n.id = id;
    n.role = "button";
    g_index[id] = g_frame.nodes.size();
    g_frame.nodes.push_back(std::move(n));
    return g_frame.nodes.back();
}

// The page asked for this item to have the keyboard focus (requestFocus): given here, as the item is
// added, where its window, layer and focus scope are the current ones (what SetFocusID assumes).
static void takeFocusRequest(ImGuiContext* ctx, ImGuiID id, ImGuiWindow* w) {
    ImGuiContext& g = *ctx;
    g_focusRequest = 0;
    if (g.NavId == id) return;
    if (g.ActiveId != 0 && g.ActiveId != id) ImGui::ClearActiveID();
    if (g.NavWindow != w) ImGui::FocusWindow(w);
    ImGui::SetFocusID(id, w);
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = g.NavMousePosDirty = true;
}

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
    if (id != 0 && id == g_focusRequest && ctx->CurrentWindow) takeFocusRequest(ctx, id, ctx->CurrentWindow);
    if (!g_on || g_inGrid || id == 0) return;
    ImGuiWindow* w = ctx->CurrentWindow;
    if (!w) return;
    Node& n = nodeOrNew(id);   // (a tab's ItemInfo comes before its ItemAdd)
    if (n.visible) return;
    n.visible = bb.GetWidth() > 0 && bb.GetHeight() > 0 && bb.Overlaps(w->ClipRect);   // not scrolled out of its window
    n.rect = rectOf(bb);
    n.root = w->RootWindow;
    if (ImGui::FindWindowByID(id)) n.skip = true;   // a child window's own item
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    if (!g_on || g_inGrid || id == 0) return;
    ImGuiWindow* w = ctx->CurrentWindow;
    Node* n = &nodeOrNew(id);
    if ((w && id == w->MoveId) || (label && ImGui::FindWindowByName(label))) {   // a window's title bar, a child window
        n->skip = true;
        return;
    }
    const std::string l = visibleLabel(label);
    if (!l.empty()) n->name = l;
    const bool menu = inMenu(w);
    if (ctx->CurrentTabBar && ImGui::TabBarFindTabByID(ctx->CurrentTabBar, id)) {
        n->role = "tab";
        n->selected = ctx->CurrentTabBar->SelectedTabId == id || ctx->CurrentTabBar->NextSelectedTabId == id;
        n->hasState = true;
    } else if (flags & ImGuiItemStatusFlags_Inputable) {
        n->role = "textbox";
    } else if (flags & ImGuiItemStatusFlags_Checkable) {
        n->role = menu ? "menuitemcheckbox" : "checkbox";
        n->checked = (flags & ImGuiItemStatusFlags_Checked) != 0;
        n->hasState = true;
    } else if (flags & ImGuiItemStatusFlags_Openable) {
        n->role = menu ? "menuitem" : "treeitem";
        n->expanded = (flags & ImGuiItemStatusFlags_Opened) != 0;
        n->hasState = true;
    } else if (menu) {
        n->role = "menuitem";
    }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
