#pragma once
// The Users view: a virtualised, sortable, searchable table of people with multi-select.
#include <string>
#include <vector>

#include "host.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class UsersPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    const std::vector<uint32_t>& rows() const { return rows_; }   // slots in view order
    void selectAllMatching(UiState& st);

private:
    void rebuild(const Directory& d);
    void drawToolbar(Session& s, UiState& st, Host& host);
    void drawTable(Session& s, UiState& st);
    void handleKeys(Session& s, UiState& st);
    void clickRow(UiState& st, uint32_t slot, size_t viewIndex);

    std::string search_;
    std::vector<uint32_t> rows_;
    uint64_t builtRev_ = 0;
    std::string builtSearch_;
    int sortColumn_ = -1;   // -1: directory order
    bool sortAscending_ = true;
    bool sortDirty_ = true;
};

}  // namespace roster::ui
