#include "users_panel.h"

#include "a11y.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "attributes.h"
#include "commands.h"
#include "attributes_panel.h"
#include "filter.h"
#include "text.h"
#include "widgets.h"
#include "value_input.h"

namespace roster::ui {

namespace {

bool containsFolded(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > hay.size()) return false;
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; };
    const char first = lower(needle[0]);
    for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        if (lower(hay[i]) != first) continue;
        size_t k = 1;
        while (k < needle.size() && lower(hay[i + k]) == lower(needle[k])) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

constexpr uint32_t kSyncRows = 20000;    // below this, sorts and scans finish in the frame that asks
constexpr double kQuietBudgetMs = 5.0;   // per frame, for work the panel runs itself (scan, re-sort after an edit)

void directoryOrder(const Directory& d, std::vector<uint32_t>& out) {
    out.clear();
    out.reserve(d.userCount());
    const uint32_t n = d.slotCount();
    for (uint32_t slot = 0; slot < n; ++slot)
        if (d.userAlive(slot)) out.push_back(slot);
}

std::string columnKey(const Directory& d, int column) {
    if (column < 0) return "";
    if (column == 0) return "name";
    if (column == 1) return "email";
    if (column == 2) return "accounts";
    const uint32_t a = uint32_t(column - 100);
    return a < d.attrDefs().size() ? std::string(d.s(d.attrDefs()[a].key)) : "";
}

}  // namespace

bool UsersPanel::requestSort(const Directory& d, const std::string& column, bool ascending) {
    int col = -2;
    if (column.empty()) col = -1;
    else if (column == "name") col = 0;
    else if (column == "email") col = 1;
    else if (column == "accounts") col = 2;
    else
        for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
            if (d.attrDefs()[a].alive && d.s(d.attrDefs()[a].key) == column) col = int(100 + a);
    if (col == -2) return false;
    sortColumn_ = col;
    sortAscending_ = ascending;
    specsToTable_ = true;
    return true;
}

long UsersPanel::indexOf(uint32_t slot) const {
    const long n = long(rows_.size());
    for (long i = std::max(0L, first_ - 2); i < std::min(n, first_ + visibleRows_ + 2); ++i)
        if (rows_[size_t(i)] == slot) return i;
    auto it = std::find(rows_.begin(), rows_.end(), slot);
    return it == rows_.end() ? -1 : long(it - rows_.begin());
}

void UsersPanel::adoptBase(const Directory& d) {
    baseRev_ = d.revision();
    haveBase_ = true;
    ++baseGen_;
}

void UsersPanel::startScan(const std::vector<uint32_t>& src, const std::string& needle) {
    scanning_ = true;
    scanNeedle_ = needle;
    scanSrc_ = src;
    scanOut_.clear();
    scanPos_ = 0;
}

bool UsersPanel::scanStep(const Directory& d, Job::Clock::time_point deadline) {
    const size_t n = scanSrc_.size();
    while (scanPos_ < n) {
        const size_t end = std::min(n, scanPos_ + 4096);
        for (size_t i = scanPos_; i < end; ++i) {
            const uint32_t slot = scanSrc_[i];
            if (slot < d.slotCount() && (containsFolded(d.userName(slot), scanNeedle_) || containsFolded(d.userEmail(slot), scanNeedle_)))
                scanOut_.push_back(slot);
        }
        scanPos_ = end;
        if (scanPos_ < n && Job::Clock::now() >= deadline) return false;
    }
    return true;
}

