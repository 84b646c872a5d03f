#pragma once
// The merge dialog: the people to merge, which record to keep, and a choice for every attribute
// whose values conflict; then one mergeUsers command. AppUI owns it and draws it once a frame;
// panels ask for it with UiState::requestMerge.
#include <map>
#include <string>
#include <vector>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class MergeDialog {
public:
    // Opens the dialog when a panel has asked (st.mergeRequest), and draws it while open.
    void Draw(Session& s, UiState& st, Host& host);

private:
    std::vector<uint32_t> slots_;
    uint32_t keep_ = kNone;
    bool focusMerge_ = false;   // opened: the Merge button takes the keyboard focus (Enter merges)
    std::map<std::string, int> choice_;   // attribute key -> index into the conflict's values
};

}  // namespace roster::ui
