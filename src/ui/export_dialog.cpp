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

UiRect itemRect() {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return UiRect{a.x, a.y, b.x - a.x, b.y - a.y};
}

constexpr size_t kPreviewLines = 8;      // the first lines shown of each file
constexpr size_t kPreviewColumns = 240;  // a longer line is cut (the child scrolls sideways up to there)

// The first kPreviewLines lines of a file as shown (no BOM, no '\r', long lines cut), and how many
// lines it has.
void previewLines(const std::string& text, std::vector<std::string>& lines, size_t& total) {
    lines.clear();
    total = 0;
    size_t at = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        ++total;
        if (lines.size() < kPreviewLines) {
            size_t n = end - at;
            if (n && text[at + n - 1] == '\r') --n;
            std::string line = text.substr(at, std::min(n, kPreviewColumns));
            if (n > kPreviewColumns) {
                while (!line.empty() && (uint8_t(line.back()) & 0xC0) == 0x80) line.pop_back();   // not inside a UTF-8 sequence
                if (!line.empty() && uint8_t(line.back()) >= 0xC0) line.pop_back();
                line += "\xE2\x80\xA6";   // …
            }
            lines.push_back(std::move(line));
        }
        at = end + 1;
    }
}

}  // namespace

bool ExportDialog::writeFiles(Session& s, const ExportOptions& o, const std::string& stem) {
    if (writtenRevision_ == s.dir.revision() && writtenFormat_ == format_ && writtenBom_ == o.bom && writtenGuard_ == o.formulaGuard &&
        writtenFields_ == o.fields && writtenStem_ == stem)
        return true;
    // A large directory takes a while to write (200,000 people: about 0.3 s for SEI, 0.7 s for
    // DevLake): one frame says so first, with the previous preview and Save disabled.
    if (s.dir.userCount() + s.dir.liveIdentityCount() >= 50000 && !writeAnnounced_) {
        writeAnnounced_ = true;
        return false;
    }
    writeAnnounced_ = false;
    // The writer roster.export uses (Session::exportFiles): the registry's format.
    files_ = exportFormats()[format_].write(s.dir, o, stem);
    previews_.assign(files_.size(), Preview{});
    for (size_t i = 0; i < files_.size(); ++i) previewLines(files_[i].text, previews_[i].lines, previews_[i].totalLines);
    writtenRevision_ = s.dir.revision();
    writtenFormat_ = format_;
    writtenBom_ = o.bom;
    writtenGuard_ = o.formulaGuard;
    writtenFields_ = o.fields;
    writtenStem_ = stem;
    return true;
}

