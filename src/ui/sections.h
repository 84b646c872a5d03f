#pragma once
// Sections of the right-hand editor pane, each owned by its feature.
#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

// attr_editor.cpp: the person's attributes, edited inline (typed inputs, person picker for email
// references, date input).
void drawAttributesSection(Session& s, UiState& st, Host& host, uint32_t slot);
// accounts_editor.cpp: the person's accounts (split off, move to another person, mark as bot) and aliases.
void drawAccountsSection(Session& s, UiState& st, Host& host, uint32_t slot);
// accounts_editor.cpp: actions on a multi-selection (e.g. merge the selected people).
void drawSelectionActions(Session& s, UiState& st, Host& host);
// attr_editor.cpp: bulk edit of one attribute for the selected people.
void drawBulkEdit(Session& s, UiState& st, Host& host);

}  // namespace roster::ui
