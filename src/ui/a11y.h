#pragma once
// The accessibility tree of the frame (issue 19): what is on the canvas as roles, names, values and
// states, for the platform to mirror into the DOM (an invisible subtree a screen reader and the
// browser's find can read; src/platform/pre.js keeps it in step, changing only what changed).
//
// Widgets arrive through Dear ImGui's item hooks (IMGUI_ENABLE_TEST_ENGINE: every item's id,
// rectangle, label and status flags); panels add what the hooks cannot know: a field's label and
// value, a nameless item's name, the navigation's counts, and the big tables as grids (the visible
// window of rows with their indexes out of the totals). No emscripten here: the platform reads
// `a11y::frame()` and serialises it.
#include <imgui.h>

struct ImGuiWindow;

#include <cstdint>
#include <string>
#include <vector>

namespace roster::ui::a11y {

struct Rect { float x = 0, y = 0, w = 0, h = 0; };   // device pixels, as ImGui draws

struct Node {
    ImGuiID id = 0;
    std::string role;      // button, checkbox, textbox, treeitem, tab, menuitem, menuitemcheckbox, link, option
    std::string name, value;
    Rect rect;
    bool checked = false, expanded = false, selected = false, hasState = false;
    int dialog = -1;       // index into Frame::dialogs when inside a modal
    int nav = 0;           // 1: an item of the navigation landmark
    std::string list;      // a listitem's list (its name): the mirror groups them in a list
    bool visible = false;  // (collecting) its ItemAdd came, inside its window's clip rect
    bool skip = false;     // (collecting) a window's own item (title bar, child window)
    ImGuiWindow* root = nullptr;   // (collecting) the root window it was drawn in
};

struct Grid {
    std::string name;
    Rect rect;
    uint64_t rowCount = 0;     // data rows (aria-rowcount is this + 1: the header row)
    std::vector<std::string> headers;
    // focusCol: the cell cursor's cell (an index into cells) on the focused row, else -1.
    struct Row { uint64_t index = 0; bool selected = false; std::vector<std::string> cells; Rect rect; ImGuiID item = 0; int focusCol = -1; };
    std::vector<Row> rows;
    std::vector<Rect> columns;   // where each column's cells are (x and w; empty: evenly split)
};

struct Dialog { std::string name; Rect rect; };

struct Frame {
    std::vector<Node> nodes;
    std::vector<Grid> grids;
    std::vector<Dialog> dialogs;
    ImGuiID focus = 0;         // ImGui's keyboard focus (nav id)
    bool focusVisible = false; // ImGui draws its highlight around it (keyboard use)
};

// The platform: turns the hooks on and starts a frame (before ImGui::NewFrame's items), and ends it
// (after the UI is drawn: dialogs and focus).
void beginFrame(ImGuiContext* ctx);
void endFrame(ImGuiContext* ctx);
const Frame& frame();
bool enabled();
void setEnabled(bool on);

// ---- for panels
// The last item's name (and role): for items drawn without a visible label.
void name(const std::string& name, const char* role = nullptr);
// An item's name (and role) by its id: for an item whose last-item data is gone by the time its
// name is known (a combo, open).
void nameItem(ImGuiID id, const std::string& name, const char* role = nullptr);
// The name of the dialog being drawn (the current window's), for a modal whose window has none
// (a popup opened by id).
void dialogName(const std::string& name);
// The last item's role with a checked state (a radio button: role "radio").
void checked(const char* role, bool on);
// The last item is a text field with this label and value.
void field(const std::string& label, const std::string& value);
// The label of the next field drawn by a shared widget (attrValueInput), which calls fieldValue.
void nextFieldLabel(const std::string& label);
void fieldValue(const std::string& value);
// The last item is an entry of the list named `list` (an import preview's Added, Changes...).
void listItem(const std::string& list, const std::string& name);
// The last item is an entry of the navigation landmark ("Users, 358 people").
void navItem(const std::string& name, bool current);
// A grid: begun before its rows, each row added as drawn. While a grid is open, hook items inside
// its rows are not published on their own (the row says it all).
Grid* beginGrid(const std::string& name, uint64_t rowCount, const std::vector<std::string>& headers);
// item: the row's own ImGui item (its Selectable), so that keyboard focus on it marks the row.
// focusCol: the cell cursor's column on this row (an index into cells), -1 when it has none.
void gridRow(uint64_t index, bool selected, std::vector<std::string> cells, const ImVec2& min, const ImVec2& max, ImGuiID item = 0, int focusCol = -1);
void endGrid(const ImVec2& min, const ImVec2& max);
// Where the open grid's columns are drawn, as (x, width) pairs in the order of its headers.
void gridColumns(const std::vector<ImVec2>& xw);

// Focus from the page (issue 19: focus follows both ways): a screen reader or Tab put the DOM focus
// on the mirror element of this item. The item takes ImGui's keyboard focus when it is next drawn
// (a request not met within a few frames is dropped: the item is gone).
void requestFocus(ImGuiID id);
// The same for a row (and cell: col >= 0, else -1) of a grid, by the grid's place in the frame
// (0: the first grid begun) and the row's index: the panel drawing that grid takes it with
// takeGridFocus (before it begins the grid) and moves its focus and selection there.
void requestGridFocus(int grid, uint64_t row, int col);
bool takeGridFocus(uint64_t& row, int& col);

}  // namespace roster::ui::a11y
