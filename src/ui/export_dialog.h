#pragma once
// The Export dialog: the directory in one of the export registry's formats (src/core/exporter.h),
// with a BOM and formula-guard choice. A format with fields (SEI 2.0) offers a combo per field to
// choose the attribute that fills it; a format with a pre-export check (SEI 2.0, Faros) shows what the
// receiving system would refuse or what is left out, and still saves. The first lines of each file
// the format writes are shown before saving (the files are written when the directory, the format or
// an option changes, and those very files are saved); a format of several files is saved as one zip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host.h"
#include "orgunits_panel.h"   // UiRect
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// What the dialog drew in the last frame (screen coordinates), for tests (roster.ui({action:
// "exportDialogLayout"})).
struct ExportDialogLayout {
    bool open = false;
    std::vector<std::pair<std::string, UiRect>> formats;   // format id -> its radio button
    std::string format;                                     // the chosen format's id
    struct File { std::string name; size_t lines = 0, linesShown = 0; };
    std::vector<File> files;                                // the files previewed
    UiRect preview, save, cancel;
    std::string saveLabel;
};

class ExportDialog {
public:
    void open() { wantOpen_ = true; }
    void Draw(Session& s, UiState& st, Host& host);
    const ExportDialogLayout& layout() const { return layout_; }

private:
    void drawFields(Session& s);
    void drawFindings(Session& s, UiState& st, const ExportOptions& o, bool& close);
    // Writes the files when what they depend on changed; false in the frame that announces a long write.
    bool writeFiles(Session& s, const ExportOptions& o, const std::string& stem);
    void drawPreview();

    ExportDialogLayout layout_;

    bool wantOpen_ = false;
    bool focusSave_ = false;   // opened: Save takes the keyboard focus once the files are written (Enter saves)
    bool bom_ = false;
    bool guard_ = true;
    size_t format_ = 0;   // index in exportFormats()
    // The chosen attribute key of each field of the format (header -> key, "" a blank column), set
    // from the format's defaults when the dialog opens.
    std::vector<std::pair<std::string, std::string>> fields_;
    size_t fieldsFormat_ = SIZE_MAX;
    // The pre-export findings, made again when the directory, the format or a field changes.
    std::vector<ExportFinding> findings_;
    uint64_t checkedRevision_ = UINT64_MAX;
    size_t checkedFormat_ = SIZE_MAX;
    std::vector<std::pair<std::string, std::string>> checkedFields_;
    // The files of the chosen format as written for the preview and saved by Save; written again
    // when the directory, the format, an option or the date changes.
    struct Preview { std::vector<std::string> lines; size_t totalLines = 0; };
    std::vector<ExportFile> files_;
    std::vector<Preview> previews_;
    uint64_t writtenRevision_ = UINT64_MAX;
    size_t writtenFormat_ = SIZE_MAX;
    bool writtenBom_ = false, writtenGuard_ = true;
    std::vector<std::pair<std::string, std::string>> writtenFields_;
    std::string writtenStem_;
    bool writeAnnounced_ = false;
};

}  // namespace roster::ui
