#include "users_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "attributes.h"
#include "attributes_panel.h"
#include "filter.h"
#include "text.h"
#include "widgets.h"

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

int compareFolded(std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace

void UsersPanel::rebuild(const Directory& d) {
    std::string needle(trim(search_));
    const bool narrowing = !builtSearch_.empty() && needle.size() > builtSearch_.size() &&
                           needle.compare(0, builtSearch_.size(), builtSearch_) == 0 && builtRev_ == d.revision();
    std::vector<uint32_t> next;
    if (narrowing) {
        // The query grew: only rows that matched before can match now.
        next.reserve(rows_.size());
        for (uint32_t slot : rows_)
            if (containsFolded(d.userName(slot), needle) || containsFolded(d.userEmail(slot), needle)) next.push_back(slot);
    } else {
        next.reserve(d.userCount());
        for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
            if (!d.userAlive(slot)) continue;
            if (needle.empty() || containsFolded(d.userName(slot), needle) || containsFolded(d.userEmail(slot), needle))
                next.push_back(slot);
        }
        sortDirty_ = true;
    }
    rows_.swap(next);
    if (sortDirty_ && sortColumn_ >= 0) {
        const bool asc = sortAscending_;
        if (sortColumn_ == 2) {
            std::vector<uint32_t> counts(d.slotCount(), 0);
            for (const Identity& id : d.identities())
                if (id.alive && id.owner != kNone && id.owner < counts.size()) ++counts[id.owner];
            std::stable_sort(rows_.begin(), rows_.end(), [&](uint32_t a, uint32_t b) {
                return asc ? counts[a] < counts[b] : counts[a] > counts[b];
            });
        } else if (sortColumn_ >= 100 && uint32_t(sortColumn_ - 100) < d.attrDefs().size()) {
            // Typed: numbers as numbers, dates as dates (ISO text sorts right), text ignoring case;
            // blanks (and unparsable numbers) always last.
            const uint32_t attr = uint32_t(sortColumn_ - 100);
            if (d.attrDefs()[attr].type == AttrType::Number) {
                std::vector<double> key(d.slotCount(), 0);
                std::vector<uint8_t> has(d.slotCount(), 0);
                for (uint32_t slot : rows_) has[slot] = parseNumberValue(d.attrValue(attr, slot), key[slot]);
                std::stable_sort(rows_.begin(), rows_.end(), [&](uint32_t a, uint32_t b) {
                    if (has[a] != has[b]) return has[a] > has[b];
                    if (!has[a]) return false;
                    return asc ? key[a] < key[b] : key[a] > key[b];
                });
            } else {
                std::stable_sort(rows_.begin(), rows_.end(), [&](uint32_t a, uint32_t b) {
                    std::string_view x = d.attrValue(attr, a), y = d.attrValue(attr, b);
                    if (x.empty() != y.empty()) return y.empty();
                    int c = compareFolded(x, y);
                    return asc ? c < 0 : c > 0;
                });
            }
        } else {
            auto key = [&](uint32_t slot) -> std::string_view {
                if (sortColumn_ == 0) return d.userName(slot);
                if (sortColumn_ == 1) return d.userEmail(slot);
                return {};
            };
            std::stable_sort(rows_.begin(), rows_.end(), [&](uint32_t a, uint32_t b) {
                int c = compareFolded(key(a), key(b));
                return asc ? c < 0 : c > 0;
            });
        }
    }
    sortDirty_ = false;
    builtRev_ = d.revision();
    builtSearch_ = needle;
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
    if (st.focusSearch) {
        ImGui::SetKeyboardFocusHere();
        st.focusSearch = false;
    }
    ImGui::SetNextItemWidth(std::min(420.0f * ImGui::GetFontSize() / 16.0f, ImGui::GetContentRegionAvail().x * 0.45f));
    ImGui::InputTextWithHint("##search", "Search name or email  (Ctrl+F)", &search_);
    ImGui::SameLine();
    if (!search_.empty() && ImGui::SmallButton("Clear")) search_.clear();
    if (!search_.empty()) ImGui::SameLine();
    ImGui::TextDisabled("%s of %s", formatCount(rows_.size()).c_str(), formatCount(d.userCount()).c_str());

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
    auto move = [&](long delta) {
        auto it = std::find(rows_.begin(), rows_.end(), st.focus);
        long i = it == rows_.end() ? -1 : long(it - rows_.begin());
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
    };
    if (ImGui::IsKeyPressed(ImGuiKey_DownArrow)) move(1);
    if (ImGui::IsKeyPressed(ImGuiKey_UpArrow)) move(-1);
    if (ImGui::IsKeyPressed(ImGuiKey_PageDown)) move(20);
    if (ImGui::IsKeyPressed(ImGuiKey_PageUp)) move(-20);
    if (ImGui::IsKeyPressed(ImGuiKey_Home) && ImGui::GetIO().KeyCtrl) move(-long(rows_.size()));
    if (ImGui::IsKeyPressed(ImGuiKey_End) && ImGui::GetIO().KeyCtrl) move(long(rows_.size()));
    if (ImGui::IsKeyPressed(ImGuiKey_Delete) && st.selectedCount) st.confirmDelete = true;
    if (ImGui::IsKeyPressed(ImGuiKey_Escape)) st.clearSelection();
    (void)s;
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
        if (ImGui::SmallButton("Show all"))
            for (uint32_t a = 0; a < defs.size(); ++a) if (defs[a].alive) attrShown_[a] = 1;
        ImGui::SameLine();
        if (ImGui::SmallButton("Hide all"))
            for (uint32_t a = 0; a < defs.size(); ++a) if (defs[a].alive) attrShown_[a] = 2;
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

void UsersPanel::drawTable(Session& s, UiState& st) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable;
    // Column n >= 3 is attribute n - 3 (attribute indexes never move, so widths and order stick).
    const uint32_t nAttrCols = std::min<uint32_t>(uint32_t(defs.size()), 500);
    uint32_t shownAttrs = 0;
    for (uint32_t a = 0; a < nAttrCols; ++a) shownAttrs += attrShown(d, a);
    if (!ImGui::BeginTable("users", int(3 + nAttrCols), flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    const float em = ImGui::GetFontSize();
    // With few columns the table stretches to the pane; with many it scrolls sideways.
    const ImGuiTableColumnFlags stretch = shownAttrs <= 2 ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
    ImGui::TableSetupColumn("Name", stretch | ImGuiTableColumnFlags_NoHide, shownAttrs <= 2 ? 1.0f : em * 12, 0);
    ImGui::TableSetupColumn("Email", stretch, shownAttrs <= 2 ? 1.3f : em * 15, 1);
    ImGui::TableSetupColumn("Accounts", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                            ImGui::CalcTextSize("Accounts").x + em * 1.5f, 2);
    for (uint32_t a = 0; a < nAttrCols; ++a) {
        ImGuiTableColumnFlags cf = ImGuiTableColumnFlags_NoHide | stretch;
        if (!attrShown(d, a)) cf |= ImGuiTableColumnFlags_Disabled;
        if (defs[a].type == AttrType::Number) cf |= ImGuiTableColumnFlags_PreferSortDescending;
        std::string label = defs[a].alive ? attrDisplayName(d, a) : std::string("(deleted)");
        ImGui::TableSetupColumn(label.c_str(), cf, shownAttrs <= 2 ? 0.8f : em * 9, ImGuiID(100 + a));
    }
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount == 0) {
            sortColumn_ = -1;
        } else {
            sortColumn_ = int(specs->Specs[0].ColumnUserID);
            sortAscending_ = specs->Specs[0].SortDirection != ImGuiSortDirection_Descending;
        }
        specs->SpecsDirty = false;
        sortDirty_ = true;
        builtRev_ = 0;   // full rebuild keeps directory order as the base of a stable sort
    }
    if (builtRev_ != d.revision() || builtSearch_ != std::string(trim(search_)) || sortDirty_) rebuild(d);

    const float rowH = ImGui::GetFrameHeight();
    if (st.scrollToFocus && st.focus != kNone) {
        auto it = std::find(rows_.begin(), rows_.end(), st.focus);
        if (it != rows_.end()) {
            float y = float(it - rows_.begin()) * rowH;
            float top = ImGui::GetScrollY(), visible = ImGui::GetWindowHeight() - rowH * 2;
            if (y < top) ImGui::SetScrollY(y);
            else if (y + rowH > top + visible) ImGui::SetScrollY(y + rowH - visible);
        }
        st.scrollToFocus = false;
    }
    if (editSlot_ != kNone && (!d.userAlive(editSlot_) || editAttr_ >= defs.size() || !defs[editAttr_].alive)) editSlot_ = editAttr_ = kNone;
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), rowH);
    if (editSlot_ != kNone) {
        auto it = std::find(rows_.begin(), rows_.end(), editSlot_);
        if (it != rows_.end()) clipper.IncludeItemByIndex(int(it - rows_.begin()));
    }
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            uint32_t slot = rows_[size_t(i)];
            ImGui::TableNextRow(ImGuiTableRowFlags_None, rowH);
            ImGui::TableSetColumnIndex(0);
            ImGui::PushID(int(slot));
            bool sel = st.isSelected(slot);
            std::string_view name = d.userName(slot);
            ImGui::AlignTextToFramePadding();
            if (ImGui::Selectable("##row", sel, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap,
                                  ImVec2(0, rowH)))
                clickRow(st, slot, size_t(i));
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
            if (editSlot_ == kNone && ImGui::IsItemHovered() && hoveredColumn(int(3 + nAttrCols)) >= 3)
                ImGui::SetItemTooltip("Double-click to edit");
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
                uint32_t n = 0;
                d.identitiesOf(slot, n);
                ImGui::AlignTextToFramePadding();
                if (n) ImGui::Text("%u", n);
                else ImGui::TextDisabled("0");
            }
            for (uint32_t a = 0; a < nAttrCols; ++a) {
                if (!attrShown_[a] || attrShown_[a] != 1 || !defs[a].alive) continue;
                if (!ImGui::TableSetColumnIndex(int(3 + a))) continue;
                ImGui::PushID(int(a));
                drawAttrCell(s, st, slot, a);
                ImGui::PopID();
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

void UsersPanel::Draw(Session& s, UiState& st, Host& host) {
    host_ = &host;
    drawToolbar(s, st, host);
    ImGui::Spacing();
    drawTable(s, st);
    handleKeys(s, st);
}

}  // namespace roster::ui
