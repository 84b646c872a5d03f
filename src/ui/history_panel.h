#pragma once
// The History view: stored versions of the directory, what changed since, restore.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class HistoryPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
};

}  // namespace roster::ui
