#pragma once
// Unassigned accounts: accounts that belong to nobody yet (e.g. SEI export rows with no email),
// filterable by integration; assign one to a person (picker) or mark it as a bot / excluded.
#include <string>
#include <vector>

#include "host.h"
#include "session.h"
#include "person_picker.h"
#include "ui_state.h"

namespace roster::ui {

class UnassignedPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);

private:
    std::vector<uint32_t> rows_;
    uint64_t builtRev_ = 0;
    int integFilter_ = -1;   // -1 = all integrations
    int builtFilter_ = -2;
    bool hideExcluded_ = false, builtHide_ = false;
    std::string search_, builtSearch_;
    std::vector<uint8_t> bot_;   // per row: looks like a bot
    PersonPicker picker_;
    bool focusFirstRow_ = false;   // Alt+2: the first row's "Assign to…" takes the keyboard
    uint32_t assignIdent_ = kNone;
    bool openAssign_ = false;
};

}  // namespace roster::ui
