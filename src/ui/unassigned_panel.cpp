#include "unassigned_panel.h"

#include "a11y.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <misc/cpp/imgui_stdlib.h>

#include "collate.h"
#include "identities.h"
#include "normalize.h"
#include "text.h"
#include "ui_commands.h"
#include "widgets.h"

namespace roster::ui {

void UnassignedPanel::Draw(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    if (integFilter_ >= int(d.integrations().size())) integFilter_ = -1;
    std::string currentName = integFilter_ < 0 ? "All integrations" : std::string(d.s(d.integrations()[size_t(integFilter_)].name));
    const ImGuiID integCombo = ImGui::GetID("##integ");
    if (ImGui::BeginCombo("##integ", currentName.c_str())) {
        if (ImGui::Selectable("All integrations", integFilter_ < 0)) integFilter_ = -1;
        for (int i = 0; i < int(d.integrations().size()); ++i) {
            if (!d.integrations()[size_t(i)].alive) continue;
            std::string n(d.s(d.integrations()[size_t(i)].name));
            if (ImGui::Selectable(n.c_str(), integFilter_ == i)) integFilter_ = i;
        }
        ImGui::EndCombo();
    }
    a11y::nameItem(integCombo, "Integration: " + currentName, "combobox");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    ImGui::InputTextWithHint("##usearch", "Search account or name", &search_);
    a11y::field("Search account or name", search_);
    // The keyboard comes to the view (Alt+2): the first account's "Assign to…" (Tab goes on through
    // the accounts' buttons), or the first control when there is none.
    if (st.focusMain) {
        st.focusMain = false;
        focusFirstRow_ = true;
    }
    ImGui::SameLine();
    ImGui::Checkbox("Hide excluded", &hideExcluded_);
    if (builtRev_ != d.revision() || builtFilter_ != integFilter_ || builtSearch_ != search_ || builtHide_ != hideExcluded_) {
        rows_.clear();
        bot_.clear();
        const std::vector<std::string> patterns = botPatternList(d);
        std::string needle = toLowerAscii(trim(search_));
        for (uint32_t i = 0; i < d.identities().size(); ++i) {
            const Identity& id = d.identities()[i];
            if (!id.alive || id.owner != kNone) continue;
            if (integFilter_ >= 0 && id.integ != uint32_t(integFilter_)) continue;
            if (hideExcluded_ && (id.flags & kIdentExcluded)) continue;
            if (!needle.empty() && toLowerAscii(d.s(id.account)).find(needle) == std::string::npos &&
                toLowerAscii(d.s(id.display)).find(needle) == std::string::npos)
                continue;
            rows_.push_back(i);
            bot_.push_back(identityLooksLikeBot(d, i, patterns) ? 1 : 0);
        }
        builtRev_ = d.revision();
        builtFilter_ = integFilter_;
        builtSearch_ = search_;
        builtHide_ = hideExcluded_;
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s accounts", formatCount(rows_.size()).c_str());
    ImGui::Spacing();
    if (rows_.empty()) {
        if (focusFirstRow_) {   // nothing to assign: the keyboard goes to the integration filter
            focusFirstRow_ = false;
            ImGui::SetWindowFocus();
            ImGui::SetFocusID(integCombo, ImGui::GetCurrentWindow());
            if (st.keyboardInUse) showFocusHighlight();
        }
        ImGui::Spacing();
        ImGui::TextDisabled("No unassigned accounts%s.", search_.empty() && integFilter_ < 0 ? "" : " match");
        ImGui::TextDisabled("Accounts from SEI export rows with a blank email land here, so none is ever dropped.");
        return;
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float actionsW = ImGui::CalcTextSize("Assign to…").x + ImGui::CalcTextSize("Include").x + style.FramePadding.x * 4 + style.ItemSpacing.x + 2;
    const ImGuiTableFlags flags = ImGuiTableFlags_Resizable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable("unassigned", 5, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Integration", ImGuiTableColumnFlags_WidthStretch, 0.55f);
    ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Name seen", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("likely bot").x + style.CellPadding.x * 2);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, actionsW);
    ImGui::TableHeadersRow();
    const float rowH = ImGui::GetFrameHeight() + style.CellPadding.y;
    uint32_t assignMe = kNone, toggleMe = kNone;
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), rowH);
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const uint32_t ii = rows_[size_t(r)];
            const Identity& id = d.identities()[ii];
            ImGui::PushID(int(ii));
            ImGui::TableNextRow(0, rowH);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            std::string_view in = d.s(d.integrations()[id.integ].name);
            ImGui::TextUnformatted(in.data(), in.data() + in.size());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            std::string_view acc = d.s(id.account);
            ImGui::TextUnformatted(acc.data(), acc.data() + acc.size());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            std::string_view dn = d.s(id.display);
            if (dn.empty()) ImGui::TextDisabled("—");
            else ImGui::TextUnformatted(dn.data(), dn.data() + dn.size());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            const bool excluded = id.flags & kIdentExcluded;
            if (excluded) ImGui::TextColored(colorMuted(), "excluded");
            else if (bot_[size_t(r)]) {
                ImGui::TextColored(colorWarn(), "likely bot");
                ImGui::SetItemTooltip("Looks like a bot or service account: exclude it so it is never suggested");
            }
            ImGui::TableNextColumn();
            // Named with the account for a screen reader: every row has these buttons.
            std::string what = std::string(in) + " \u201C" + std::string(acc) + "\u201D";
            if (!dn.empty() && dn != acc) what += " (" + std::string(dn) + ")";
            if (ImGui::SmallButton("Assign to…")) assignMe = ii;
            if (focusFirstRow_ && r == clipper.DisplayStart) {
                focusFirstRow_ = false;
                focusLastItem(st.keyboardInUse);
            }
            a11y::name("Assign to…: " + what);
            ImGui::SetItemTooltip("Give this account to a person");
            ImGui::SameLine();
            if (ImGui::SmallButton(excluded ? "Include" : "Exclude")) toggleMe = ii;
            a11y::name((excluded ? "Include: " : "Exclude: ") + what);
            ImGui::SetItemTooltip(excluded ? "Not a bot after all: offer it in suggestions again" : "Mark as a bot / service account: never suggested");
            ImGui::PopID();
        }
    ImGui::EndTable();
    if (toggleMe != kNone) {
        const Identity& id = d.identities()[toggleMe];
        bool excluded = id.flags & kIdentExcluded;
        std::string integ(d.s(d.integrations()[id.integ].name)), acc(d.s(id.account));
        IdentityCmd c = IdentityCmd::setExcluded(integ, acc, !excluded);
        runUiCommand(s, st, host.nowSeconds(), c,
                     excluded ? integ + " " + acc + " included again" : integ + " " + acc + " marked as bot / excluded");
    }
    if (assignMe != kNone) {
        assignIdent_ = assignMe;
        picker_ = PersonPicker();
        // Start from the name the export showed, if any.
        picker_.query = std::string(d.s(d.identities()[assignMe].display));
        openAssign_ = true;
    }
    if (openAssign_) {
        ImGui::OpenPopup("assign-account");
        openAssign_ = false;
    }
    if (ImGui::BeginPopup("assign-account")) {
        if (assignIdent_ < d.identities().size() && d.identities()[assignIdent_].alive && d.identities()[assignIdent_].owner == kNone) {
            const Identity& id = d.identities()[assignIdent_];
            std::string integ(d.s(d.integrations()[id.integ].name)), acc(d.s(id.account));
            ImGui::Text("Assign %s account %s to:", integ.c_str(), acc.c_str());
            uint32_t to = drawPersonPicker(s, picker_, kNone);
            if (to != kNone) {
                IdentityCmd c = IdentityCmd::assign(d.userId(to), integ, acc);
                runUiCommand(s, st, host.nowSeconds(), c,
                             "Assigned " + integ + " " + acc + " to " + personLabel(d, to));
                ImGui::CloseCurrentPopup();
            }
        } else {
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

}  // namespace roster::ui
