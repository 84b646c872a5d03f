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
    uint64_t navCount(const Session& s);

private:
    std::string selected_;
    std::string diffFor_;
    uint64_t diffRev_ = 0;
    VersionDiff diff_;
    std::string diffError_;
    bool confirm_ = false;
    size_t count_ = 0;
    Host* host_ = nullptr;
};

}  // namespace roster::ui
