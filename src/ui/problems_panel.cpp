// The Problems view: every lint finding (click to show the person), and the reporting lines of an
// email-typed attribute (manager, mentor...) as a tree.
#include "problems_panel.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "attributes_panel.h"
#include "widgets.h"
#include "idle.h"
#include "value_input.h"

namespace roster::ui {

void ProblemsPanel::ensure(const Session& s, bool visible) {
    const Directory& d = s.dir;
    if (run_ && run_->revision() != d.revision()) run_.reset();   // changed under the run: start over
    if (!run_) {
        if (lintRev_ == d.revision()) return;
        const double now = ImGui::GetTime();
        // A whole lint takes seconds at a million people (it runs in slices, below): start one at
        // most every couple of seconds while the panel is visible, now and then for the count.
        // The navigation shows "…" while its count is behind, so it is not kept waiting long either.
        if (lintRev_ != 0 && now - lintAt_ < idle::Scheduler::lintEverySeconds(d.slotCount())) return;
        run_ = std::make_unique<LintRun>(d);
        lintAt_ = now;
    }
    // A few milliseconds a frame: a small directory is done in one frame, a million people take
    // a few hundred frames instead of freezing the page for seconds.
    const double budgetMs = idle::Scheduler::countBudgetMs(double(ImGui::GetIO().DeltaTime) * 1000.0, visible);
    const auto deadline = LintRun::Clock::now() + std::chrono::microseconds(int64_t(budgetMs * 1000));
    if (!run_->step(deadline)) return;
    issues_ = run_->take();
    auto rank = [](const std::string& sev) { return sev == "error" ? 0 : sev == "warning" ? 1 : 2; };
    std::stable_sort(issues_.begin(), issues_.end(), [&](const LintIssue& a, const LintIssue& b) { return rank(a.severity) < rank(b.severity); });
    byCode_.clear();
    for (const LintIssue& i : issues_) ++byCode_[i.code];
    rowsStale_ = true;
    lintRev_ = run_->revision();
    run_.reset();
}

NavCount ProblemsPanel::navCount(const Session& s, bool advance) {
    if (advance) ensure(s, false);
    return {issues_.size(), navStale_.behind(lintRev_ != s.dir.revision(), ImGui::GetTime())};
}

static ImVec4 severityColor(const std::string& sev) {
    if (sev == "error") return colorError();
    if (sev == "warning") return colorWarn();
    return colorMuted();
}

void ProblemsPanel::drawIssues(Session& s, UiState& st) {
    const Directory& d = s.dir;
    // Counts by code and the rows of the chosen code are kept with the findings (a million people
    // can have 100k findings: not something to walk every frame).
    const std::map<std::string, size_t>& byCode = byCode_;
    if (!codeFilter_.empty() && !byCode.count(codeFilter_)) codeFilter_.clear();
    // Code filter
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
    std::string preview = codeFilter_.empty() ? "All problems (" + formatCount(issues_.size()) + ")"
                                              : codeFilter_ + " (" + formatCount(byCode.at(codeFilter_)) + ")";
    if (ImGui::BeginCombo("##code", preview.c_str())) {
        if (ImGui::Selectable(("All problems (" + formatCount(issues_.size()) + ")").c_str(), codeFilter_.empty())) codeFilter_.clear();
        for (auto& [code, n] : byCode)
            if (ImGui::Selectable((code + " (" + formatCount(n) + ")").c_str(), codeFilter_ == code)) codeFilter_ = code;
        ImGui::EndCombo();
    }
    if (!codeFilter_.empty() && !byCode.count(codeFilter_)) codeFilter_.clear();
    ImGui::SameLine();
    ImGui::TextDisabled("Click a row to show the person.");
    if (issues_.empty()) {
        ImGui::Spacing();
        ImGui::TextColored(colorOk(), "No problems found.");
        return;
    }
    if (rowsStale_ || rowsFilter_ != codeFilter_) {
        rows_.clear();
        for (uint32_t i = 0; i < issues_.size(); ++i)
            if (codeFilter_.empty() || issues_[i].code == codeFilter_) rows_.push_back(i);
        rowsFilter_ = codeFilter_;
        rowsStale_ = false;
    }
    const std::vector<uint32_t>& rows = rows_;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("issues", 4, flags)) return;
    const float em = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Severity", ImGuiTableColumnFlags_WidthFixed, em * 5);
    ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthFixed, em * 15);
    ImGui::TableSetupColumn("Problem", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("People", ImGuiTableColumnFlags_WidthFixed, em * 6);
    ImGui::TableHeadersRow();
    ImGuiListClipper clip;
    clip.Begin(int(rows.size()), ImGui::GetFrameHeight());
    while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const LintIssue& is = issues_[rows[size_t(r)]];
            ImGui::TableNextRow(0, ImGui::GetFrameHeight());
            ImGui::PushID(r);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextColored(severityColor(is.severity), "● %s", is.severity.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("%s", is.code.c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            uint32_t first = kNone;
            for (uint32_t slot : is.slots)
                if (d.userAlive(slot)) { first = slot; break; }
            if (ImGui::Selectable(is.message.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap) &&
                first != kNone)
                st.jumpTo(first);
            if (ImGui::IsItemHovered() && ImGui::CalcTextSize(is.message.c_str()).x > ImGui::GetColumnWidth())
                ImGui::SetTooltip("%s", is.message.c_str());
            ImGui::TableNextColumn();
            if (is.slots.size() > 1) {
                std::string label = formatCount(is.slots.size()) + " ▾";
                if (ImGui::SmallButton(label.c_str())) ImGui::OpenPopup("people");
                if (ImGui::BeginPopup("people")) {
                    ImGui::TextDisabled("Show in Users:");
                    ImGui::BeginChild("list", ImVec2(em * 22, std::min(em * 18, float(is.slots.size()) * ImGui::GetTextLineHeightWithSpacing() + em)),
                                      ImGuiChildFlags_None);
                    ImGuiListClipper pc;
                    pc.Begin(int(is.slots.size()));
                    while (pc.Step())
                        for (int k = pc.DisplayStart; k < pc.DisplayEnd; ++k) {
                            uint32_t slot = is.slots[size_t(k)];
                            ImGui::PushID(k);
                            if (ImGui::Selectable(personLabel(d, slot).c_str(), false, d.userAlive(slot) ? 0 : ImGuiSelectableFlags_Disabled)) {
                                st.jumpTo(slot);
                                ImGui::CloseCurrentPopup();
                            }
                            ImGui::PopID();
                        }
                    ImGui::EndChild();
                    ImGui::EndPopup();
                }
            } else if (is.slots.size() == 1) {
                ImGui::AlignTextToFramePadding();
                ImGui::TextDisabled("1");
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

bool ProblemsPanel::treeIsOpen(uint32_t slot, uint32_t depth) const {
    const uint32_t nk = graph_.childStart[slot + 1] - graph_.childStart[slot];
    if (!nk) return false;
    auto it = treeOpen_.find(slot);
    return it != treeOpen_.end() ? it->second : depth == 0 && nk < 12;
}

void ProblemsPanel::flattenTree() {
    treeRows_.clear();
    std::vector<TreeRow> stack;
    for (uint32_t root : treeRoots_) {
        stack.push_back(TreeRow{root, 0});
        while (!stack.empty()) {   // depth first, reports in their order (cycles never hang from a root)
            const TreeRow r = stack.back();
            stack.pop_back();
            treeRows_.push_back(r);
            if (!treeIsOpen(r.slot, r.depth)) continue;
            for (uint32_t k = graph_.childStart[r.slot + 1]; k-- > graph_.childStart[r.slot];) stack.push_back(TreeRow{graph_.children[k], r.depth + 1});
        }
    }
    treeRowsStale_ = false;
}

void ProblemsPanel::drawTree(Session& s, UiState& st) {
    const Directory& d = s.dir;
    const auto& defs = d.attrDefs();
    if (treeAttr_ >= defs.size() || !defs[treeAttr_].alive || defs[treeAttr_].type != AttrType::Email) {
        treeAttr_ = kNone;
        for (uint32_t a = 0; a < defs.size() && treeAttr_ == kNone; ++a)
            if (defs[a].alive && defs[a].type == AttrType::Email) treeAttr_ = a;
        treeRev_ = 0;
    }
    if (treeAttr_ == kNone) {
        ImGui::Spacing();
        ImGui::TextWrapped("No relation yet: give an attribute the type “Person (email)” (e.g. a manager's email) in the "
                           "Attributes view to see the reporting lines.");
        return;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Relation");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    if (ImGui::BeginCombo("##rel", attrDisplayName(d, treeAttr_).c_str())) {
        for (uint32_t a = 0; a < defs.size(); ++a)
            if (defs[a].alive && defs[a].type == AttrType::Email) {
                ImGui::PushID(int(a));
                if (ImGui::Selectable(attrDisplayName(d, a).c_str(), a == treeAttr_)) { treeAttr_ = a; treeRev_ = 0; }
                ImGui::PopID();
            }
        ImGui::EndCombo();
    }
    // The relation is read in slices of a few milliseconds a frame (a hash lookup per person: most
    // of a second at a million people); the last complete reading stays on screen meanwhile.
    if (treeRev_ != d.revision() || graph_.attr != treeAttr_) {
        if (!treeBuilding_ || treeBuildRev_ != d.revision() || next_.attr != treeAttr_ || next_.target.size() != d.slotCount()) {
            relationBegin(d, treeAttr_, next_);
            treeCur_ = 0;
            treeBuilding_ = true;
            treeBuildRev_ = d.revision();
        }
        if (relationReadUntil(d, next_, treeCur_, std::chrono::steady_clock::now() + std::chrono::milliseconds(8))) {
            relationEnd(d, next_);
            graph_ = std::move(next_);
            next_ = RelationGraph();
            treeBuilding_ = false;
            treeRev_ = treeBuildRev_;
            if (graph_.attr != treeOpenAttr_) {   // opened people are kept across re-readings of one relation
                treeOpen_.clear();
                treeOpenAttr_ = graph_.attr;
            }
            treeRowsStale_ = true;
            treeRoots_ = graph_.roots;
            std::stable_sort(treeRoots_.begin(), treeRoots_.end(), [&](uint32_t a, uint32_t b) {
                uint32_t na = graph_.childStart[a + 1] - graph_.childStart[a], nb = graph_.childStart[b + 1] - graph_.childStart[b];
                return na > nb;
            });
        }
    }
    if (treeBuilding_) {
        ImGui::SameLine();
        ImGui::TextDisabled("reading the relation\u2026 %d%%", int(100.0 * treeCur_ / std::max<uint32_t>(1, d.slotCount())));
    }
    if (graph_.attr != treeAttr_) return;   // the first reading of this relation is not done yet
    ImGui::SameLine();
    ImGui::TextDisabled("%s trees · %s people with a value · %s matching nobody", formatCount(graph_.roots.size()).c_str(),
                        formatCount(graph_.withValue).c_str(), formatCount(graph_.unresolvedCount).c_str());
    ImGui::TextDisabled("Roots are people without a value who have reports. Click a person to show them in Users.");
    ImGui::BeginChild("tree", ImVec2(0, 0), ImGuiChildFlags_Border);
    if (treeRoots_.empty()) ImGui::TextDisabled("No trees: nobody without a value has reports (look for cycles in Problems).");
    if (treeRowsStale_) flattenTree();
    const float indent = ImGui::GetStyle().IndentSpacing;
    ImGuiListClipper clip;
    clip.Begin(int(treeRows_.size()));
    while (clip.Step()) {
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const TreeRow r = treeRows_[size_t(i)];
            const uint32_t nk = graph_.childStart[r.slot + 1] - graph_.childStart[r.slot];
            std::string label = personShortLabel(d, r.slot);
            if (nk) label += "  (" + formatCount(nk) + ")";
            ImGuiTreeNodeFlags f = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_OpenOnDoubleClick | ImGuiTreeNodeFlags_SpanAvailWidth |
                                   ImGuiTreeNodeFlags_NoTreePushOnOpen;
            if (!nk) f |= ImGuiTreeNodeFlags_Leaf;
            ImGui::PushID(int(r.slot));
            if (r.depth) ImGui::Indent(indent * float(r.depth));
            const bool open = treeIsOpen(r.slot, r.depth);
            if (nk) ImGui::SetNextItemOpen(open);
            const bool nowOpen = ImGui::TreeNodeEx("##p", f, "%s", label.c_str());
            if (nk && nowOpen != open) {
                treeOpen_[r.slot] = nowOpen;
                treeRowsStale_ = true;   // the rows below change from the next frame
            }
            if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) st.jumpTo(r.slot);
            if (d.userName(r.slot).size() && ImGui::IsItemHovered())
                ImGui::SetTooltip("%s — click to show", std::string(d.userEmail(r.slot)).c_str());
            if (r.depth) ImGui::Unindent(indent * float(r.depth));
            ImGui::PopID();
        }
    }
    ImGui::EndChild();
}

nlohmann::json ProblemsPanel::statsJson(const Directory& d) const {
    nlohmann::json tree = nullptr;
    if (graph_.attr < d.attrDefs().size())
        tree = {{"attribute", std::string(d.s(d.attrDefs()[graph_.attr].key))}, {"trees", graph_.roots.size()}, {"withValue", graph_.withValue},
                {"unresolved", graph_.unresolvedCount}, {"revision", treeRev_}, {"rows", treeRows_.size()}};
    return {{"count", issues_.size()}, {"revision", lintRev_}, {"checking", run_ != nullptr}, {"tab", tab_ == 1 ? "reportingLines" : "findings"},
            {"tree", tree}, {"treeReading", treeBuilding_}};
}

void ProblemsPanel::Draw(Session& s, UiState& st, Host& host) {
    (void)host;
    ensure(s, true);
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted("Problems");
    ImGui::SetWindowFontScale(1.0f);
    if (run_) {
        ImGui::SameLine();
        ImGui::TextDisabled("checking the directory\u2026 %d%%", int(run_->fraction() * 100));
    }
    ImGui::Spacing();
    if (ImGui::BeginTabBar("problemtabs")) {
        if (ImGui::BeginTabItem("Findings", nullptr, wantTab_ == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
            tab_ = 0;
            ImGui::Spacing();
            drawIssues(s, st);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Reporting lines", nullptr, wantTab_ == 1 ? ImGuiTabItemFlags_SetSelected : 0)) {
            tab_ = 1;
            ImGui::Spacing();
            drawTree(s, st);
            ImGui::EndTabItem();
        }
        wantTab_ = -1;
        ImGui::EndTabBar();
    }
}

}  // namespace roster::ui
