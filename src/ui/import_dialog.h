#pragma once
// The import preview: what a file would change, before anything changes. Confirm or cancel.
#include <memory>
#include <string>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class ImportDialog {
public:
    void open() { wantOpen_ = true; }
    // As a click on "Apply import" in the open preview (automation: roster.ui({action:'applyImportDialog'})).
    void requestApply() { applyRequested_ = true; }
    // Returns the applied plan's JSON when the person confirmed and it was applied, else null.
    json Draw(Session& s, UiState& st, Host& host);

private:
    void startApplyJob(ImportFlow& flow, UiState& st, Host& host);
    void startRecheckThenApply(ImportFlow& flow, UiState& st, Host& host);
    bool wantOpen_ = false, applyRequested_ = false;
    int tab_ = 0;
    std::shared_ptr<json> jobResult_;   // filled by the apply job when it ends (applied plan's JSON)
};

}  // namespace roster::ui