// Once a frame: keeps base_ (all users, in the wanted order) and rows_ (base_ filtered by the
// search) current, spreading the long parts over frames. Until new rows are ready the table keeps
// showing the previous ones (rows of users removed since are drawn blank).
void UsersPanel::update(const Directory& d, Host& host) {
    // A finished sort: adopt it if it is still what is wanted; a cancelled one restores the header.
    if (sortJob_ && sortJob_->finished()) {
        if (!sortJob_->cancelled()) {
            if (sortJob_->column() == sortColumn_ && sortJob_->ascending() == sortAscending_ && sortJob_->revision() == d.revision()) {
                base_.swap(sortJob_->result());
                lastSortMs_ = {sortJob_->phaseMs()[0], sortJob_->phaseMs()[1], sortJob_->phaseMs()[2]};
                baseColumn_ = sortColumn_;
                baseAscending_ = sortAscending_;
                adoptBase(d);
            }
        } else if (sortJob_->cancelRequested() && sortJob_->column() == sortColumn_ && sortJob_->ascending() == sortAscending_) {
            sortColumn_ = haveBase_ ? baseColumn_ : -1;
            sortAscending_ = baseAscending_;
            specsToTable_ = true;
        }
        sortJob_.reset();
    }
    const bool baseCurrent = haveBase_ && baseRev_ == d.revision() && baseColumn_ == sortColumn_ &&
                             (sortColumn_ < 0 || baseAscending_ == sortAscending_);
    if (!baseCurrent) {
        if (sortJob_ && (sortJob_->column() != sortColumn_ || sortJob_->ascending() != sortAscending_ || sortJob_->revision() != d.revision())) {
            sortJob_->cancel();   // a job run by the host finishes (cancelled) at its next step
            if (!sortJobOnHost_) sortJob_->step(Job::Clock::now());
            sortJob_.reset();
        }
        if (sortColumn_ < 0) {
            directoryOrder(d, base_);
            baseColumn_ = -1;
            baseAscending_ = true;
            adoptBase(d);
        } else {
            if (!sortJob_) {
                std::vector<uint32_t> order;
                directoryOrder(d, order);
                const size_t n = order.size();
                sortJob_ = std::make_shared<SortJob>(d, std::move(order), sortColumn_, sortAscending_);
                sortJobOnHost_ = false;
                if (n <= kSyncRows) {
                    sortJob_->runToEnd();
                } else {
                    // A new order asked for (header click) runs with the progress overlay and Cancel;
                    // a re-sort after an edit runs quietly while the old order stays on screen.
                    const bool newOrder = !haveBase_ || baseColumn_ != sortColumn_ || baseAscending_ != sortAscending_;
                    if (newOrder && !host.runningJob()) sortJobOnHost_ = host.startJob(sortJob_);
                }
            }
            if (!sortJobOnHost_ && !sortJob_->finished()) sortJob_->step(Job::in(kQuietBudgetMs));
            if (sortJob_->finished()) {
                update(d, host);   // adopt now
                return;
            }
        }
    }

    // rows_ = base_ filtered by the search.
    const std::string needle(trim(search_));
    if (rowsGen_ == baseGen_ && needle == builtSearch_) {
        scanning_ = false;
        return;
    }
    if (needle.empty()) {
        rows_ = base_;
        rowsGen_ = baseGen_;
        if (!builtSearch_.empty()) first_ = 0;
        builtSearch_.clear();
        scanning_ = false;
        return;
    }
    if (!scanning_ || scanNeedle_ != needle || scanGen_ != baseGen_) {
        // A grown query only needs the rows that matched the shorter one.
        const bool narrowing = rowsGen_ == baseGen_ && !builtSearch_.empty() && needle.size() > builtSearch_.size() &&
                               needle.compare(0, builtSearch_.size(), builtSearch_) == 0;
        startScan(narrowing ? rows_ : base_, needle);
        scanGen_ = baseGen_;
    }
    const bool small = scanSrc_.size() <= kSyncRows;
    if (scanStep(d, small ? Job::Clock::time_point::max() : Job::in(kQuietBudgetMs))) {
        rows_.swap(scanOut_);
        rowsGen_ = scanGen_;
        if (builtSearch_ != scanNeedle_) first_ = 0;
        builtSearch_ = scanNeedle_;
        scanning_ = false;
        scanSrc_ = {};
        scanOut_ = {};
    }
}

json UsersPanel::tableJson(const Directory& d, long from, long count) const {
    json ids = json::array(), columns = json::array();
    for (const auto& [id, width] : colWidths_) columns.push_back(json{{"key", columnKey(d, id)}, {"width", width}});
    const long n = long(rows_.size());
    for (long i = std::max(0L, from); i < std::min(n, from + count); ++i) {
        const uint32_t slot = rows_[size_t(i)];
        ids.push_back(slot < d.slotCount() ? formatUserId(d.userId(slot)) : std::string());
    }
    return json{{"firstRow", first_}, {"visibleRows", visibleRows_}, {"rows", n}, {"drawnRows", peopleDrawn()}, {"sortColumn", columnKey(d, sortColumn_)},
                {"sortAscending", sortAscending_}, {"shownSortColumn", columnKey(d, haveBase_ ? baseColumn_ : -1)}, {"shownAscending", baseAscending_},
                {"sorting", bool(sortJob_)}, {"searching", scanning_}, {"search", builtSearch_}, {"ids", ids},
                {"lastSortMs", json{{"keys", lastSortMs_[0]}, {"radix", lastSortMs_[1]}, {"ties", lastSortMs_[2]}}},
                {"focusColumn", columnKey(d, focusCol_)}, {"rowsTop", rowsTop_}, {"rowPitch", rowPitch_}, {"left", tableLeft_}, {"columns", columns}};
}

long UsersPanel::peopleDrawn() const {
    return ImGui::GetCurrentContext() && peopleDrawnFrame_ == ImGui::GetFrameCount() ? peopleDrawn_ : 0;
}

size_t UsersPanel::showAttributes(const Directory& d, const std::vector<std::string>& keys, bool all) {
    const auto& defs = d.attrDefs();
    if (attrShown_.size() < defs.size()) attrShown_.resize(defs.size(), 0);
    size_t shown = 0;
    for (uint32_t a = 0; a < defs.size(); ++a) {
        if (!defs[a].alive) continue;
        const std::string key(d.s(defs[a].key));
        const bool on = all || std::find(keys.begin(), keys.end(), key) != keys.end();
        attrShown_[a] = on ? 1 : 2;
        shown += on;
    }
    return shown;
}

void UsersPanel::selectAllMatching(UiState& st) {
    for (uint32_t slot : rows_) st.select(slot, true);
}

void UsersPanel::clickRow(UiState& st, uint32_t slot, size_t viewIndex) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.KeyShift && st.anchor != kNone) {
        auto it = std::find(rows_.begin(), rows_.end(), st.anchor);
        size_t a = it == rows_.end() ? viewIndex : size_t(it - rows_.begin());
        size_t lo = std::min(a, viewIndex), hi = std::max(a, viewIndex);
        if (!io.KeyCtrl) st.clearSelection();
        for (size_t i = lo; i <= hi; ++i) st.select(rows_[i], true);
    } else if (io.KeyCtrl) {
        st.select(slot, !st.isSelected(slot));
        st.anchor = slot;
    } else {
        st.clearSelection();
        st.select(slot, true);
        st.anchor = slot;
    }
    st.focus = slot;
}

