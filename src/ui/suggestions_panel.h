#pragma once
// The Suggestions view: merge and assign suggestions with reasons; accept or reject.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class SuggestionsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
};

}  // namespace roster::ui
