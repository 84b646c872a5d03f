#include "history_panel.h"

#include <imgui.h>

#include <ctime>

#include "widgets.h"

namespace roster::ui {

namespace {
std::string formatTime(double ms) {
    std::time_t t = std::time_t(ms / 1000.0);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", std::localtime(&t));
    return buf;
}
}  // namespace

uint64_t HistoryPanel::navCount(const Host& host) const { return host.versions().size(); }

void HistoryPanel::Draw(Session& s, UiState& st, Host& host) {
    auto versions = host.versions();
    ImGui::TextUnformatted("Versions of this directory");
    ImGui::SameLine();
    ImGui::TextDisabled("kept before every import and every 10 minutes of editing; the newest 20 are kept");
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Keep a version now").x - ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::Button("Keep a version now")) {
        if (host.keepVersion("Kept by hand")) st.notify("Version kept", host.nowSeconds());
        else st.notify("No version was kept (this tab cannot write)", host.nowSeconds(), true);
    }
    ImGui::Spacing();
    if (versions.empty()) {
        ImGui::TextDisabled("No versions yet. Roster keeps one before every import that changes something.");
        return;
    }
    const float listH = std::min(ImGui::GetContentRegionAvail().y * 0.45f, ImGui::GetFrameHeightWithSpacing() * float(versions.size() + 1.5f));
    if (ImGui::BeginTable("versions", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV, ImVec2(0, listH))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Kept", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
        ImGui::TableSetupColumn("Label", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("People", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 5);
        ImGui::TableSetupColumn("Id", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3);
        ImGui::TableHeadersRow();
        for (auto& v : versions) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(v.id.c_str());
            if (ImGui::Selectable(formatTime(v.createdAt).c_str(), selected_ == v.id, ImGuiSelectableFlags_SpanAllColumns)) selected_ = v.id;
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(v.label.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(formatCount(v.users).c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", v.id.c_str());
        }
        ImGui::EndTable();
    }
    if (selected_.empty()) {
        ImGui::Spacing();
        ImGui::TextDisabled("Select a version to see what changed since and to restore it.");
        return;
    }
    if (diffFor_ != selected_ || diffRev_ != s.dir.revision() || !diffError_.empty()) {
        diffError_.clear();
        if (host.versionDiff(selected_, diff_, diffError_)) {
            diffFor_ = selected_;
            diffRev_ = s.dir.revision();
        } else {
            diffFor_.clear();
        }
    }
    ImGui::Spacing();
    ImGui::SeparatorText(("Since " + selected_).c_str());
    if (!diffError_.empty()) {
        ImGui::TextDisabled("%s", diffError_.c_str());
        return;
    }
    ImGui::TextColored(colorOk(), "%s added", formatCount(diff_.added).c_str());
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
    ImGui::TextColored(colorError(), "%s removed", formatCount(diff_.removed).c_str());
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
    ImGui::TextColored(colorWarn(), "%s changed", formatCount(diff_.changed).c_str());
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Restore this version…").x - ImGui::GetStyle().FramePadding.x * 2);
    ImGui::BeginDisabled(diff_.added + diff_.removed + diff_.changed == 0);
    if (primaryButton("Restore this version…")) confirm_ = true;
    ImGui::EndDisabled();
    if (ImGui::BeginTable("diff", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                          ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Person", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("What", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
        ImGui::TableHeadersRow();
        ImGuiListClipper clip;
        clip.Begin(int(diff_.samples.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const auto& p = diff_.samples[size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.name.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.email.c_str());
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", p.what.c_str());
            }
        ImGui::EndTable();
    }
    if (confirm_) {
        ImGui::OpenPopup("Restore version?");
        confirm_ = false;
    }
    if (ImGui::BeginPopupModal("Restore version?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("Make %s the current directory?", selected_.c_str());
        ImGui::TextDisabled("%s people come back, %s go, %s change. Ctrl+Z undoes the restore.", formatCount(diff_.removed).c_str(),
                            formatCount(diff_.added).c_str(), formatCount(diff_.changed).c_str());
        ImGui::Spacing();
        if (dangerButton("Restore")) {
            host.restoreVersionFromUi(selected_);
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace roster::ui
