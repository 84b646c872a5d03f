// The merge dialog (see merge_dialog.h).
#include "merge_dialog.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "a11y.h"
#include "identities.h"
#include "ui_commands.h"
#include "widgets.h"

namespace roster::ui {

namespace {

ImGuiID popupId() { return ImHashStr("roster-merge-dialog"); }
std::string uidOf(const Directory& d, uint32_t slot) { return formatUserId(d.userId(slot)); }

}  // namespace

void MergeDialog::Draw(Session& s, UiState& st, Host& host) {
    if (!st.mergeRequest.empty()) {   // a panel asked for the dialog (UiState::requestMerge)
        slots_ = std::move(st.mergeRequest);
        st.mergeRequest.clear();
        keep_ = st.mergeRequestKeep;
        choice_.clear();
        focusMerge_ = true;
        ImGui::OpenPopupEx(popupId());
    }
    const ImGuiID id = popupId();
    if (!ImGui::IsPopupOpen(id, ImGuiPopupFlags_AnyPopupLevel)) return;
    const Directory& d = s.dir;
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(ImGui::GetFontSize() * 30, 0), ImVec2(ImGui::GetFontSize() * 48, vp->WorkSize.y * 0.85f));
    if (!ImGui::BeginPopupEx(id, ImGuiWindowFlags_Modal | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar))
        return;
    a11y::dialogName("Merge people");
    // The people may have changed under the dialog (undo, API): keep the live ones.
    std::vector<uint32_t> live;
    for (uint32_t slot : slots_)
        if (d.userAlive(slot)) live.push_back(slot);
    if (live.size() < 2) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    if (std::find(live.begin(), live.end(), keep_) == live.end()) keep_ = live[0];
    ImGui::SetWindowFontScale(1.15f);
    ImGui::Text("Merge %zu people into one record", live.size());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Spacing();
    ImGui::TextDisabled("Keep the record of:");
    for (uint32_t slot : live) {
        ImGui::PushID(int(slot));
        uint32_t n = 0;
        d.identitiesOf(slot, n);
        std::string label = personLabel(d, slot) + "   ·   " + uidOf(d, slot) + ", " + std::to_string(n) + (n == 1 ? " account" : " accounts");
        if (ImGui::RadioButton(label.c_str(), keep_ == slot)) {
            keep_ = slot;
            choice_.clear();
        }
        ImGui::PopID();
    }
    ImGui::Spacing();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
    ImGui::TextDisabled("The others' accounts and alias emails move to this record, their emails become its aliases, and "
                        "values it lacks are filled in. Undo (Ctrl+Z) brings everyone back.");
    ImGui::PopTextWrapPos();
    std::vector<uint32_t> from;
    for (uint32_t slot : live)
        if (slot != keep_) from.push_back(slot);
    std::vector<MergeConflict> conflicts = findMergeConflicts(d, keep_, from);
    ImGui::Spacing();
    if (conflicts.empty()) {
        ImGui::TextColored(colorOk(), "No conflicting values.");
    } else {
        ImGui::SeparatorText(conflicts.size() == 1 ? "Choose the value to keep" : "Choose the values to keep");
        if (ImGui::BeginTable("conflicts", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX)) {
            ImGui::TableSetupColumn("Attribute", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
            ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch);
            for (const MergeConflict& c : conflicts) {
                ImGui::PushID(c.key.c_str());
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::AlignTextToFramePadding();
                ImGui::TextUnformatted(c.label.c_str());
                ImGui::TableNextColumn();
                int& pick = choice_[c.key];
                if (pick < 0 || pick >= int(c.values.size())) pick = 0;
                for (int i = 0; i < int(c.values.size()); ++i) {
                    ImGui::PushID(i);
                    ImGui::RadioButton(c.values[size_t(i)].c_str(), &pick, i);
                    ImGui::PopID();
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    std::string label = "Merge " + std::to_string(live.size()) + " people";
    if (focusMerge_) {
        focusMerge_ = false;
        focusNextItem(st.keyboardInUse);
    }
    if (primaryButton(label.c_str())) {
        std::map<std::string, std::string> values;
        for (const MergeConflict& c : conflicts) values[c.key] = c.values[size_t(std::max(0, choice_[c.key]))];
        std::vector<uint32_t> fromIds;
        for (uint32_t f : from) fromIds.push_back(d.userId(f));
        const uint32_t keep = keep_;
        MergeUsersCmd cmd(d.userId(keep), std::move(fromIds), std::move(values));
        CmdResult r = runUiCommand(s, st, host.nowSeconds(), cmd, "Merged " + std::to_string(live.size()) + " people into " + personLabel(s.dir, keep));
        if (r.ok) {
            st.clearSelection();
            st.select(keep, true);
            st.focus = st.anchor = keep;
            slots_.clear();
            ImGui::CloseCurrentPopup();
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        slots_.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace roster::ui