void UsersPanel::drawToolbar(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (st.focusSearch) {   // Ctrl+F: the pane takes the keyboard (from the table, the editor...), then the box
        ImGui::SetWindowFocus();
        focusNextItem(st.keyboardInUse);
        st.focusSearch = false;
    }
    ImGui::SetNextItemWidth(std::min(420.0f * ImGui::GetFontSize() / 16.0f, ImGui::GetContentRegionAvail().x * 0.45f));
    ImGui::InputTextWithHint("##search", "Search name or email  (Ctrl+F)", &search_);
    a11y::field("Search name or email", search_);
    ImGui::SameLine();
    if (!search_.empty() && ImGui::SmallButton("Clear")) search_.clear();
    if (!search_.empty()) ImGui::SameLine();
    ImGui::TextDisabled("%s of %s", formatCount(rows_.size()).c_str(), formatCount(d.userCount()).c_str());
    if (scanning_ && !scanSrc_.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("· searching %d%%", int(100.0 * double(scanPos_) / double(scanSrc_.size())));
    } else if (sortJob_ && !sortJobOnHost_) {
        ImGui::SameLine();
        ImGui::TextDisabled("· sorting %d%%", sortJob_->size() ? int(100.0 * double(sortJob_->progress().done) / double(sortJob_->size())) : 0);
    }

    float right = ImGui::GetContentRegionMax().x;
    const char* addLabel = "+ Add user";
    const std::string delLabel = st.selectedCount ? "Delete (" + formatCount(st.selectedCount) + ")" : "Delete";
    const char* colLabel = "Columns ▾";
    float w = ImGui::CalcTextSize(addLabel).x + ImGui::CalcTextSize(delLabel.c_str()).x + ImGui::CalcTextSize(colLabel).x +
              ImGui::GetStyle().FramePadding.x * 6 + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SameLine(right - w);
    if (ImGui::Button(colLabel)) ImGui::OpenPopup("columns");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Choose the attribute columns");
    drawColumnsChooser(d);
    ImGui::SameLine();
    ImGui::BeginDisabled(st.selectedCount == 0);
    if (ImGui::Button(delLabel.c_str())) st.confirmDelete = true;
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (primaryButton(addLabel)) st.openAddUser = true;
    (void)host;
}

void UsersPanel::handleKeys(Session& s, UiState& st) {
    if (ImGui::GetIO().WantTextInput) return;
    if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) return;
    if (rows_.empty()) return;
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
    // The table's keys are the table's: ImGui's own navigation does not also move on them (it
    // would put its focus on another row than the person's). Enter too while the focus is on the
    // person's row (elsewhere it presses the focused button). Claimed every frame the pane has the
    // keyboard, so that the frame a key goes down, it is already ours.
    ImGuiContext& g = *GImGui;
    const ImGuiID owner = ImGui::GetID("##tablekeys");
    for (ImGuiKey k : {ImGuiKey_UpArrow, ImGuiKey_DownArrow, ImGuiKey_PageUp, ImGuiKey_PageDown, ImGuiKey_Home, ImGuiKey_End,
                       ImGuiKey_LeftArrow, ImGuiKey_RightArrow})
        ImGui::SetKeyOwner(k, owner);
    const bool onRow = g.NavId == 0 || (focusRowItem_ && g.NavId == focusRowItem_);
    if (onRow) {
        ImGui::SetKeyOwner(ImGuiKey_Enter, owner);
        ImGui::SetKeyOwner(ImGuiKey_KeypadEnter, owner);
        // Enter: edit the focused person, in the editor's field of the focused cell (the name, the
        // email, the attribute; the first field from Accounts). Tab goes on through the fields.
        if ((ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false)) && st.focus != kNone &&
            s.dir.userAlive(st.focus)) {
            st.focusEditor = true;
            st.focusEditorField = focusCol_;
        }
    }
    auto move = [&](long delta) {
        long i = st.focus == kNone ? -1 : indexOf(st.focus);
        if (i < 0) i = delta > 0 ? first_ - 1 : first_ + visibleRows_;   // from the visible window
        i = std::clamp<long>(i + delta, 0, long(rows_.size()) - 1);
        uint32_t slot = rows_[size_t(i)];
        if (ImGui::GetIO().KeyShift) {
            st.select(slot, true);
        } else {
            st.clearSelection();
            st.select(slot, true);
            st.anchor = slot;
        }
        st.focus = slot;
        st.scrollToFocus = true;
        navToFocus_ = true;
    };
    const long page = std::max(1L, visibleRows_ - 1);
    if (ImGui::IsKeyPressed(ImGuiKey_DownArrow)) move(1);
    if (ImGui::IsKeyPressed(ImGuiKey_UpArrow)) move(-1);
    if (ImGui::IsKeyPressed(ImGuiKey_PageDown)) move(page);
    if (ImGui::IsKeyPressed(ImGuiKey_PageUp)) move(-page);
    // Left/Right: the cell cursor along the row, through the columns shown, in their display order.
    auto moveCol = [&](int delta) {
        if (colOrder_.empty()) return;
        auto it = std::find(colOrder_.begin(), colOrder_.end(), focusCol_);
        long k = it == colOrder_.end() ? 0 : long(it - colOrder_.begin()) + delta;
        focusCol_ = colOrder_[size_t(std::clamp<long>(k, 0, long(colOrder_.size()) - 1))];
        scrollToCol_ = true;
        if (st.focus != kNone) navToFocus_ = true;   // (the highlight shows again after a mouse move)
    };
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow)) moveCol(-1);
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) moveCol(1);
    if (ImGui::IsKeyPressed(ImGuiKey_Home)) move(-long(rows_.size()));
    if (ImGui::IsKeyPressed(ImGuiKey_End)) move(long(rows_.size()));
    if (ImGui::IsKeyPressed(ImGuiKey_Delete) && st.selectedCount) st.confirmDelete = true;
    if (ImGui::IsKeyPressed(ImGuiKey_Escape)) st.clearSelection();
    (void)s;
}

