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
    void drawColumnsChooser(const Directory& d);
    void drawAttrCell(Session& s, UiState& st, uint32_t slot, uint32_t attr);
    bool attrShown(const Directory& d, uint32_t attr);

    std::string search_;
    std::vector<uint32_t> rows_;
    uint64_t builtRev_ = 0;
    std::string builtSearch_;
    int sortColumn_ = -1;   // -1: directory order; else the column's user id (0 name, 1 email, 2 accounts, 100+attr)
    bool sortAscending_ = true;
    bool sortDirty_ = true;
    // Attribute columns: chosen in the Columns popup (by attribute index; first two shown by default).
    std::vector<uint8_t> attrShown_;   // 0 unknown yet, 1 shown, 2 hidden
    // Inline editing of one attribute cell (double-click).
    uint32_t editSlot_ = kNone, editAttr_ = kNone;
    std::string editBuf_, editError_;
    bool editFocus_ = false;
    Host* host_ = nullptr;
};

}  // namespace roster::ui
