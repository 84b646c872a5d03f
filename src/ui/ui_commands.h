#pragma once
// Edits issued by the collation panels (accounts, merge dialog, suggestions, unassigned accounts):
// a typed Command run through Session::execute (the one door, undoable), with a toast saying what
// happened: "<doneText> — Ctrl+Z to undo", or the refusal's message as an error toast.
#include <string>

#include "commands.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// Runs cmd and toasts the outcome (no toast on success when doneText is empty). The result keeps
// the error code for callers that react to one (e.g. MERGE_CONFLICT opens the merge dialog).
CmdResult runUiCommand(Session& s, UiState& st, double now, Command& cmd, const std::string& doneText);

}  // namespace roster::ui