// Columns are as wide as what they hold (the 90th percentile of the text widths over the first
// rows), not fixed weights: an email column gets what its emails need. Stretched columns (two
// attributes or fewer) share the pane in those proportions; with more, the fixed widths are set to
// them and the table scrolls sideways. Done when the shown columns change and when the directory
// fills or grows by a tenth; a column the person resized keeps its width until then.
void UsersPanel::fitColumns(const Directory& d, uint32_t nAttrCols, uint32_t shownAttrs) {
    uint64_t key = uint64_t(shownAttrs) * 1000003u + nAttrCols;
    for (uint32_t a = 0; a < nAttrCols; ++a) key = key * 31 + (attrShown_[a] == 1 ? a + 1 : 0);
    const uint32_t users = d.userCount();
    if (key == fitKey_ && users > 0 && fitUsers_ > 0 && users * 10 <= fitUsers_ * 11 && users * 11 >= fitUsers_ * 10) return;
    if (users == 0 && fitUsers_ == 0 && key == fitKey_) return;
    fitKey_ = key;
    fitUsers_ = users;
    ImGuiTable* table = ImGui::GetCurrentTable();
    const float em = ImGui::GetFontSize();
    const size_t sample = std::min<size_t>(rows_.size(), 400);
    auto fit = [&](int col, const std::string& header, auto&& text) {
        std::vector<float> w;
        w.reserve(sample);
        for (size_t i = 0; i < sample; ++i) {
            const uint32_t slot = rows_[i];
            if (!d.userAlive(slot)) continue;
            std::string_view t = text(slot);
            w.push_back(ImGui::CalcTextSize(t.data(), t.data() + t.size()).x);
        }
        float want = em * 8;
        if (!w.empty()) {
            std::nth_element(w.begin(), w.begin() + long(w.size() * 9 / 10), w.end());
            want = w[w.size() * 9 / 10];
        }
        want = std::max(want, ImGui::CalcTextSize(header.c_str()).x + em * 1.2f);   // the header and its sort arrow
        const float fitted = std::clamp(want + em, em * 5, em * 24);
        if (table->Columns[col].Flags & ImGuiTableColumnFlags_WidthStretch) table->Columns[col].StretchWeight = fitted;
        else table->Columns[col].WidthRequest = fitted;   // many columns: fixed widths that fit, scrolled sideways
    };
    fit(0, "Name", [&](uint32_t slot) { return d.userName(slot); });
    fit(1, "Email", [&](uint32_t slot) { return d.userEmail(slot); });
    for (uint32_t a = 0; a < nAttrCols; ++a)
        if (attrShown_[a] == 1 && d.attrDefs()[a].alive)
            fit(int(3 + a), attrDisplayName(d, a), [&](uint32_t slot) { return d.attrValue(a, slot); });
}

static int hoveredColumn(int count) {
    for (int c = 0; c < count; ++c)
        if (ImGui::TableGetColumnFlags(c) & ImGuiTableColumnFlags_IsHovered) return c;
    return -1;
}

bool UsersPanel::attrShown(const Directory& d, uint32_t attr) {
    const auto& defs = d.attrDefs();
    if (attr >= defs.size() || !defs[attr].alive) return false;
    if (attrShown_.size() < defs.size()) attrShown_.resize(defs.size(), 0);
    if (attrShown_[attr] == 0) {
        // First sight of an attribute: the first two live attributes are shown by default.
        uint32_t before = 0;
        for (uint32_t a = 0; a < attr; ++a) before += defs[a].alive;
        attrShown_[attr] = before < 2 ? 1 : 2;
    }
    return attrShown_[attr] == 1;
}

