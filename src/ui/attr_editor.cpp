// Attribute sections of the editor pane (issue 4): typed inline editing of a person's attributes,
// bulk edit of one attribute for a multi-selection, and the typed value widgets shared by panels.
#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "a11y.h"
#include "attributes.h"
#include "attributes_panel.h"
#include "sections.h"
#include "text.h"
#include "values.h"
#include "widgets.h"
#include "value_input.h"

namespace roster::ui {

// ---------------------------------------------------------------- the person's attributes

void AttributesSection::Draw(Session& s, UiState& st, Host& host, uint32_t slot) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    bool anyAttr = false;
    for (const AttrDef& a : defs) anyAttr = anyAttr || a.alive;
    ImGui::Spacing();
    ImGui::SeparatorText("Attributes");
    if (!anyAttr) {
        ImGui::TextDisabled("No attributes yet.");
        ImGui::SameLine();
        if (ImGui::SmallButton("Add one…")) st.view = View::Attributes;
        return;
    }
    if (slot_ != slot || bufs_.size() != defs.size()) {
        slot_ = slot;
        bufs_.assign(defs.size(), "");
        loaded_.assign(defs.size(), "");
        errors_.assign(defs.size(), "");
        for (uint32_t a = 0; a < defs.size(); ++a) bufs_[a] = loaded_[a] = std::string(d.attrValue(a, slot));
    }
    const float labelW = std::min(ImGui::GetContentRegionAvail().x * 0.38f, ImGui::GetFontSize() * 9);
    for (uint32_t a = 0; a < defs.size(); ++a) {
        const AttrDef& def = defs[a];
        if (!def.alive) continue;
        std::string_view cur = d.attrValue(a, slot);
        ImGui::PushID(int(a));
        std::string label = attrDisplayName(d, a);
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", label.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s · %s", std::string(d.s(def.key)).c_str(), attrTypeLabel(def.type));
        ImGui::SameLine(labelW);
        a11y::nextFieldLabel(label);
        if (st.focusEditor && st.focusEditorField == int(100 + a)) {   // Enter on this attribute's cell in the table
            st.focusEditor = false;
            focusNextItem(st.keyboardInUse);
        }
        bool commit = attrValueInput("val", s, def.type, bufs_[a], ImGui::GetContentRegionAvail().x);
        const bool active = ImGui::IsAnyItemActive() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
        // Follow changes made elsewhere (undo, bulk edit, API) unless the person is typing here.
        if (cur != loaded_[a] && !active) {
            bufs_[a] = loaded_[a] = std::string(cur);
            errors_[a].clear();
        }
        if (commit && bufs_[a] != cur) {
            SetAttributeCmd cmd({d.userId(slot)}, std::string(d.s(def.key)), bufs_[a]);
            CmdResult r = s.execute(cmd);
            if (r.ok) {
                errors_[a].clear();
                bufs_[a] = loaded_[a] = std::string(s.dir.attrValue(a, slot));
            } else {
                errors_[a] = r.error.message;
            }
        }
        if (!errors_[a].empty()) {
            ImGui::Indent(labelW);
            textWrappedColored(colorError(), errors_[a]);
            ImGui::Unindent(labelW);
        }
        // An email reference: show whom it names (or that it names nobody).
        if (def.type == AttrType::Email && !cur.empty() && errors_[a].empty()) {
            uint32_t t = d.findEmail(cur);
            ImGui::Indent(labelW);
            if (t == kNone) {
                ImGui::TextColored(colorWarn(), "matches nobody in the directory");
            } else {
                std::string who = personShortLabel(d, t);
                ImGui::TextDisabled("→");
                ImGui::SameLine();
                if (ImGui::SmallButton(who.c_str())) {
                    st.clearSelection();
                    st.select(t, true);
                    st.focus = st.anchor = t;
                    st.scrollToFocus = true;
                }
            }
            ImGui::Unindent(labelW);
        }
        ImGui::PopID();
    }
    (void)host;
}

// ---------------------------------------------------------------- bulk edit

void BulkEdit::Draw(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    std::vector<uint32_t> slots = st.selectedSlots();
    slots.erase(std::remove_if(slots.begin(), slots.end(), [&](uint32_t x) { return !d.userAlive(x); }), slots.end());
    if (slots.size() < 2) return;
    ImGui::Spacing();
    ImGui::SeparatorText(("Set an attribute for " + formatCount(slots.size()) + " people").c_str());
    bool anyAttr = false;
    for (const AttrDef& a : defs) anyAttr = anyAttr || a.alive;
    if (!anyAttr) {
        ImGui::TextDisabled("No attributes yet.");
        return;
    }
    if (attr_ >= defs.size() || !defs[attr_].alive) {
        attr_ = kNone;
        for (uint32_t a = 0; a < defs.size() && attr_ == kNone; ++a)
            if (defs[a].alive) attr_ = a;
        value_.clear();
        error_.clear();
    }
    const float labelW = ImGui::CalcTextSize("Attribute").x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Attribute");
    ImGui::SameLine(labelW);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##bulkattr", attrDisplayName(d, attr_).c_str())) {
        for (uint32_t a = 0; a < defs.size(); ++a) {
            if (!defs[a].alive) continue;
            ImGui::PushID(int(a));
            if (ImGui::Selectable(attrDisplayName(d, a).c_str(), a == attr_)) {
                attr_ = a;
                value_.clear();
                error_.clear();
            }
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    const AttrDef& def = defs[attr_];
    // Summary of the current values among the selection.
    uint32_t blank = 0;
    std::string_view common;
    bool same = true;
    for (uint32_t x : slots) {
        std::string_view v = d.attrValue(attr_, x);
        if (v.empty()) ++blank;
        if (x == slots[0]) common = v;
        else if (v != common) same = false;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Value");
    ImGui::SameLine(labelW);
    bool enter = attrValueInput("bulkvalue", s, def.type, value_, ImGui::GetContentRegionAvail().x);
    (void)enter;   // committing needs an explicit Set: it touches many people
    if (same) ImGui::TextDisabled(common.empty() ? "All of them are blank." : "All of them have \"%.*s\".", int(common.size()), common.data());
    else ImGui::TextDisabled("Values differ; %s blank.", formatCount(blank).c_str());
    auto run = [&](const std::string& v) {
        std::vector<uint32_t> ids;
        ids.reserve(slots.size());
        for (uint32_t x : slots) ids.push_back(d.userId(x));
        SetAttributeCmd cmd(std::move(ids), std::string(d.s(def.key)), v);
        CmdResult r = s.execute(cmd);
        if (r.ok) {
            error_.clear();
            st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
        } else {
            error_ = r.error.message;
        }
    };
    std::string setLabel = "Set for " + formatCount(slots.size());
    ImGui::BeginDisabled(trim(value_).empty());
    if (primaryButton(setLabel.c_str())) run(value_);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(blank == slots.size());
    if (ImGui::Button(("Clear for " + formatCount(slots.size())).c_str())) run("");
    ImGui::EndDisabled();
    if (!error_.empty()) textWrappedColored(colorError(), error_);
}

}  // namespace roster::ui
