#pragma once
// The Export dialog: the directory in one of the export registry's formats (src/core/exporter.h),
// with a BOM and formula-guard choice. A format with fields (SEI 2.0) offers a combo per field to
// choose the attribute that fills it; a format with a pre-export check (SEI 2.0) shows what the
// receiving system would refuse, and still saves.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class ExportDialog {
public:
    void open() { wantOpen_ = true; }
    void Draw(Session& s, UiState& st, Host& host);

private:
    void drawFields(Session& s);
    void drawFindings(Session& s, UiState& st, const ExportOptions& o, bool& close);

    bool wantOpen_ = false;
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
};

}  // namespace roster::ui
