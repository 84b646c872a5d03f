// Account and alias sections of the editor pane (issue 5).
#include <imgui.h>

#include "sections.h"
#include "widgets.h"

namespace roster::ui {

void drawAccountsSection(Session& s, UiState& st, Host& host, uint32_t slot) {
    (void)st; (void)host;
    const Directory& d = s.dir;
    auto aliases = d.aliasesOf(slot);
    if (!aliases.empty()) {
        ImGui::Spacing();
        ImGui::SeparatorText("Other emails (aliases)");
        for (uint32_t ai : aliases) ImGui::BulletText("%s", std::string(d.s(d.aliases()[ai].email)).c_str());
    }
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
        }
        ImGui::EndTable();
    }
}

void drawSelectionActions(Session& s, UiState& st, Host& host) { (void)s; (void)st; (void)host; }

}  // namespace roster::ui