void UsersPanel::drawColumnsChooser(const Directory& d) {
    if (!ImGui::BeginPopup("columns")) return;
    const auto& defs = d.attrDefs();
    ImGui::TextDisabled("Attribute columns");
    ImGui::Separator();
    bool any = false;
    for (uint32_t a = 0; a < defs.size(); ++a) {
        if (!defs[a].alive) continue;
        any = true;
        bool on = attrShown(d, a);
        ImGui::PushID(int(a));
        std::string label = attrDisplayName(d, a);
        if (ImGui::Checkbox(label.c_str(), &on)) attrShown_[a] = on ? 1 : 2;
        ImGui::SameLine();
        ImGui::TextDisabled("%s", attrTypeLabel(defs[a].type));
        ImGui::PopID();
    }
    if (!any) ImGui::TextDisabled("No attributes yet: add them in the Attributes view.");
    else {
        ImGui::Separator();
        if (ImGui::SmallButton("Show all")) showAttributes(d, {}, true);
        ImGui::SameLine();
        if (ImGui::SmallButton("Hide all")) showAttributes(d, {}, false);
    }
    ImGui::EndPopup();
}

void UsersPanel::drawAttrCell(Session& s, UiState& st, uint32_t slot, uint32_t attr) {
    const Directory& d = s.dir;
    const AttrDef& def = d.attrDefs()[attr];
    if (editSlot_ == slot && editAttr_ == attr) {
        if (editFocus_ && def.type != AttrType::Boolean) ImGui::SetKeyboardFocusHere();
        bool commit = attrValueInput("cell", s, def.type, editBuf_, ImGui::GetContentRegionAvail().x);
        const bool busy = ImGui::IsAnyItemActive() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
        if (ImGui::IsKeyPressed(ImGuiKey_Escape)) {
            editSlot_ = editAttr_ = kNone;
        } else if (commit) {
            if (editBuf_ != d.attrValue(attr, slot)) {
                SetAttributeCmd cmd({d.userId(slot)}, std::string(d.s(def.key)), editBuf_);
                CmdResult r = s.execute(cmd);
                if (!r.ok) {
                    if (host_) st.notify(r.error.message, host_->nowSeconds(), true);
                    editError_ = r.error.message;
                } else {
                    editSlot_ = editAttr_ = kNone;
                    editError_.clear();
                }
            } else {
                editSlot_ = editAttr_ = kNone;
            }
        } else if (!editFocus_ && !busy) {
            editSlot_ = editAttr_ = kNone;   // clicked elsewhere without changing anything
        }
        if (!editError_.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", editError_.c_str());
        editFocus_ = false;
        return;
    }
    std::string_view v = d.attrValue(attr, slot);
    ImGui::AlignTextToFramePadding();
    if (v.empty()) {
        ImGui::TextDisabled("—");
    } else if (def.type == AttrType::Boolean) {
        ImGui::TextUnformatted(v == "true" ? "Yes" : v == "false" ? "No" : std::string(v).c_str());
    } else if (def.type == AttrType::Number) {
        // Numbers right-aligned, like a spreadsheet.
        float w = ImGui::CalcTextSize(v.data(), v.data() + v.size()).x;
        float avail = ImGui::GetContentRegionAvail().x;
        if (w < avail) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
        ImGui::TextUnformatted(v.data(), v.data() + v.size());
    } else {
        ImGui::TextUnformatted(v.data(), v.data() + v.size());
    }
}

// The table draws only the rows that fit, starting at the integer index first_, with its own
// scrollbar and wheel handling: ImGui's float scroll positions lose whole pixels past ~16.7M px
// (a million rows), so the table itself never scrolls vertically.
void UsersPanel::drawTable(Session& s, UiState& st) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollX |
                                  ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable;
    // Column n >= 3 is attribute n - 3 (attribute indexes never move, so widths and order stick).
    const uint32_t nAttrCols = std::min<uint32_t>(uint32_t(defs.size()), 500);
    uint32_t shownAttrs = 0;
    for (uint32_t a = 0; a < nAttrCols; ++a) shownAttrs += attrShown(d, a);

    const float rowH = ImGui::GetFrameHeight();
    // A row's height as the table lays it out (measured on the previous frame; estimated at first).
    const float pitch = rowPitch_ > 0 ? rowPitch_ : rowH + style.CellPadding.y * 2 + style.ItemSpacing.y;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float sbW = style.ScrollbarSize;
    const ImVec2 tableMin = ImGui::GetCursorScreenPos();
    const ImVec2 tableSize(std::max(1.0f, avail.x - sbW), std::max(pitch * 2, avail.y));
    const long n = long(rows_.size());

    // The wheel over the table moves whole rows (ImGui's step: five lines of text).
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) &&
        ImGui::IsMouseHoveringRect(tableMin, ImVec2(tableMin.x + tableSize.x + sbW, tableMin.y + tableSize.y)) &&
        !ImGui::GetIO().KeyShift && ImGui::GetIO().MouseWheel != 0) {
        const float stepRows = std::max(1.0f, std::floor(5 * ImGui::GetFontSize() / pitch + 0.5f));
        wheelAcc_ -= ImGui::GetIO().MouseWheel * stepRows;
        const long delta = long(wheelAcc_);
        wheelAcc_ -= float(delta);
        first_ += delta;
    }

    if (!ImGui::BeginTable("users", int(3 + nAttrCols), flags, tableSize)) return;
    ImGui::TableSetupScrollFreeze(1, 0);
    const float em = ImGui::GetFontSize();
    // With few columns the table stretches to the pane; with many it scrolls sideways.
    const ImGuiTableColumnFlags stretch = shownAttrs <= 2 ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
    ImGui::TableSetupColumn("Name", stretch | ImGuiTableColumnFlags_NoHide, shownAttrs <= 2 ? 1.0f : em * 12, 0);
    ImGui::TableSetupColumn("Email", stretch, shownAttrs <= 2 ? 1.6f : em * 16, 1);
    ImGui::TableSetupColumn("Accounts", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                            ImGui::CalcTextSize("Accounts").x + em * 1.5f, 2);
    for (uint32_t a = 0; a < nAttrCols; ++a) {
        ImGuiTableColumnFlags cf = ImGuiTableColumnFlags_NoHide | stretch;
        if (!attrShown(d, a)) cf |= ImGuiTableColumnFlags_Disabled;
        if (defs[a].type == AttrType::Number) cf |= ImGuiTableColumnFlags_PreferSortDescending;
        if (!defs[a].alive) {
            ImGui::TableSetupColumn("(deleted)", cf, shownAttrs <= 2 ? 0.8f : em * 9, ImGuiID(100 + a));
            continue;
        }
        std::string label = attrDisplayName(d, a);
        ImGui::TableSetupColumn(label.c_str(), cf, shownAttrs <= 2 ? 0.8f : em * 9, ImGuiID(100 + a));
    }
    fitColumns(d, nAttrCols, shownAttrs);
    if (specsToTable_) {
        // The order was set outside the header (API, a cancelled sort): show it in the header.
        specsToTable_ = false;
        const int colIndex = sortColumn_ < 0 ? -1 : sortColumn_ >= 100 ? 3 + (sortColumn_ - 100) : sortColumn_;
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
            for (int i = 0; i < specs->SpecsCount; ++i)
                if (specs->Specs[i].ColumnIndex != colIndex) ImGui::TableSetColumnSortDirection(specs->Specs[i].ColumnIndex, ImGuiSortDirection_None, false);
        }
        if (colIndex >= 0 && colIndex < int(3 + nAttrCols))
            ImGui::TableSetColumnSortDirection(colIndex, sortAscending_ ? ImGuiSortDirection_Ascending : ImGuiSortDirection_Descending, false);
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) specs->SpecsDirty = false;
    }
    ImGui::TableHeadersRow();
    colWidths_.clear();
    colOrder_.clear();
    if (ImGuiTable* table = ImGui::GetCurrentTable()) {
        for (int c = 0; c < table->ColumnsCount; ++c)
            if (table->Columns[c].IsEnabled) colWidths_.emplace_back(int(table->Columns[c].UserID), table->Columns[c].WidthGiven);
        for (int o = 0; o < table->ColumnsCount; ++o) {
            const int c = table->DisplayOrderToIndex[o];
            if (table->Columns[c].IsEnabled) colOrder_.push_back(int(table->Columns[c].UserID));
        }
    }
    if (!colOrder_.empty() && std::find(colOrder_.begin(), colOrder_.end(), focusCol_) == colOrder_.end()) focusCol_ = colOrder_.front();
    // The focused cell's column index in the table (column n >= 3 is attribute n - 3).
    const int focusColIndex = focusCol_ >= 100 ? 3 + (focusCol_ - 100) : focusCol_;

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount == 0) {
            sortColumn_ = -1;
        } else {
            sortColumn_ = int(specs->Specs[0].ColumnUserID);
            sortAscending_ = specs->Specs[0].SortDirection != ImGuiSortDirection_Descending;
        }
        specs->SpecsDirty = false;
    }

    // How many rows fit entirely below the header, inside the clip rect (which leaves out the
    // horizontal scrollbar when there is one).
    ImGuiTable* table = ImGui::GetCurrentTable();
    ImGuiWindow* inner = ImGui::GetCurrentWindow();   // the table's own child window (ScrollX)
    if (inner->Scroll.y != 0) ImGui::SetScrollY(0);    // never scrolls vertically: rows are windowed here
    const float rowsTop = table->RowPosY1 + ImGui::TableGetHeaderRowHeight();
    const float rowsBottom = tableMin.y + tableSize.y - (inner->ScrollbarX ? style.ScrollbarSize : 0.0f) - 1.0f;
    const long fullRows = std::max(1L, long(std::floor((rowsBottom - rowsTop) / pitch + 0.001f)));
    visibleRows_ = fullRows;
    rowsTop_ = rowsTop;
    tableLeft_ = tableMin.x;
    const long maxFirst = std::max(0L, n - fullRows);
    if (st.scrollToFocus && st.focus != kNone) {
        long i = indexOf(st.focus);
        if (i >= 0) {
            if (i < first_) first_ = i;
            else if (i >= first_ + fullRows) first_ = i - fullRows + 1;
        }
        st.scrollToFocus = false;
    }
    first_ = std::clamp(first_, 0L, maxFirst);
    scrollPending_ = false;

    if (editSlot_ != kNone && (!d.userAlive(editSlot_) || editAttr_ >= defs.size() || !defs[editAttr_].alive)) editSlot_ = editAttr_ = kNone;
    const ImU32 bg0 = ImGui::GetColorU32(ImGuiCol_TableRowBg), bg1 = ImGui::GetColorU32(ImGuiCol_TableRowBgAlt);
    const long last = std::min(n, first_ + fullRows);
    // The accessibility tree: the table as a grid of its visible rows, indexes out of the total.
    std::vector<std::string> gridHeaders = {"Name", "Email", "Accounts"};
    mirrorCols_ = {0, 1, 2};
    int focusMirrorCol = focusCol_ < 3 ? focusCol_ : -1;
    for (uint32_t a = 0; a < nAttrCols; ++a)
        if (attrShown_[a] == 1 && defs[a].alive) {
            if (focusCol_ == int(100 + a)) focusMirrorCol = int(gridHeaders.size());
            gridHeaders.push_back(attrDisplayName(d, a));
            mirrorCols_.push_back(int(100 + a));
        }
    const bool mirror = a11y::beginGrid("Users", uint64_t(n), gridHeaders) != nullptr;
    if (mirror) {   // each cell of the mirror over its column (the part of it inside the table)
        std::vector<ImVec2> xw;
        const float lo = tableMin.x, hi = tableMin.x + tableSize.x;
        for (int id : mirrorCols_) {
            const int c = id >= 100 ? 3 + (id - 100) : id;
            const ImGuiTableColumn& col = table->Columns[c];
            const float x0 = std::clamp(col.MinX, lo, hi), x1 = std::clamp(col.MaxX, lo, hi);
            xw.emplace_back(x0, col.IsEnabled && col.IsVisibleX ? std::max(0.0f, x1 - x0) : 0.0f);
        }
        a11y::gridColumns(xw);
    }
    float firstRowY = 0;
    peopleDrawn_ = 0;
    peopleDrawnFrame_ = ImGui::GetFrameCount();
    for (long i = first_; i < last; ++i) {
        const uint32_t slot = rows_[size_t(i)];
        ImGui::TableNextRow(ImGuiTableRowFlags_None, rowH);
        if (i == first_) firstRowY = table->RowPosY1;
        else if (i == first_ + 1) rowPitch_ = table->RowPosY1 - firstRowY;
        // Stripes follow the row index, so they do not flicker as the window moves by one row.
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, (i & 1) ? bg1 : bg0);
        ImGui::TableSetColumnIndex(0);
        if (!d.userAlive(slot)) {   // removed since these rows were built; the next rows drop it
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("(removed)");
            continue;
        }
        ++peopleDrawn_;
        ImGui::PushID(int(slot));
        bool sel = st.isSelected(slot);
        std::string_view name = d.userName(slot);
        ImGui::AlignTextToFramePadding();
        if (ImGui::Selectable("##row", sel, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap,
                              ImVec2(0, rowH))) {
            clickRow(st, slot, size_t(i));
            const int col = hoveredColumn(int(3 + nAttrCols));   // the cell cursor goes to the clicked cell
            if (col >= 0) focusCol_ = col < 3 ? col : 100 + (col - 3);
        }
        const ImGuiID rowItem = ImGui::GetItemID();
        const ImVec2 rowMin = ImGui::GetItemRectMin(), rowMax = ImGui::GetItemRectMax();
        if (slot == st.focus) {
            focusRowItem_ = rowItem;
            if (navToFocus_) {   // the keyboard moved to this person: ImGui's focus (and its highlight) too
                ImGui::SetFocusID(rowItem, ImGui::GetCurrentWindow());
                if (st.keyboardInUse) showFocusHighlight();
                navToFocus_ = false;
            }
        }
        if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
            st.focus = slot;
            int col = hoveredColumn(int(3 + nAttrCols));
            if (col >= 3 && uint32_t(col - 3) < nAttrCols && defs[uint32_t(col - 3)].alive) {
                editSlot_ = slot;
                editAttr_ = uint32_t(col - 3);
                editBuf_ = std::string(d.attrValue(editAttr_, slot));
                editError_.clear();
                editFocus_ = true;
            }
        }
        if (editSlot_ == kNone && ImGui::IsItemHovered()) {
            // A value wider than its column shows whole in the tooltip (long emails, designations).
            const int col = hoveredColumn(int(3 + nAttrCols));
            std::string_view full;
            if (col == 0) full = name;
            else if (col == 1) full = d.userEmail(slot);
            else if (col >= 3 && uint32_t(col - 3) < nAttrCols && defs[uint32_t(col - 3)].alive) full = d.attrValue(uint32_t(col - 3), slot);
            const bool clipped = col >= 0 && !full.empty() &&
                                 ImGui::CalcTextSize(full.data(), full.data() + full.size()).x > table->Columns[col].WidthGiven;
            if (clipped && col >= 3) ImGui::SetItemTooltip("%.*s\nDouble-click to edit", int(full.size()), full.data());
            else if (clipped) ImGui::SetItemTooltip("%.*s", int(full.size()), full.data());
            else if (col >= 3) ImGui::SetItemTooltip("Double-click to edit");
        }
        if (mirror) {
            std::vector<std::string> cells;
            cells.reserve(gridHeaders.size());
            cells.emplace_back(name);
            cells.emplace_back(d.userEmail(slot));
            uint32_t nAcc = 0;
            d.identitiesOf(slot, nAcc);
            cells.push_back(std::to_string(nAcc));
            for (uint32_t a = 0; a < nAttrCols; ++a)
                if (attrShown_[a] == 1 && defs[a].alive) cells.emplace_back(d.attrValue(a, slot));
            a11y::gridRow(uint64_t(i), sel, std::move(cells), rowMin, rowMax, rowItem, slot == st.focus ? focusMirrorCol : -1);
        }
        ImGui::SameLine();
        if (name.empty()) ImGui::TextDisabled("(no name)");
        else ImGui::TextUnformatted(name.data(), name.data() + name.size());
        if (ImGui::TableSetColumnIndex(1)) {
            std::string_view email = d.userEmail(slot);
            ImGui::AlignTextToFramePadding();
            if (email.empty()) ImGui::TextDisabled("(no email)");
            else ImGui::TextUnformatted(email.data(), email.data() + email.size());
        }
        if (ImGui::TableSetColumnIndex(2)) {
            uint32_t count = 0;
            d.identitiesOf(slot, count);
            ImGui::AlignTextToFramePadding();
            if (count) ImGui::Text("%u", count);
            else ImGui::TextDisabled("0");
        }
        for (uint32_t a = 0; a < nAttrCols; ++a) {
            if (attrShown_[a] != 1 || !defs[a].alive) continue;
            if (!ImGui::TableSetColumnIndex(int(3 + a))) continue;
            ImGui::PushID(int(a));
            drawAttrCell(s, st, slot, a);
            ImGui::PopID();
        }
        // The cell cursor: the focused person's focused cell, tinted and framed (drawn in the cell's
        // own channel, over its text).
        if (slot == st.focus && focusColIndex >= 0 && focusColIndex < table->ColumnsCount && table->Columns[focusColIndex].IsEnabled) {
            const ImU32 frame = ImGui::GetColorU32(ImGuiCol_NavHighlight);
            ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(ImGuiCol_NavHighlight, 0.22f), focusColIndex);
            if (ImGui::TableSetColumnIndex(focusColIndex)) {
                const ImGuiTableColumn& c = table->Columns[focusColIndex];
                const ImVec2 a(c.MinX + 1.0f, rowMin.y + 1.0f), b(c.MaxX - 1.0f, rowMax.y - 1.0f);
                ImGui::GetWindowDrawList()->AddRect(a, b, frame, 0.0f, 0, 2.0f);
                if (scrollToCol_) {   // keep the cell in view (the table scrolls sideways with many columns)
                    ImGui::ScrollToRect(ImGui::GetCurrentWindow(), ImRect(c.MinX, rowMin.y, c.MaxX, rowMax.y), ImGuiScrollFlags_KeepVisibleEdgeX | ImGuiScrollFlags_KeepVisibleEdgeY);
                    scrollToCol_ = false;
                }
            }
        }
        ImGui::PopID();
    }
    if (mirror) a11y::endGrid(tableMin, ImVec2(tableMin.x + tableSize.x, tableMin.y + tableSize.y));
    ImGui::EndTable();

    // The vertical scrollbar, in rows (64-bit positions: exact at any count).
    const float headerH = rowsTop - tableMin.y;
    ImRect bb(ImVec2(tableMin.x + tableSize.x, tableMin.y + headerH), ImVec2(tableMin.x + tableSize.x + sbW, tableMin.y + tableSize.y));
    ImS64 pos = first_;
    if (ImGui::ScrollbarEx(bb, ImGui::GetID("##rows"), ImGuiAxis_Y, &pos, ImS64(fullRows), ImS64(std::max(n, fullRows)), ImDrawFlags_RoundCornersAll))
        first_ = long(pos);
    // (EndTable left the cursor below the table: the pane's content fits exactly, so the pane
    // itself never scrolls and never takes the wheel.)
}

