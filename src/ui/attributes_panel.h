#pragma once
// The Attributes view: list, add, rename, change type (with a conversion report), delete.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class AttributesPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel).
    uint64_t navCount(const Session& s);
};

}  // namespace roster::ui
