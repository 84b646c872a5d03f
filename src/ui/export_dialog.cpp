#include "export_dialog.h"

#include <imgui.h>

#include <ctime>

#include "widgets.h"

namespace roster::ui {

void ExportDialog::Draw(Session& s, UiState& st, Host& host) {
    if (wantOpen_) {
        ImGui::OpenPopup("Export CSV");
        wantOpen_ = false;
    }
    if (!ImGui::BeginPopupModal("Export CSV", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted("Harness SEI user CSV: Full_Name, Email, attributes, one column per integration.");
    ImGui::TextDisabled("%s people and %s accounts; unassigned accounts are written as rows without an email.",
                        formatCount(s.dir.userCount()).c_str(), formatCount(s.dir.liveIdentityCount()).c_str());
    ImGui::Spacing();
    ImGui::Checkbox("UTF-8 BOM (for Excel)", &bom_);
    ImGui::Checkbox("Guard spreadsheet formulas (prefix ' to cells starting with = + - @)", &guard_);
    ImGui::Spacing();
    std::time_t now = std::time(nullptr);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
    std::string name = std::string("user_") + date + ".csv";
    if (primaryButton(("Save " + name).c_str())) {
        ExportOptions o;
        o.bom = bom_;
        o.formulaGuard = guard_;
        host.saveExport(name, exportSei(s.dir, o));
        st.notify("Exported " + name, host.nowSeconds());
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace roster::ui
