// The Attributes view: list, add, rename the label, change the type (reporting what would not
// convert before applying it), delete (with the count of values lost). Every edit is a command.
#include "attributes_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "attributes.h"
#include "orgunits.h"
#include "widgets.h"
#include "value_input.h"

namespace roster::ui {

static const AttrType kTypes[] = {AttrType::Text, AttrType::Number, AttrType::Date, AttrType::Boolean, AttrType::Email};

uint64_t AttributesPanel::navCount(const Session& s) {
    uint64_t n = 0;
    for (const AttrDef& a : s.dir.attrDefs()) n += a.alive;
    return n;
}

void AttributesPanel::refresh(const Session& s) {
    const Directory& d = s.dir;
    if (countsRev_ == d.revision() && counts_.size() == d.attrDefs().size()) return;
    counts_.assign(d.attrDefs().size(), 0);
    usedBy_.assign(d.attrDefs().size(), {});
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
        if (!d.attrDefs()[a].alive) continue;
        counts_[a] = attrValueCount(d, a);
        usedBy_[a] = orgUnitsUsingAttribute(d, d.s(d.attrDefs()[a].key));
    }
    countsRev_ = d.revision();
}

void AttributesPanel::drawAddForm(Session& s, UiState& st, Host& host) {
    const float em = ImGui::GetFontSize();
    ImGui::SeparatorText("Add an attribute");
    ImGui::SetNextItemWidth(em * 11);
    bool enter = ImGui::InputTextWithHint("##newkey", "key, e.g. team_name", &newKey_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 11);
    enter |= ImGui::InputTextWithHint("##newlabel", "label (optional)", &newLabel_, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 9);
    if (ImGui::BeginCombo("##newtype", attrTypeLabel(kTypes[newType_]))) {
        for (int i = 0; i < 5; ++i)
            if (ImGui::Selectable(attrTypeLabel(kTypes[i]), i == newType_)) newType_ = i;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (primaryButton("Add attribute") || enter) {
        AddAttributeCmd cmd(newKey_, newLabel_, kTypes[newType_]);
        CmdResult r = s.execute(cmd);
        if (r.ok) {
            st.notify("Added the attribute " + normalizeAttrKey(newKey_) + " — Ctrl+Z to undo", host.nowSeconds());
            newKey_.clear();
            newLabel_.clear();
            addError_.clear();
        } else {
            addError_ = r.error.message;
        }
    }
    if (!addError_.empty()) textWrappedColored(colorError(), addError_);
    ImGui::TextDisabled("Types: text, number, date (YYYY-MM-DD), yes / no, and person (an email naming someone, e.g. a manager).");
}

void AttributesPanel::Draw(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    const float em = ImGui::GetFontSize();
    refresh(s);

    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted("Attributes");
    ImGui::SetWindowFontScale(1.0f);
    ImGui::TextDisabled("Custom fields of every person, exported as SEI columns. Name and Email are built in.");
    ImGui::Spacing();
    drawAddForm(s, st, host);
    ImGui::Spacing();
    if (!error_.empty()) textWrappedColored(colorError(), error_);

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("attrs", 6, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Label", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("Key", ImGuiTableColumnFlags_WidthStretch, 1.1f);
    ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthFixed, em * 9.5f);
    ImGui::TableSetupColumn("Values", ImGuiTableColumnFlags_WidthFixed, em * 5);
    ImGui::TableSetupColumn("Used by org units", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 5);
    ImGui::TableHeadersRow();

    auto builtIn = [&](const char* label, const char* key, const char* type) {
        ImGui::TableNextRow(0, ImGui::GetFrameHeight());
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", key);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", type);
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", formatCount(d.userCount()).c_str());
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("built in");
    };
    builtIn("Name", "name", "Text");
    builtIn("Email", "email", "Email (unique)");

    for (uint32_t a = 0; a < defs.size(); ++a) {
        const AttrDef& def = defs[a];
        if (!def.alive) continue;
        ImGui::PushID(int(a));
        ImGui::TableNextRow(0, ImGui::GetFrameHeight());
        // Label: double-click (or F2-like "Rename") to edit in place.
        ImGui::TableNextColumn();
        if (editingLabel_ == a) {
            ImGui::SetNextItemWidth(-1);
            if (labelFocus_) { ImGui::SetKeyboardFocusHere(); labelFocus_ = false; }
            bool enter = ImGui::InputText("##label", &labelBuf_, ImGuiInputTextFlags_EnterReturnsTrue);
            if (ImGui::IsKeyPressed(ImGuiKey_Escape)) {
                editingLabel_ = kNone;
            } else if (enter || ImGui::IsItemDeactivatedAfterEdit()) {
                UpdateAttributeCmd cmd(std::string(d.s(def.key)), &labelBuf_, nullptr, false);
                CmdResult r = s.execute(cmd);
                error_ = r.ok ? "" : r.error.message;
                editingLabel_ = kNone;
            } else if (ImGui::IsItemDeactivated()) {
                editingLabel_ = kNone;
            }
        } else {
            std::string label = attrDisplayName(d, a);
            ImGui::AlignTextToFramePadding();
            ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick, ImVec2(0, ImGui::GetFrameHeight()));
            if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
                editingLabel_ = a;
                labelBuf_ = label;
                labelFocus_ = true;
            }
            ImGui::SetItemTooltip("Double-click to rename");
        }
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", std::string(d.s(def.key)).c_str());
        if (!d.s(def.header).empty() && d.s(def.header) != d.s(def.key) && ImGui::IsItemHovered())
            ImGui::SetTooltip("Exported as the SEI column \"%s\"", std::string(d.s(def.header)).c_str());
        // Type: changing it checks every value first.
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##type", attrTypeLabel(def.type))) {
            for (int i = 0; i < 5; ++i) {
                if (ImGui::Selectable(attrTypeLabel(kTypes[i]), kTypes[i] == def.type) && kTypes[i] != def.type) {
                    typeAttr_ = a;
                    typeTo_ = i;
                    typeFailures_ = typeConversionFailures(d, a, kTypes[i]);
                    if (typeFailures_.empty()) {
                        std::string key(d.s(def.key));
                        AttrType t = kTypes[i];
                        UpdateAttributeCmd cmd(key, nullptr, &t, false);
                        CmdResult r = s.execute(cmd);
                        if (r.ok) st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
                        error_ = r.ok ? "" : r.error.message;
                        typeAttr_ = kNone;
                    } else {
                        openType_ = true;
                    }
                }
            }
            ImGui::EndCombo();
        }
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        uint32_t n = a < counts_.size() ? counts_[a] : 0;
        if (n) ImGui::TextUnformatted(formatCount(n).c_str());
        else ImGui::TextDisabled("0");
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        if (a < usedBy_.size() && !usedBy_[a].empty()) {
            std::string list;
            for (size_t i = 0; i < usedBy_[a].size(); ++i) list += (i ? ", " : "") + usedBy_[a][i];
            ImGui::TextUnformatted(list.c_str());
        } else {
            ImGui::TextDisabled("—");
        }
        ImGui::TableNextColumn();
        if (ImGui::SmallButton("Delete…")) {
            deleteAttr_ = a;
            openDelete_ = true;
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    drawTypeModal(s, st, host);
    drawDeleteModal(s, st, host);
}

