#pragma once
// The Export dialog: the directory in one of the export registry's formats (src/core/exporter.h),
// with a BOM and formula-guard choice.
#include <cstddef>

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
    size_t format_ = 0;   // index in exportFormats()
};

}  // namespace roster::ui
