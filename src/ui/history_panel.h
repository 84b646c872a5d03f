#pragma once
// The History view: stored versions of the directory (kept before every import and periodically
// while editing), what changed between a version and now, and restoring one (undoable).
#include <string>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class HistoryPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    // The stored versions (the host's list: the navigation shows it before the view is ever opened).
    uint64_t navCount(const Host& host) const;

private:
    std::string selected_;
    std::string diffFor_;
    uint64_t diffRev_ = 0;
    VersionDiff diff_;
    std::string diffError_;
    bool confirm_ = false;
};

}  // namespace roster::ui
