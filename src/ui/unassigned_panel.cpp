#include "unassigned_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "text.h"
#include "widgets.h"

namespace roster::ui {

void UnassignedPanel::Draw(Session& s, UiState& st) {
    const Directory& d = s.dir;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    std::string currentName = integFilter_ < 0 ? "All integrations" : std::string(d.s(d.integrations()[integFilter_].name));
    if (ImGui::BeginCombo("##integ", currentName.c_str())) {
        if (ImGui::Selectable("All integrations", integFilter_ < 0)) integFilter_ = -1;
        for (int i = 0; i < int(d.integrations().size()); ++i) {
            if (!d.integrations()[i].alive) continue;
            std::string n(d.s(d.integrations()[i].name));
            if (ImGui::Selectable(n.c_str(), integFilter_ == i)) integFilter_ = i;
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
    ImGui::InputTextWithHint("##usearch", "Search account or name", &search_);
    if (builtRev_ != d.revision() || builtFilter_ != integFilter_ || builtSearch_ != search_) {
        rows_.clear();
        std::string needle = toLowerAscii(trim(search_));
        for (uint32_t i = 0; i < d.identities().size(); ++i) {
            const Identity& id = d.identities()[i];
            if (!id.alive || id.owner != kNone) continue;
            if (integFilter_ >= 0 && id.integ != uint32_t(integFilter_)) continue;
            if (!needle.empty() && toLowerAscii(d.s(id.account)).find(needle) == std::string::npos &&
                toLowerAscii(d.s(id.display)).find(needle) == std::string::npos)
                continue;
            rows_.push_back(i);
        }
        builtRev_ = d.revision();
        builtFilter_ = integFilter_;
        builtSearch_ = search_;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s accounts", formatCount(rows_.size()).c_str());
    ImGui::Spacing();
    if (rows_.empty()) {
        ImGui::Spacing();
        ImGui::TextDisabled("No unassigned accounts%s.", search_.empty() && integFilter_ < 0 ? "" : " match");
        ImGui::TextDisabled("Accounts from SEI export rows with a blank email land here, so none is ever dropped.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_Resizable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("unassigned", 3, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Integration", ImGuiTableColumnFlags_WidthStretch, 0.6f);
    ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Name seen", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    const float rowH = ImGui::GetFrameHeight();
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), rowH);
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const Identity& id = d.identities()[rows_[size_t(r)]];
            ImGui::TableNextRow(0, rowH);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            std::string_view in = d.s(d.integrations()[id.integ].name);
            ImGui::TextUnformatted(in.data(), in.data() + in.size());
            ImGui::TableNextColumn();
            std::string_view acc = d.s(id.account);
            ImGui::TextUnformatted(acc.data(), acc.data() + acc.size());
            ImGui::TableNextColumn();
            std::string_view dn = d.s(id.display);
            if (dn.empty()) ImGui::TextDisabled("—");
            else ImGui::TextUnformatted(dn.data(), dn.data() + dn.size());
        }
    ImGui::EndTable();
    (void)st;
}

}  // namespace roster::ui
