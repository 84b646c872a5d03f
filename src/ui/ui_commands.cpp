#include "ui_commands.h"

namespace roster::ui {

CmdResult runUiCommand(Session& s, UiState& st, double now, Command& cmd, const std::string& doneText) {
    CmdResult r = s.execute(cmd);
    if (r.ok) {
        if (!doneText.empty()) st.notify(doneText + " — Ctrl+Z to undo", now);
    } else {
        st.notify(r.error.message.empty() ? std::string("The edit was refused") : r.error.message, now, true);
    }
    return r;
}

}  // namespace roster::ui
