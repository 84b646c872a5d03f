#include "editor_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "widgets.h"

namespace roster::ui {

void EditorPanel::load(const Directory& d, uint32_t slot) {
    loadedSlot_ = slot;
    loadedRev_ = d.revision();
    name_ = std::string(d.userName(slot));
    email_ = std::string(d.userEmail(slot));
    error_.clear();
}

void EditorPanel::Draw(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (st.focus == kNone || !d.userAlive(st.focus)) {
        loadedSlot_ = kNone;
        ImGui::Spacing();
        if (st.selectedCount > 1) {
            ImGui::Text("%s users selected", formatCount(st.selectedCount).c_str());
            ImGui::Spacing();
            if (dangerButton("Delete selected")) st.confirmDelete = true;
        } else {
            ImGui::TextDisabled("Select a person to see and edit their record.");
        }
        return;
    }
    const uint32_t slot = st.focus;
    // Reload the buffers when another person is focused, or the record changed (undo, API) while
    // the person is not typing in it.
    if (loadedSlot_ != slot || (loadedRev_ != d.revision() && !editingName_ && !editingEmail_)) load(d, slot);

    if (st.selectedCount > 1) ImGui::TextDisabled("%s   ·   %s selected", formatUserId(d.userId(slot)).c_str(), formatCount(st.selectedCount).c_str());
    else ImGui::TextDisabled("%s", formatUserId(d.userId(slot)).c_str());

    auto commit = [&](bool nameField) {
        std::string* n = nameField ? &name_ : nullptr;
        std::string* e = nameField ? nullptr : &email_;
        if ((nameField && name_ == d.userName(slot)) || (!nameField && email_ == d.userEmail(slot))) return;
        UpdateUserCmd cmd(d.userId(slot), n, e);
        CmdResult r = s.execute(cmd);
        if (!r.ok) error_ = r.error.message;
        else { error_.clear(); load(s.dir, slot); }
    };
    const float labelW = ImGui::CalcTextSize("Email").x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Name");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##name", &name_, ImGuiInputTextFlags_EnterReturnsTrue)) commit(true);
    editingName_ = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) commit(true);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Email");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##email", &email_, ImGuiInputTextFlags_EnterReturnsTrue)) commit(false);
    editingEmail_ = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) commit(false);
    if (!error_.empty()) textWrappedColored(colorError(), error_);

    // Aliases
    auto aliases = d.aliasesOf(slot);
    if (!aliases.empty()) {
        ImGui::Spacing();
        ImGui::SeparatorText("Other emails (aliases)");
        for (uint32_t ai : aliases) ImGui::BulletText("%s", std::string(d.s(d.aliases()[ai].email)).c_str());
    }

    // Attributes
    bool anyAttr = false;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) anyAttr = anyAttr || d.attrDefs()[a].alive;
    if (anyAttr) {
        ImGui::Spacing();
        ImGui::SeparatorText("Attributes");
        if (ImGui::BeginTable("attrs", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
            ImGui::TableSetupColumn("Attribute", ImGuiTableColumnFlags_WidthStretch, 0.8f);
            ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.2f);
            for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
                const AttrDef& def = d.attrDefs()[a];
                if (!def.alive) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                std::string_view label = d.s(def.label).empty() ? d.s(def.key) : d.s(def.label);
                ImGui::TextDisabled("%.*s", int(label.size()), label.data());
                ImGui::TableNextColumn();
                std::string_view v = d.attrValue(a, slot);
                if (v.empty()) ImGui::TextDisabled("—");
                else ImGui::TextWrapped("%.*s", int(v.size()), v.data());
            }
            ImGui::EndTable();
        }
    }

    // Accounts
    ImGui::Spacing();
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    ImGui::SeparatorText(("Accounts (" + std::to_string(n) + ")").c_str());
    if (n == 0) ImGui::TextDisabled("No accounts in any integration yet.");
    else if (ImGui::BeginTable("accounts", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("Integration", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableHeadersRow();
        for (uint32_t i = 0; i < n; ++i) {
            const Identity& id = d.identities()[list[i]];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            std::string_view integ = d.s(d.integrations()[id.integ].name);
            ImGui::TextUnformatted(integ.data(), integ.data() + integ.size());
            ImGui::TableNextColumn();
            std::string_view acc = d.s(id.account);
            ImGui::TextUnformatted(acc.data(), acc.data() + acc.size());
            if (!id.display.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(d.s(id.display)).c_str());
        }
        ImGui::EndTable();
    }

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    if (dangerButton(st.selectedCount > 1 ? "Delete selected" : "Delete person")) st.confirmDelete = true;
    (void)host;
}

}  // namespace roster::ui
