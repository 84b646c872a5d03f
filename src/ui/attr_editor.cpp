// Attribute sections of the editor pane (issue 4).
#include <imgui.h>

#include "sections.h"
#include "widgets.h"

namespace roster::ui {

void drawAttributesSection(Session& s, UiState& st, Host& host, uint32_t slot) {
    (void)st; (void)host;
    const Directory& d = s.dir;
    bool anyAttr = false;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) anyAttr = anyAttr || d.attrDefs()[a].alive;
    if (!anyAttr) return;
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

void drawBulkEdit(Session& s, UiState& st, Host& host) { (void)s; (void)st; (void)host; }

}  // namespace roster::ui
