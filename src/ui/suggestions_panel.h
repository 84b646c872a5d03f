#pragma once
// The Suggestions view: merge and assign suggestions with reasons; accept or reject. Computed by
// an incremental SuggestionEngine stepped a few milliseconds per frame, with progress shown.
// Also the collation helpers shared with the accounts editor and the Unassigned panel.
#include <string>
#include <vector>

#include "host.h"
#include "session.h"
#include "suggest.h"
#include "ui_state.h"
#include "widgets.h"

namespace roster::ui {

class SuggestionsPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // Count shown in the left navigation (cheap: cached by the panel; steps the engine a little).
    // The navigation's count; advance = false only reads it (no engine work in this frame).
    NavCount navCount(const Session& s, bool advance = true);

private:
    void accept(Session& s, UiState& st, Host& host, const Suggestion& sg);
    void reject(Session& s, UiState& st, Host& host, const Suggestion& sg);
    bool stillValid(const Directory& d, const Suggestion& sg) const;

    SuggestionEngine engine_;
    int kindFilter_ = 0;          // 0 all, 1 merge, 2 assign
    std::string search_;
    std::vector<uint32_t> rows_;  // indexes into engine_.results()
    uint64_t rowsRev_ = ~0ull;
    uint64_t rowsEngineRev_ = ~0ull;
    int rowsFilter_ = -1;
    std::string rowsSearch_;
    bool rowsDone_ = false;
    uint64_t lastCount_ = 0;
    StaleSince navStale_;
};

// ---- shared collation widgets (defined in accounts_editor.cpp)

// A search box over people (name or email) with a short list of matches. Returns the slot the
// admin picked this frame, else kNone. `exclude` is left out of the list (kNone: nobody).
struct PersonPicker {
    std::string query;
    std::vector<uint32_t> matches;
    std::string builtQuery;
    uint64_t builtRev = 0;
    bool focus = true;
};
uint32_t drawPersonPicker(const Session& s, PersonPicker& p, uint32_t exclude);

// The merge dialog: the people to merge, which record to keep, and a choice for every attribute
// whose values conflict; then one mergeUsers command. Drawn by whichever pane is showing (once a frame).
void openMergeDialog(const Session& s, const std::vector<uint32_t>& slots, uint32_t keepSlot);
void drawMergeDialog(Session& s, UiState& st, Host& host);


}  // namespace roster::ui
