#pragma once
// The Users view: a virtualised, sortable, searchable table of people with multi-select.
#include <imgui.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "host.h"
#include "sort_job.h"
#include "session.h"
#include "ui_state.h"

namespace roster::ui {

class UsersPanel {
public:
    void Draw(Session& s, UiState& st, Host& host);
    const std::vector<uint32_t>& rows() const { return rows_; }   // slots in view order
    void selectAllMatching(UiState& st);

    // What tests and power users can drive (window.roster.ui): the same paths as the mouse.
    // column: "name", "email", "accounts", an attribute key, or "" for directory order.
    bool requestSort(const Directory& d, const std::string& column, bool ascending);
    void setSearch(const std::string& text) { search_ = text; }
    void scrollTo(long firstRow) { first_ = firstRow; scrollPending_ = true; }
    // The attribute columns shown (as the Columns popup sets them): `keys` by attribute key, the
    // others hidden. Answers how many are shown.
    size_t showAttributes(const Directory& d, const std::vector<std::string>& keys, bool all);
    json tableJson(const Directory& d, long from, long count) const;
    // People's rows the table drew in the last frame (0 when it was not drawn then).
    long peopleDrawn() const;

private:
    void update(const Directory& d, Host& host);
    void adoptBase(const Directory& d);
    void startScan(const std::vector<uint32_t>& src, const std::string& needle);
    bool scanStep(const Directory& d, Job::Clock::time_point deadline);
    long indexOf(uint32_t slot) const;
    void drawToolbar(Session& s, UiState& st, Host& host);
    void drawTable(Session& s, UiState& st);
    void handleKeys(Session& s, UiState& st);
    void clickRow(UiState& st, uint32_t slot, size_t viewIndex);
    void drawColumnsChooser(const Directory& d);
    void drawAttrCell(Session& s, UiState& st, uint32_t slot, uint32_t attr);
    bool attrShown(const Directory& d, uint32_t attr);

    std::string search_;
    // The base order: every live user in directory order or sorted by (baseColumn_, baseAscending_)
    // at revision baseRev_. rows_ is base_ filtered by builtSearch_ (same order).
    std::vector<uint32_t> base_, rows_;
    uint64_t baseRev_ = ~uint64_t(0);
    int baseColumn_ = -1;
    bool baseAscending_ = true;
    bool haveBase_ = false;
    uint64_t baseGen_ = 0, rowsGen_ = ~uint64_t(0);   // rows_ was filtered from base_ generation rowsGen_
    std::string builtSearch_;
    int sortColumn_ = -1;   // wanted: -1 directory order; else the column's user id (0 name, 1 email, 2 accounts, 100+attr)
    bool sortAscending_ = true;
    bool specsToTable_ = false;      // sortColumn_ was set outside the header: show it in the header
    std::shared_ptr<SortJob> sortJob_;
    bool sortJobOnHost_ = false;     // run by the main loop with the progress overlay (a header click)
    // Search scan over a list, in slices (the first letters at a million rows take tens of ms).
    bool scanning_ = false;
    std::string scanNeedle_;
    std::vector<uint32_t> scanSrc_, scanOut_;
    size_t scanPos_ = 0;
    uint64_t scanGen_ = 0;
    // The visible window: the first row drawn is an integer index (exact at any row count).
    long first_ = 0;
    long visibleRows_ = 1;           // rows fully visible in the last frame
    long peopleDrawn_ = 0;           // rows of live people drawn in frame peopleDrawnFrame_
    int peopleDrawnFrame_ = -1;
    bool scrollPending_ = false;
    float wheelAcc_ = 0;
    uint64_t fitKey_ = 0;       // fitColumns: the shown columns and user count the widths were fitted to
    uint32_t fitUsers_ = 0;
    void fitColumns(const Directory& d, uint32_t nAttrCols, uint32_t shownAttrs);
    float rowPitch_ = 0;             // measured row height
    std::array<double, 3> lastSortMs_{};   // CPU time of the last sort's phases (stats().usersTable)
    float rowsTop_ = 0, tableLeft_ = 0;   // screen position of the first row (tests click rows)
    std::vector<std::pair<int, float>> colWidths_;   // (column user id, width) of the columns drawn last frame
    // Attribute columns: chosen in the Columns popup (by attribute index; first two shown by default).
    std::vector<uint8_t> attrShown_;   // 0 unknown yet, 1 shown, 2 hidden
    // Inline editing of one attribute cell (double-click).
    uint32_t editSlot_ = kNone, editAttr_ = kNone;
    std::string editBuf_, editError_;
    bool editFocus_ = false;
    Host* host_ = nullptr;
    // Keyboard focus (issue 19): the table's keys move st.focus; ImGui's focus (its nav id, what the
    // highlight and the accessibility mirror show) follows onto that row's item when asked.
    bool navToFocus_ = false;
    ImGuiID focusRowItem_ = 0;   // the focused person's row item, as last drawn
    // The cell cursor along the focused row (Left/Right): the focused column's user id (0 name,
    // 1 email, 2 accounts, 100 + a attribute a); colOrder_ the enabled columns in display order.
    int focusCol_ = 0;
    bool scrollToCol_ = false;
    std::vector<int> colOrder_;
public:
    int focusColumn() const { return focusCol_; }
    // Focus from the page on a row (and cell) of the mirror's grid: that person, that column.
    void focusFromMirror(UiState& st, uint64_t row, int mirrorCol);
private:
    std::vector<int> mirrorCols_;   // the mirror's columns (gridHeaders' order) as column user ids
};

}  // namespace roster::ui
