#pragma once
// The Export CSV dialog: the Harness SEI user CSV of the directory, with a BOM and formula-guard choice.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class ExportDialog {
public:
    void open() { wantOpen_ = true; }
    void Draw(Session& s, UiState& st, Host& host);

private:
    bool wantOpen_ = false;
    bool bom_ = false;
    bool guard_ = true;
};

}  // namespace roster::ui
