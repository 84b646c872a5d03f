#pragma once
// The import preview: what a file would change, before anything changes. Confirm or cancel.
// Its "Columns" step maps each column of the file to a target (re-planned through ImportFlow); a
// plan refused only for row errors offers to skip those rows, and after such an import the skipped
// rows can be saved as a CSV.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "host.h"
#include "orgunits_panel.h"   // UiRect
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// Where the preview drew its parts in the last frame, so that browser tests can click them
// (roster.ui({action: "importDialogLayout"})).
struct ImportDialogLayout {
    bool open = false;
    struct Column { std::string header, target, source; UiRect combo; };
    std::vector<Column> columns;                                // the Columns step's rows (when shown)
    std::vector<std::pair<std::string, UiRect>> targetChoices;  // the open target combo: target -> rect
    std::string mappingNote;                                    // "Remembered from…" / "Proposed…"
    std::string formatNote;                                     // "Read as git .mailmap" (another tool's files), else ""
    UiRect columnsTab, changesTab, apply, cancel, skipRows, saveSkipped, closeSkipped;
};

class ImportDialog {
public:
    void open() { wantOpen_ = true; }
    // As a click on "Apply import" in the open preview (automation: roster.ui({action:'applyImportDialog'})).
    void requestApply() { applyRequested_ = true; }
    // Returns the applied plan's JSON when the person confirmed and it was applied, else null.
    json Draw(Session& s, UiState& st, Host& host);
    const ImportDialogLayout& layout() const { return layout_; }

private:
    void startApplyJob(ImportFlow& flow, UiState& st, Host& host);
    void startRecheckThenApply(ImportFlow& flow, UiState& st, Host& host);
    void drawSkipped(Session& s, Host& host);
    void noteApplied(const json& applied);
    bool wantOpen_ = false, applyRequested_ = false;
    bool focusApply_ = false;   // opened: Apply takes the keyboard focus once the plan can be applied
    int tab_ = 0;
    bool selectTab_ = false;
    bool comboWasOpen_ = false;           // a target combo was open in the last frame (Escape closes it, not the preview)              // on opening: choose the first tab to show
    std::string appliedName_;             // the file being applied (for the skipped rows' file name)
    bool wantSkipped_ = false;            // open the "Rows skipped" popup next frame
    uint32_t skippedRows_ = 0;
    std::string skippedName_;
    std::shared_ptr<json> jobResult_;   // filled by the apply job when it ends (applied plan's JSON)
    ImportDialogLayout layout_;
};

}  // namespace roster::ui
