#include "export_dialog.h"

#include <imgui.h>

#include <algorithm>

#include "exporter.h"

#include "widgets.h"

namespace roster::ui {

namespace {

// The label of an attribute in the combos: its key, and its label when that differs.
std::string attrChoice(const Directory& d, uint32_t a) {
    const AttrDef& def = d.attrDefs()[a];
    std::string key(d.s(def.key)), label(d.s(def.label));
    return label.empty() || label == key ? key : key + " (" + label + ")";
}

}  // namespace

void ExportDialog::drawFields(Session& s) {
    const Directory& d = s.dir;
    ImGui::TextUnformatted("Fields: the attribute each column is filled from");
    if (ImGui::BeginTable("##exportFields", 2, ImGuiTableFlags_SizingFixedFit)) {
        for (auto& [header, key] : fields_) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(header.c_str());
            ImGui::TableNextColumn();
            const uint32_t chosen = key.empty() ? kNone : findAttrFolded(d, key);
            const std::string preview = chosen == kNone ? std::string("(blank column)") : attrChoice(d, chosen);
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
            if (ImGui::BeginCombo(("##field_" + header).c_str(), preview.c_str())) {
                if (ImGui::Selectable("(blank column)", chosen == kNone)) key.clear();
                for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
                    if (!d.attrDefs()[a].alive) continue;
                    ImGui::PushID(int(a));
                    if (ImGui::Selectable(attrChoice(d, a).c_str(), a == chosen)) key = std::string(d.s(d.attrDefs()[a].key));
                    ImGui::PopID();
                }
                ImGui::EndCombo();
            }
        }
        ImGui::EndTable();
    }
}

void ExportDialog::drawFindings(Session& s, UiState& st, const ExportOptions& o, bool& close) {
    const ExportFormat& format = exportFormats()[format_];
    if (checkedRevision_ != s.dir.revision() || checkedFormat_ != format_ || checkedFields_ != o.fields) {
        findings_ = format.check(s.dir, o);
        checkedRevision_ = s.dir.revision();
        checkedFormat_ = format_;
        checkedFields_ = o.fields;
    }
    if (findings_.empty()) {
        textWrappedColored(colorOk(), "Nothing here that SEI 2.0 refuses: every person has a name and an email, no email is on two rows, "
                                      "and every Manager Email is someone's Email with no reporting cycle.");
        return;
    }
    textWrappedColored(colorWarn(), std::to_string(findings_.size()) + (findings_.size() == 1 ? " thing" : " things") +
                                        " SEI 2.0 would refuse in this file. Fix them before uploading; the file is saved as it is if you ask.");
    // Up to 8 lines, and room for the horizontal scrollbar of long messages.
    const float h = ImGui::GetTextLineHeightWithSpacing() * float(std::min<size_t>(findings_.size(), 8)) + ImGui::GetStyle().ScrollbarSize +
                    ImGui::GetStyle().WindowPadding.y * 2;
    const float w = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 36);
    if (ImGui::BeginChild("##exportFindings", ImVec2(w, h), ImGuiChildFlags_Border, ImGuiWindowFlags_HorizontalScrollbar)) {
        ImGuiListClipper clipper;
        clipper.Begin(int(findings_.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const ExportFinding& f = findings_[size_t(i)];
                ImGui::PushID(i);
                if (!f.slots.empty() && ImGui::SmallButton("Show")) {
                    if (s.dir.userAlive(f.slots[0])) st.jumpTo(f.slots[0]);
                    close = true;
                }
                ImGui::SameLine();
                ImGui::TextColored(colorWarn(), "%s", f.code.c_str());
                ImGui::SameLine();
                ImGui::TextUnformatted(f.message.c_str());
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.message.c_str());
                ImGui::PopID();
            }
    }
    ImGui::EndChild();
}

void ExportDialog::Draw(Session& s, UiState& st, Host& host) {
    if (wantOpen_) {
        ImGui::OpenPopup("Export CSV");
        wantOpen_ = false;
        fieldsFormat_ = SIZE_MAX;   // the fields start from the format's defaults each time
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
    if (format.fields)
        ImGui::TextDisabled("%s people, one row each (accounts are not part of this file).", formatCount(s.dir.userCount()).c_str());
    else
        ImGui::TextDisabled("%s people and %s accounts; unassigned accounts are written as rows without an email.",
                            formatCount(s.dir.userCount()).c_str(), formatCount(s.dir.liveIdentityCount()).c_str());
    ImGui::Spacing();

    ExportOptions o;
    o.bom = bom_;
    o.formulaGuard = guard_;
    if (format.fields) {
        if (fieldsFormat_ != format_) {
            // Each field starts from the attribute the format would use by default.
            fields_.clear();
            for (const Sei2Field& f : format.fields()) {
                if (!f.defaultKey) continue;
                const uint32_t a = findAttrFolded(s.dir, f.defaultKey);
                fields_.emplace_back(f.header, a == kNone ? std::string() : std::string(s.dir.s(s.dir.attrDefs()[a].key)));
            }
            fieldsFormat_ = format_;
        }
        drawFields(s);
        ImGui::Spacing();
        o.fields = fields_;
    }
    bool close = false;
    if (format.check) {
        drawFindings(s, st, o, close);
        ImGui::Spacing();
    }

    ImGui::Checkbox("UTF-8 BOM (for Excel)", &bom_);
    ImGui::Checkbox("Guard spreadsheet formulas (prefix ' to cells starting with = + - @)", &guard_);
    ImGui::Spacing();
    // The files are named after today (the format's writer names them); written when saved.
    const std::string stem = exportDateStem();
    const std::string name = format.fileName ? format.fileName(stem) : std::string(format.id) + "_" + stem;
    if (primaryButton(("Save " + name).c_str())) {
        for (ExportFile& f : format.write(s.dir, o, stem)) {
            host.saveExport(f.name, f.text);
            st.notify("Exported " + f.name, host.nowSeconds());
        }
        close = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) close = true;
    if (close) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace roster::ui