void AttributesPanel::drawTypeModal(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (openType_) {
        ImGui::OpenPopup("Change type?");
        openType_ = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Change type?", nullptr, 0)) return;
    if (typeAttr_ >= d.attrDefs().size() || !d.attrDefs()[typeAttr_].alive) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const AttrType to = kTypes[typeTo_];
    std::string name = attrDisplayName(d, typeAttr_);
    ImGui::TextWrapped("%s %s of %s would not convert to %s:", formatCount(typeFailures_.size()).c_str(),
                       typeFailures_.size() == 1 ? "value" : "values", name.c_str(), attrTypeLabel(to));
    ImGui::Spacing();
    if (ImGui::BeginTable("fails", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                          ImVec2(0, ImGui::GetFontSize() * 14))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Person", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.5f);
        ImGui::TableHeadersRow();
        ImGuiListClipper clip;
        clip.Begin(int(typeFailures_.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                uint32_t slot = typeFailures_[size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(personLabel(d, slot).c_str());
                ImGui::TableNextColumn();
                std::string_view v = d.attrValue(typeAttr_, slot);
                ImGui::TextColored(colorWarn(), "%.*s", int(v.size()), v.data());
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                if (ImGui::SmallButton("Show")) {
                    st.jumpTo(slot);
                    ImGui::CloseCurrentPopup();
                }
                ImGui::PopID();
            }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextWrapped("Fix these values first, or convert anyway: they will be cleared (Ctrl+Z brings them back).");
    ImGui::Spacing();
    std::string go = "Convert and clear " + formatCount(typeFailures_.size());
    if (dangerButton(go.c_str())) {
        std::string key(d.s(d.attrDefs()[typeAttr_].key));
        UpdateAttributeCmd cmd(key, nullptr, &to, true);
        CmdResult r = s.execute(cmd);
        if (r.ok) st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
        error_ = r.ok ? "" : r.error.message;
        typeAttr_ = kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        typeAttr_ = kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void AttributesPanel::drawDeleteModal(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (openDelete_) {
        ImGui::OpenPopup("Delete attribute?");
        openDelete_ = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 28, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Delete attribute?", nullptr, 0)) return;
    if (deleteAttr_ >= d.attrDefs().size() || !d.attrDefs()[deleteAttr_].alive) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    std::string name = attrDisplayName(d, deleteAttr_);
    uint32_t n = deleteAttr_ < counts_.size() ? counts_[deleteAttr_] : attrValueCount(d, deleteAttr_);
    ImGui::TextWrapped("Delete %s?", name.c_str());
    ImGui::Spacing();
    if (n) ImGui::TextWrapped("%s %s will be lost.", formatCount(n).c_str(), n == 1 ? "value" : "values");
    else ImGui::TextDisabled("Nobody has a value yet.");
    const auto& used = deleteAttr_ < usedBy_.size() ? usedBy_[deleteAttr_] : std::vector<std::string>{};
    if (!used.empty()) {
        std::string list;
        for (size_t i = 0; i < used.size(); ++i) list += (i ? ", " : "") + used[i];
        textWrappedColored(colorWarn(), "Used by the org units " + list + ": their filters will stop working until you edit them.");
    }
    ImGui::TextDisabled("You can undo this (Ctrl+Z).");
    ImGui::Spacing();
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (dangerButton("Delete")) {
        DeleteAttributeCmd cmd(std::string(d.s(d.attrDefs()[deleteAttr_].key)), true);
        CmdResult r = s.execute(cmd);
        if (r.ok) st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
        error_ = r.ok ? "" : r.error.message;
        deleteAttr_ = kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        deleteAttr_ = kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace roster::ui
