#pragma once
// The Suggestions view: merge and assign suggestions with reasons; accept or reject. Computed by
// an incremental SuggestionEngine stepped a few milliseconds per frame, with progress shown.
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
    bool focusFirstRow_ = false;  // the keyboard came to the view: the first suggestion's Accept takes it
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

}  // namespace roster::ui
