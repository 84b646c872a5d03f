#pragma once
// The Org units view: units with filter builder, live membership, joins and leaves.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class OrgUnitsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
};

}  // namespace roster::ui
