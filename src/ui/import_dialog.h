#pragma once
// The import preview: what a file would change, before anything changes. Confirm or cancel.
#include <string>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class ImportDialog {
public:
    void open() { wantOpen_ = true; }
    // Returns the applied plan's JSON when the person confirmed and it was applied, else null.
    json Draw(Session& s, UiState& st, Host& host);

private:
    bool wantOpen_ = false;
    int tab_ = 0;
};

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
