#include "import_dialog.h"

#include "import_flow.h"

#include <imgui.h>

#include "widgets.h"

namespace roster::ui {

namespace {

void diagTable(const char* id, const std::vector<Diag>& list, ImVec4 color) {
    if (list.empty()) {
        ImGui::TextDisabled("None.");
        return;
    }
    if (!ImGui::BeginTable(id, 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable,
                           ImVec2(0, ImGui::GetContentRegionAvail().y)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Line", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.5f);
    ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 13);
    ImGui::TableSetupColumn("Message", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clip;
    clip.Begin(int(list.size()));
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const Diag& d = list[size_t(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (d.line) ImGui::Text("%u", d.line);
            else ImGui::TextDisabled("—");
            ImGui::TableNextColumn();
            ImGui::TextColored(color, "%s", d.code.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.message.c_str());
        }
    ImGui::EndTable();
}

void peopleTable(const char* id, const Session& s, const std::vector<PersonChange>& list, uint32_t total, bool withFields) {
    if (list.empty()) {
        ImGui::TextDisabled("None.");
        return;
    }
    if (total > list.size()) ImGui::TextDisabled("Showing the first %s of %s.", formatCount(list.size()).c_str(), formatCount(total).c_str());
    const int cols = withFields ? 4 : 2;
    if (!ImGui::BeginTable(id, cols, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable,
                           ImVec2(0, ImGui::GetContentRegionAvail().y)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Person", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    if (withFields) {
        ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthStretch, 0.5f);
        ImGui::TableSetupColumn("Now", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("After import", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    } else {
        ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    }
    ImGui::TableHeadersRow();
    for (const PersonChange& p : list) {
        if (!withFields) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(p.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(p.email.c_str());
            continue;
        }
        bool first = true;
        for (const FieldChange& f : p.fields) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (first) ImGui::TextUnformatted((p.name.empty() ? p.email : p.name).c_str());
            first = false;
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", f.field.c_str());
            ImGui::TableNextColumn();
            if (f.oldValue.empty()) ImGui::TextDisabled("—");
            else ImGui::TextUnformatted(f.oldValue.c_str());
            ImGui::TableNextColumn();
            if (f.newValue.empty()) ImGui::TextDisabled("—");
            else ImGui::TextColored(colorOk(), "%s", f.newValue.c_str());
        }
    }
    ImGui::EndTable();
    (void)s;
}

}  // namespace

void ImportDialog::startApplyJob(ImportFlow& flow, UiState& st, Host& host) {
    auto slot = std::make_shared<json>();
    jobResult_ = slot;
    ImportFlow* fp = &flow;
    UiState* stp = &st;
    Host* hp = &host;
    host.startJob(flow.applyJob(), [slot, fp, stp, hp](Job& j) {
        auto& ij = static_cast<ImportJob&>(j);
        *slot = fp->finishApply(ij);
        if (!slot->is_null()) return;
        stp->notify(ij.wasCancelled() ? "Import cancelled: nothing was changed" : "The import was not applied", hp->nowSeconds(), true);
    });
}

void ImportDialog::startRecheckThenApply(ImportFlow& flow, UiState& st, Host& host) {
    ImportDialog* self = this;
    ImportFlow* fp = &flow;
    UiState* stp = &st;
    Host* hp = &host;
    const ImportMode mode = flow.pendingMode();
    host.startJob(flow.checkJob(mode, "Checking " + flow.pendingName() + " again"), [self, fp, stp, hp, mode](Job& j) {
        if (!fp->takeChecked(static_cast<ImportJob&>(j), mode)) {
            stp->notify("Import cancelled: nothing was changed", hp->nowSeconds(), true);
            return;
        }
        if (fp->pending()->ok()) self->startApplyJob(*fp, *stp, *hp);   // the job slot is free in this callback
        else self->open();                                               // the directory changed: show what is wrong now
    });
}

json ImportDialog::Draw(Session& s, UiState& st, Host& host) {
    ImportFlow& flow = host.imports();
    json applied;
    if (jobResult_ && !jobResult_->is_null()) {   // an apply job ended applied
        applied = std::move(*jobResult_);
        jobResult_.reset();
        return applied;
    }
    if (wantOpen_) {
        ImGui::OpenPopup("Import preview");
        wantOpen_ = false;
        tab_ = 0;
    }
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.72f, vp->WorkSize.y * 0.78f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Import preview", nullptr, ImGuiWindowFlags_NoSavedSettings)) return applied;
    if (!flow.pending()) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return applied;
    }
    const ImportPlan& plan = *flow.pending();
    ImGui::Text("%s", flow.pendingName().c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("· %s rows · %s, %s%s", formatCount(plan.rows).c_str(), plan.dialect.encoding.c_str(),
                        plan.dialect.delimiter == '\t' ? "tab-separated" : (std::string("'") + plan.dialect.delimiter + "'-separated").c_str(),
                        plan.dialect.bom ? ", BOM" : "");
    ImGui::Spacing();
    int mode = plan.mode == ImportMode::Update ? 0 : 1;
    ImGui::TextUnformatted("Mode");
    ImGui::SameLine();
    bool changed = ImGui::RadioButton("Update (merge into the directory)", &mode, 0);
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Replace (people missing from the file are removed)", &mode, 1);
    if (changed) {
        const ImportMode m = mode == 0 ? ImportMode::Update : ImportMode::Replace;
        if (flow.rechecksAsJob() && !host.runningJob()) {
            // A large file is checked again as a job; the preview reopens when it is done.
            ImportDialog* self = this;
            ImportFlow* fp = &flow;
            UiState* stp = &st;
            Host* hp = &host;
            host.startJob(flow.checkJob(m, "Checking " + flow.pendingName() + (m == ImportMode::Replace ? " (replace)" : " (update)")),
                          [self, fp, stp, hp, m](Job& j) {
                              if (!fp->takeChecked(static_cast<ImportJob&>(j), m))
                                  stp->notify("Checking again was cancelled: the preview keeps its mode", hp->nowSeconds(), true);
                              self->open();
                          });
            ImGui::CloseCurrentPopup();
        } else {
            flow.recheck(m);
        }
        ImGui::EndPopup();
        return applied;
    }
    ImGui::Spacing();
    // Counts
    auto stat = [&](const char* label, uint32_t n, ImVec4 col) {
        ImGui::BeginGroup();
        ImGui::TextColored(n ? col : colorMuted(), "%s", formatCount(n).c_str());
        ImGui::TextDisabled("%s", label);
        ImGui::EndGroup();
        ImGui::SameLine(0, ImGui::GetFontSize() * 2.2f);
    };
    stat("added", plan.counts.added, colorOk());
    stat("updated", plan.counts.updated, colorWarn());
    stat("removed", plan.counts.removed, colorError());
    stat("unchanged", plan.counts.unchanged, ImGui::GetStyle().Colors[ImGuiCol_Text]);
    stat("skipped (no email)", plan.counts.skipped, colorWarn());
    ImGui::NewLine();
    if (!plan.newAttrs.empty()) {
        std::string a;
        for (auto& na : plan.newAttrs) a += (a.empty() ? "" : ", ") + na.header + " (" + attrTypeName(na.type) + ")";
        ImGui::TextWrapped("New attributes: %s", a.c_str());
    }
    if (!plan.newIntegs.empty()) {
        std::string a;
        for (auto& ni : plan.newIntegs) a += (a.empty() ? "" : ", ") + ni.name + " (" + integKindName(ni.kind) + ")";
        ImGui::TextWrapped("New integrations: %s", a.c_str());
    }
    if (!plan.ok()) textWrappedColored(colorError(), std::to_string(plan.errors.size()) + " error(s): fix the file and import it again. Nothing will change.");
    ImGui::Spacing();
    const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
    if (ImGui::BeginTabBar("importTabs")) {
        auto tab = [&](const char* label, size_t n, auto body) {
            std::string l = std::string(label) + " (" + formatCount(n) + ")###" + label;
            if (ImGui::BeginTabItem(l.c_str())) {
                ImGui::BeginChild("tabbody", ImVec2(0, -footer));
                body();
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        };
        if (!plan.errors.empty()) tab("Errors", plan.errors.size(), [&] { diagTable("errs", plan.errors, colorError()); });
        tab("Changes", plan.counts.updated, [&] { peopleTable("chg", s, plan.changes, plan.counts.updated, true); });
        tab("Added", plan.counts.added, [&] { peopleTable("add", s, plan.added, plan.counts.added, false); });
        tab("Removed", plan.counts.removed, [&] { peopleTable("rem", s, plan.removed, plan.counts.removed, false); });
        tab("Warnings", plan.warnings.size(), [&] { diagTable("warns", plan.warnings, colorWarn()); });
        ImGui::EndTabBar();
    }
    ImGui::Separator();
    ImGui::BeginDisabled(!plan.ok());
    const bool requested = applyRequested_ && plan.ok();
    applyRequested_ = false;
    if (primaryButton(plan.ok() ? "Apply import" : "Apply import (fix the errors first)") || requested) {
        if (flow.appliesAsJob() && !host.runningJob()) {
            // Applied as a job: progress bar, Cancel (which undoes what was applied so far). A plan
            // the directory has moved past is checked again first, also as a job.
            if (flow.stale()) startRecheckThenApply(flow, st, host);
            else startApplyJob(flow, st, host);
            ImGui::CloseCurrentPopup();
            ImGui::EndDisabled();
            ImGui::EndPopup();
            return applied;
        }
        applied = flow.confirm();
        if (!applied.value("applied", false)) {
            st.notify("The import was not applied", host.nowSeconds(), true);
            applied = json();
        } else {
            ImGui::CloseCurrentPopup();
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        flow.cancel();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("Applying is one step: Ctrl+Z undoes the whole import.");
    ImGui::EndPopup();
    return applied;
}

}  // namespace roster::ui
