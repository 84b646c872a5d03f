#include "users_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

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
        auto key = [&](uint32_t slot) -> std::string_view {
            if (sortColumn_ == 0) return d.userName(slot);
            if (sortColumn_ == 1) return d.userEmail(slot);
            return {};
        };
        if (sortColumn_ == 2) {
            std::vector<uint32_t> counts(d.slotCount(), 0);
            for (const Identity& id : d.identities())
                if (id.alive && id.owner != kNone && id.owner < counts.size()) ++counts[id.owner];
            std::stable_sort(rows_.begin(), rows_.end(), [&](uint32_t a, uint32_t b) {
                return asc ? counts[a] < counts[b] : counts[a] > counts[b];
            });
        } else {
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
    float w = ImGui::CalcTextSize(addLabel).x + ImGui::CalcTextSize(delLabel.c_str()).x + ImGui::GetStyle().FramePadding.x * 4 +
              ImGui::GetStyle().ItemSpacing.x;
    ImGui::SameLine(right - w);
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

void UsersPanel::drawTable(Session& s, UiState& st) {
    const Directory& d = s.dir;
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortTristate | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable;
    if (!ImGui::BeginTable("users", 3, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoHide, 1.0f);
    ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Accounts", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                            ImGui::CalcTextSize("Accounts").x + ImGui::GetFontSize() * 1.5f);
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount == 0) {
            sortColumn_ = -1;
        } else {
            sortColumn_ = specs->Specs[0].ColumnIndex;
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
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), rowH);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            uint32_t slot = rows_[size_t(i)];
            ImGui::TableNextRow(ImGuiTableRowFlags_None, rowH);
            ImGui::TableNextColumn();
            ImGui::PushID(int(slot));
            bool sel = st.isSelected(slot);
            std::string_view name = d.userName(slot);
            ImGui::AlignTextToFramePadding();
            if (ImGui::Selectable("##row", sel, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap,
                                  ImVec2(0, rowH)))
                clickRow(st, slot, size_t(i));
            if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) st.focus = slot;
            ImGui::SameLine();
            if (name.empty()) ImGui::TextDisabled("(no name)");
            else ImGui::TextUnformatted(name.data(), name.data() + name.size());
            ImGui::TableNextColumn();
            std::string_view email = d.userEmail(slot);
            ImGui::AlignTextToFramePadding();
            if (email.empty()) ImGui::TextDisabled("(no email)");
            else ImGui::TextUnformatted(email.data(), email.data() + email.size());
            ImGui::TableNextColumn();
            uint32_t n = 0;
            d.identitiesOf(slot, n);
            ImGui::AlignTextToFramePadding();
            if (n) ImGui::Text("%u", n);
            else ImGui::TextDisabled("0");
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

void UsersPanel::Draw(Session& s, UiState& st, Host& host) {
    drawToolbar(s, st, host);
    ImGui::Spacing();
    drawTable(s, st);
    handleKeys(s, st);
}

}  // namespace roster::ui