// Each file's name and its first lines, in one bordered child that scrolls both ways.
void ExportDialog::drawPreview() {
    ImGuiIO& io = ImGui::GetIO();
    ImFont* mono = io.Fonts->Fonts.Size > 1 ? io.Fonts->Fonts[1] : nullptr;
    size_t rows = 0;
    for (const Preview& p : previews_) rows += 1 + p.lines.size();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float full = line * float(std::clamp<size_t>(rows, 3, 15)) + style.ItemSpacing.y * float(previews_.size()) +
                    style.ScrollbarSize + style.WindowPadding.y * 2;
    const float w = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 48);
    ImGui::TextUnformatted(files_.size() == 1 ? "Preview: the first lines of the file" : "Preview: the first lines of each file");
    // The dialog (centred) stays within the window: below the preview come a spacing, the buttons
    // and the padding; at least four lines are shown.
    const float below = style.ItemSpacing.y * 3 + ImGui::GetFrameHeight() + style.WindowPadding.y;
    const float room = ImGui::GetMainViewport()->WorkSize.y - ImGui::GetFontSize() * 2 - ImGui::GetCursorPosY() - below;
    const float h = std::max(std::min(full, room), line * 4 + style.ScrollbarSize + style.WindowPadding.y * 2);
    if (ImGui::BeginChild("##exportPreview", ImVec2(w, h), ImGuiChildFlags_Border, ImGuiWindowFlags_HorizontalScrollbar)) {
        for (size_t i = 0; i < files_.size(); ++i) {
            const Preview& p = previews_[i];
            if (i) ImGui::Spacing();
            ImGui::TextColored(colorOk(), "%s", files_[i].name.c_str());
            ImGui::SameLine();
            if (p.totalLines > p.lines.size())
                ImGui::TextDisabled("the first %zu of %s lines", p.lines.size(), formatCount(p.totalLines).c_str());
            else
                ImGui::TextDisabled(p.totalLines == 1 ? "%zu line" : "%zu lines", p.totalLines);
            if (mono) ImGui::PushFont(mono);
            for (const std::string& l : p.lines) ImGui::TextUnformatted(l.empty() ? " " : l.c_str());
            if (mono) ImGui::PopFont();
        }
    }
    ImGui::EndChild();
    layout_.preview = itemRect();
}

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
    const bool sei2 = std::string(format.id) == "sei2";
    if (findings_.empty()) {
        textWrappedColored(colorOk(), sei2 ? "Nothing here that SEI 2.0 refuses: every person has a name and an email, no email is on two rows, "
                                             "and every Manager Email is someone's Email with no reporting cycle."
                                           : std::string("Nothing of this directory is left out of the ") + format.label + ".");
        return;
    }
    const std::string count = std::to_string(findings_.size()) + (findings_.size() == 1 ? " thing" : " things");
    textWrappedColored(colorWarn(), sei2 ? count + " SEI 2.0 would refuse in this file. Fix them before uploading; the file is saved as it is if you ask."
                                         : count + " of this directory the " + format.label + " cannot hold; the files are saved without them.");
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
        ImGui::OpenPopup("Export");
        wantOpen_ = false;
        focusSave_ = true;
        fieldsFormat_ = SIZE_MAX;   // the fields start from the format's defaults each time
    }
    layout_ = ExportDialogLayout{};
    // Centred in every frame: the dialog changes size with the format and its preview.
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Export", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (!files_.empty()) {   // closed: the written files (a whole export) are not kept
            std::vector<ExportFile>().swap(files_);
            previews_.clear();
            writtenRevision_ = UINT64_MAX;
        }
        return;
    }
    layout_.open = true;
    const std::vector<ExportFormat>& formats = exportFormats();
    format_ = std::min(format_, formats.size() - 1);
    // The formats in rows of three (six in one row were wider than the dialog).
    if (formats.size() > 1)
        for (size_t i = 0; i < formats.size(); ++i) {
            if (ImGui::RadioButton(formats[i].label, format_ == i)) format_ = i;
            layout_.formats.emplace_back(formats[i].id, itemRect());
            if (i + 1 < formats.size() && (i + 1) % 3 != 0) ImGui::SameLine();
        }
    const ExportFormat& format = formats[format_];
    layout_.format = format.id;
    ImGui::Spacing();
    ImGui::Text("%s: %s", format.label, format.description);
    if (format.fields)
        ImGui::TextDisabled("%s people, one row each (accounts are not part of this file).", formatCount(s.dir.userCount()).c_str());
    else if (std::string(format.id) == "sei")
        ImGui::TextDisabled("%s people and %s accounts; unassigned accounts are written as rows without an email.",
                            formatCount(s.dir.userCount()).c_str(), formatCount(s.dir.liveIdentityCount()).c_str());
    else
        ImGui::TextDisabled("%s people and %s accounts.", formatCount(s.dir.userCount()).c_str(),
                            formatCount(s.dir.liveIdentityCount()).c_str());
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

    // Only the SEI writers read these options (exporter.cpp); the other formats' files are written
    // as their tools read them, so the choices are not offered there.
    const std::string id = format.id;
    if (id == "sei" || id == "sei2") {
        ImGui::Checkbox("UTF-8 BOM (for Excel)", &bom_);
        ImGui::Checkbox("Guard spreadsheet formulas (prefix ' to cells starting with = + - @)", &guard_);
        ImGui::Spacing();
    }
    // The files are named after today (the format's writer names them), written for the preview,
    // and those are saved: one file as it is, several as one zip named after the format and today.
    const std::string stem = exportDateStem();
    const bool current = writeFiles(s, o, stem);
    if (!current) ImGui::TextDisabled("Writing the files…");
    drawPreview();
    ImGui::Spacing();
    const std::string zipName = std::string(format.id) + "_" + stem + ".zip";
    std::string label = "Save ";
    for (size_t i = 0; i < files_.size(); ++i) label += (i ? ", " : "") + files_[i].name;
    if (files_.size() > 1) label += " as " + zipName;
    layout_.saveLabel = label;
    for (size_t i = 0; i < files_.size(); ++i) layout_.files.push_back({files_[i].name, previews_[i].totalLines, previews_[i].lines.size()});
    ImGui::BeginDisabled(!current || files_.empty());
    if (focusSave_ && current && !files_.empty()) {
        focusSave_ = false;
        focusNextItem(st.keyboardInUse);
    }
    // (one id whatever the files' names: the keyboard focus stays on it while they are written)
    if (primaryButton((label + "###save").c_str())) {
        if (files_.size() == 1) {
            host.saveExport(files_[0].name, files_[0].text);
            st.notify("Exported " + files_[0].name, host.nowSeconds());
        } else {
            host.saveExportZip(zipName, files_);
            st.notify("Exported " + zipName + " (" + std::to_string(files_.size()) + " files)", host.nowSeconds());
        }
        close = true;
    }
    ImGui::EndDisabled();
    layout_.save = itemRect();
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) close = true;
    layout_.cancel = itemRect();
    if (close) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace roster::ui
