#pragma once
// The Problems view: lint results with a click to jump to the person; the reporting-line tree.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class ProblemsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
};

}  // namespace roster::ui