void UsersPanel::focusFromMirror(UiState& st, uint64_t row, int mirrorCol) {
    if (row >= rows_.size()) return;
    const uint32_t slot = rows_[size_t(row)];
    if (st.focus != slot || !st.isSelected(slot) || st.selectedCount != 1) {
        st.clearSelection();
        st.select(slot, true);
    }
    st.focus = st.anchor = slot;
    if (mirrorCol >= 0 && size_t(mirrorCol) < mirrorCols_.size()) focusCol_ = mirrorCols_[size_t(mirrorCol)];
    st.scrollToFocus = true;
    navToFocus_ = true;
    ImGui::SetWindowFocus();   // the pane has the keyboard: the table's keys go on from this row
}

void UsersPanel::Draw(Session& s, UiState& st, Host& host) {
    host_ = &host;
    update(s.dir, host);
    // A screen reader put the DOM focus on a row (or cell) of the mirror's grid: ImGui's focus and
    // the selection go to that person (a11y::takeGridFocus; this table is the frame's first grid).
    uint64_t reqRow = 0;
    int reqCol = -1;
    if (a11y::takeGridFocus(reqRow, reqCol)) focusFromMirror(st, reqRow, reqCol);
    if (st.focusMain) {   // the keyboard comes to the table: to the focused person, else the first one shown
        st.focusMain = false;
        ImGui::SetWindowFocus();
        if (!rows_.empty()) {
            if (st.focus == kNone || !s.dir.userAlive(st.focus) || indexOf(st.focus) < 0) {
                const uint32_t slot = rows_[size_t(std::clamp<long>(first_, 0, long(rows_.size()) - 1))];
                st.clearSelection();
                st.select(slot, true);
                st.focus = st.anchor = slot;
            }
            st.scrollToFocus = true;
            navToFocus_ = true;
        }
    }
    drawToolbar(s, st, host);
    ImGui::Spacing();
    drawTable(s, st);
    handleKeys(s, st);
}

}  // namespace roster::ui
