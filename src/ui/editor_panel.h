#pragma once
// The right pane: the editor of the focused person (name, email, attributes, accounts, aliases).
#include <string>

#include "host.h"
#include "sections.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class EditorPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);

private:
    void load(const Directory& d, uint32_t slot);
    AttributesSection attributes_;
    BulkEdit bulk_;
    AccountsSection accounts_;
    uint32_t loadedSlot_ = kNone;
    uint64_t loadedRev_ = 0;
    std::string name_, email_;
    std::string error_;
    bool editingName_ = false, editingEmail_ = false;
};

}  // namespace roster::ui
