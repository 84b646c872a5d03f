#include "editor_panel.h"

#include "a11y.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "sections.h"
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
    // Esc with no field being edited (Esc in a field gives it its value back and ends the edit):
    // the keyboard goes back to the table.
    const bool fieldActive = ImGui::IsAnyItemActive();
    struct EscBack {
        UiState& st;
        bool fieldActive;
        ~EscBack() {
            if (!fieldActive && ImGui::IsKeyPressed(ImGuiKey_Escape, false) && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
                !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel))
                st.focusMain = true;
        }
    } escBack{st, fieldActive};
    if (st.focus == kNone || !d.userAlive(st.focus)) {
        st.focusEditor = false;
        loadedSlot_ = kNone;
        ImGui::Spacing();
        if (st.selectedCount > 1) {
            ImGui::Text("%s users selected", formatCount(st.selectedCount).c_str());
            ImGui::Spacing();
            AccountsSection::DrawSelectionActions(s, st, host);
            bulk_.Draw(s, st, host);
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
    // Enter in the table: edit this person, from the field of the table's focused cell (the name
    // from Name and Accounts, the email, an attribute: AttributesSection takes it).
    const int field = st.focusEditor ? st.focusEditorField : -1;
    if (field >= 100 && (uint32_t(field - 100) >= d.attrDefs().size() || !d.attrDefs()[uint32_t(field - 100)].alive)) st.focusEditorField = 0;
    if (st.focusEditor && st.focusEditorField != 1 && st.focusEditorField < 100) {
        st.focusEditor = false;
        ImGui::SetWindowFocus();
        focusNextItem(st.keyboardInUse);
    }
    if (ImGui::InputText("##name", &name_, ImGuiInputTextFlags_EnterReturnsTrue)) commit(true);
    a11y::field("Name", name_);
    editingName_ = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) commit(true);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Email");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    if (st.focusEditor && st.focusEditorField == 1) {
        st.focusEditor = false;
        ImGui::SetWindowFocus();
        focusNextItem(st.keyboardInUse);
    }
    if (ImGui::InputText("##email", &email_, ImGuiInputTextFlags_EnterReturnsTrue)) commit(false);
    a11y::field("Email", email_);
    editingEmail_ = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) commit(false);
    if (!error_.empty()) textWrappedColored(colorError(), error_);

    attributes_.Draw(s, st, host, slot);
    st.focusEditor = false;   // (taken above, or by the attribute's field)
    // A multi-selection with a focused person: the bulk editor follows the person's attributes.
    if (st.selectedCount > 1 && st.isSelected(slot)) bulk_.Draw(s, st, host);
    accounts_.Draw(s, st, host, slot);

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    if (dangerButton(st.selectedCount > 1 ? "Delete selected" : "Delete person")) st.confirmDelete = true;
    (void)host;
}

}  // namespace roster::ui
