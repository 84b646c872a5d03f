#pragma once
// The Org units view: the units as a tree (expand/collapse, member counts, "Move under…"), the
// editor of one with its filter builder, live membership within its parent, joins and leaves.
#include <memory>
#include <string>
#include <vector>

#include "filter.h"
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// Where the panel drew its parts in the last frame (screen coordinates, as ImGui's), so that tests
// can click them (roster.ui({action: "orgUnitsLayout"})).
struct UiRect {
    float x = 0, y = 0, w = 0, h = 0;
    bool shown() const { return w > 0 && h > 0; }
};
struct OrgUnitsLayout {
    struct Row { uint32_t unit; uint32_t depth; bool open; bool hasChildren; int64_t count; UiRect rect; };
    std::vector<Row> rows;                                    // the tree's rows drawn
    std::vector<std::pair<std::string, UiRect>> moveChoices;  // the "Move under…" popup: "(top level)" or a unit's name
    std::vector<std::pair<std::string, UiRect>> parentChoices;// a new unit's Parent combo, when open
    UiRect newUnit, newSubUnit, moveUnder, save, name, parentCombo, firstValue;
};

class OrgUnitsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
    const OrgUnitsLayout& layout() const { return layout_; }

private:
    void drawList(Session& s, UiState& st, Host& host);
    void drawUnit(Session& s, uint32_t u, uint32_t depth);
    void drawMovePopup(Session& s, UiState& st, Host& host);
    void drawEditor(Session& s, UiState& st, Host& host);
    void drawMembers(Session& s, UiState& st);
    void drawImportModal(Session& s, UiState& st, Host& host);
    void drawDeleteModal(Session& s, UiState& st, Host& host);
    bool drawNode(const Session& s, FilterTree& n, int depth, bool& removeMe);
    void select(const Directory& d, uint32_t unit);
    void startNew(const Directory& d, uint32_t parent = 0xFFFFFFFFu);
    uint32_t editedParent(const Directory& d) const;   // the parent of the unit in the editor (kNone: top level)
    void recompute(const Directory& d);
    void refreshCounts(const Directory& d);

    uint32_t sel_ = 0xFFFFFFFFu;    // org unit index being edited (kNone: a new, unsaved unit)
    uint32_t newParent_ = 0xFFFFFFFFu;   // the parent a new unit is saved under (kNone: top level)
    bool focusName_ = false;        // a new unit: the name field takes the keyboard
    bool editing_ = false;          // the editor shows sel_ or a new unit
    std::string name_;
    FilterTree draft_;              // the filter as the builder edits it (filter.h)
    std::string rawJson_;           // when the saved filter cannot be shown in the builder
    bool rawMode_ = false;
    std::string savedText_;         // the saved filter (compact JSON) of sel_
    std::string error_, saveError_;

    // Live membership of the draft and of the saved filter.
    std::string draftText_;
    uint64_t builtRev_ = 0;
    uint32_t builtParent_ = 0xFFFFFFFEu;
    std::string builtDraft_, builtSaved_;
    Filter draftFilter_, savedFilter_;
    bool draftValid_ = false;
    std::vector<uint32_t> members_, joins_, leaves_;
    int listTab_ = 0;

    // Per-unit member counts (within their parents) and the tree, for the list.
    uint64_t countsRev_ = 0;
    std::vector<int64_t> counts_;   // -1: the filter (or an ancestor's) no longer compiles
    std::vector<std::vector<uint32_t>> kids_;   // by unit: its live children
    std::vector<uint32_t> roots_;
    uint32_t moveUnit_ = 0xFFFFFFFFu;   // the unit the "Move under…" popup moves
    bool openMove_ = false;
    OrgUnitsLayout layout_;

    bool openImport_ = false, openDelete_ = false;
    std::string importText_, importError_;
};

}  // namespace roster::ui
