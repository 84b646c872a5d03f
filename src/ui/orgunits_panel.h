#pragma once
// The Org units view: units with filter builder, live membership, joins and leaves.
#include <memory>
#include <string>
#include <vector>

#include "filter.h"
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class OrgUnitsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);

private:
    void drawList(Session& s, UiState& st, Host& host);
    void drawEditor(Session& s, UiState& st, Host& host);
    void drawMembers(Session& s, UiState& st);
    void drawImportModal(Session& s, UiState& st, Host& host);
    void drawDeleteModal(Session& s, UiState& st, Host& host);
    bool drawNode(const Session& s, FilterTree& n, int depth, bool& removeMe);
    void select(const Directory& d, uint32_t unit);
    void startNew(const Directory& d);
    void recompute(const Directory& d);
    void refreshCounts(const Directory& d);

    uint32_t sel_ = 0xFFFFFFFFu;    // org unit index being edited (kNone: a new, unsaved unit)
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
    std::string builtDraft_, builtSaved_;
    Filter draftFilter_, savedFilter_;
    bool draftValid_ = false;
    std::vector<uint32_t> members_, joins_, leaves_;
    int listTab_ = 0;

    // Per-unit member counts for the list.
    uint64_t countsRev_ = 0;
    std::vector<int64_t> counts_;   // -1: the filter no longer compiles

    bool openImport_ = false, openDelete_ = false;
    std::string importText_, importError_;
};

}  // namespace roster::ui
