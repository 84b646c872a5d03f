#pragma once
// Unassigned accounts: accounts that belong to nobody yet (e.g. SEI export rows with no email).
#include <string>
#include <vector>

#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class UnassignedPanel {
public:
    void Draw(Session& s, UiState& st);

private:
    std::vector<uint32_t> rows_;
    uint64_t builtRev_ = 0;
    int integFilter_ = -1;   // -1 = all integrations
    int builtFilter_ = -2;
    std::string search_, builtSearch_;
};

}  // namespace roster::ui
