#include "export_dialog.h"

#include <imgui.h>

#include <algorithm>

#include "exporter.h"

#include "widgets.h"

namespace roster::ui {

void ExportDialog::Draw(Session& s, UiState& st, Host& host) {
    if (wantOpen_) {
        ImGui::OpenPopup("Export CSV");
        wantOpen_ = false;
    }
    if (!ImGui::BeginPopupModal("Export CSV", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const std::vector<ExportFormat>& formats = exportFormats();
    format_ = std::min(format_, formats.size() - 1);
    if (formats.size() > 1)
        for (size_t i = 0; i < formats.size(); ++i) {
            if (ImGui::RadioButton(formats[i].label, format_ == i)) format_ = i;
            if (i + 1 < formats.size()) ImGui::SameLine();
        }
    const ExportFormat& format = formats[format_];
    ImGui::Text("%s: %s", format.label, format.description);
    ImGui::TextDisabled("%s people and %s accounts; unassigned accounts are written as rows without an email.",
                        formatCount(s.dir.userCount()).c_str(), formatCount(s.dir.liveIdentityCount()).c_str());
    ImGui::Spacing();
    ImGui::Checkbox("UTF-8 BOM (for Excel)", &bom_);
    ImGui::Checkbox("Guard spreadsheet formulas (prefix ' to cells starting with = + - @)", &guard_);
    ImGui::Spacing();
    // The files are named after today (the format's writer names them); written when saved.
    const std::string stem = exportDateStem();
    const std::string name = format.id == std::string("sei") ? "user_" + stem + ".csv" : std::string(format.id) + "_" + stem;
    if (primaryButton(("Save " + name).c_str())) {
        ExportOptions o;
        o.bom = bom_;
        o.formulaGuard = guard_;
        for (ExportFile& f : format.write(s.dir, o, stem)) {
            host.saveExport(f.name, f.text);
            st.notify("Exported " + f.name, host.nowSeconds());
        }
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace roster::ui
