#include "a11y.h"
#include "import_dialog.h"

#include "import_flow.h"
#include "text.h"

#include <imgui.h>
#include <imgui_internal.h>

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

// A list of people (Changes, Added, Removed): each entry (each changed field of a person) a row the
// keyboard reaches (Tab and the arrows), named in the mirror as a list item ("Ada Lovelace,
// ada@example.com"; "Ada Lovelace: Team_name, Platform → Core"). No scrolling of its own: the tab's
// child scrolls it (Tab does not enter a table's own scrolling child), rows clipped to the visible.
void peopleTable(const char* id, const char* listName, const Session& s, const std::vector<PersonChange>& list, uint32_t total, bool withFields) {
    if (list.empty()) {
        ImGui::TextDisabled("None.");
        return;
    }
    if (total > list.size()) ImGui::TextDisabled("Showing the first %s of %s.", formatCount(list.size()).c_str(), formatCount(total).c_str());
    const int cols = withFields ? 4 : 2;
    if (!ImGui::BeginTable(id, cols, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable))
        return;
    ImGui::TableSetupColumn("Person", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    if (withFields) {
        ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthStretch, 0.5f);
        ImGui::TableSetupColumn("Now", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("After import", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    } else {
        ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    }
    ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);   // (the headers are no Tab stops)
    ImGui::TableHeadersRow();
    ImGui::PopItemFlag();
    // The rows: a person, or one changed field of a person.
    std::vector<std::pair<uint32_t, uint32_t>> rows;
    rows.reserve(list.size());
    for (uint32_t p = 0; p < list.size(); ++p) {
        if (!withFields) rows.emplace_back(p, 0);
        else
            for (uint32_t k = 0; k < list[p].fields.size(); ++k) rows.emplace_back(p, k);
    }
    const float rowH = ImGui::GetTextLineHeight();
    ImGuiListClipper clip;
    clip.Begin(int(rows.size()));
    while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const PersonChange& p = list[rows[size_t(i)].first];
            const std::string& who = p.name.empty() ? p.email : p.name;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(i);
            ImGui::Selectable("##entry", false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap, ImVec2(0, rowH));
            ImGui::PopID();
            if (!withFields) {
                a11y::listItem(listName, p.name.empty() ? p.email : p.name + ", " + p.email);
                ImGui::SameLine();
                ImGui::TextUnformatted(p.name.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.email.c_str());
                continue;
            }
            const uint32_t k = rows[size_t(i)].second;
            const FieldChange& f = p.fields[k];
            a11y::listItem(listName, who + ": " + f.field + ", " + (f.oldValue.empty() ? "blank" : f.oldValue) + " → " +
                                         (f.newValue.empty() ? "blank" : f.newValue));
            ImGui::SameLine();
            if (k == 0) ImGui::TextUnformatted(who.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", f.field.c_str());
            ImGui::TableNextColumn();
            if (f.oldValue.empty()) ImGui::TextDisabled("—");
            else ImGui::TextUnformatted(f.oldValue.c_str());
            ImGui::TableNextColumn();
            if (f.newValue.empty()) ImGui::TextDisabled("—");
            else ImGui::TextColored(colorOk(), "%s", f.newValue.c_str());
        }
    ImGui::EndTable();
    (void)s;
}

UiRect lastRect() {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return UiRect{a.x, a.y, b.x - a.x, b.y - a.y};
}

// The targets a column can be given, as {target, label}: the person's fields, each attribute (and a
// new one keyed by the header), each integration's accounts (and the one the header names), Ignore.
std::vector<std::pair<std::string, std::string>> targetChoices(const Directory& d, const PlanColumn& c) {
    std::vector<std::pair<std::string, std::string>> out = {
        {"name", "Name"}, {"email", "Email"}, {"firstName", "First name"}, {"lastName", "Last name"}};
    auto has = [&](const std::string& tg) {
        for (auto& [t, l] : out)
            if (equalsFolded(t, tg)) return true;
        return false;
    };
    for (const AttrDef& a : d.attrDefs()) {
        if (!a.alive) continue;
        std::string key(d.s(a.key)), label(d.s(a.label));
        out.push_back({"attribute:" + key, "Attribute: " + (label.empty() ? key : label) + (label.empty() || label == key ? "" : " (" + key + ")")});
    }
    auto addNewAttr = [&](const std::string& key) {
        if (key.empty() || has("attribute:" + key)) return;
        out.push_back({"attribute:" + key, "New attribute " + key});
    };
    if (c.target.rfind("attribute:", 0) == 0) addNewAttr(c.target.substr(10));
    const std::string low = toLowerAscii(c.header);
    if (low.rfind("integration:", 0) != 0) addNewAttr(attrKeyOf(c.header));
    for (const Integration& i : d.integrations()) {
        if (!i.alive) continue;
        std::string n(d.s(i.name));
        out.push_back({"integration:" + n, "Accounts in " + n});
    }
    auto addInteg = [&](const std::string& n) {
        if (n.empty() || has("integration:" + n)) return;
        out.push_back({"integration:" + n, "Accounts in " + n + " (new integration)"});
    };
    if (c.target.rfind("integration:", 0) == 0) addInteg(c.target.substr(12));
    if (low.rfind("integration:", 0) == 0) addInteg(std::string(trim(std::string_view(c.header).substr(12))));
    out.push_back({"ignore", "Ignore"});
    return out;
}

std::string labelOf(const std::vector<std::pair<std::string, std::string>>& choices, const std::string& target) {
    for (auto& [t, l] : choices)
        if (equalsFolded(t, target)) return l;
    return target;
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

void ImportDialog::noteApplied(const json& applied) {
    const uint32_t n = applied.contains("counts") ? applied["counts"].value("rowsSkipped", 0u) : 0u;
    if (!n) return;
    skippedRows_ = n;
    std::string stem = appliedName_.empty() ? std::string("import") : appliedName_;
    if (const size_t dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
    skippedName_ = stem + "-skipped-rows.csv";
    wantSkipped_ = true;
}

// After an import that skipped rows: how many, and "Save skipped rows…" (the host's save path).
void ImportDialog::drawSkipped(Session& s, Host& host) {
    if (wantSkipped_) {
        ImGui::OpenPopup("Rows skipped");
        wantSkipped_ = false;
    }
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Rows skipped", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
    ImGui::Text("Imported. %s row%s with errors %s left out.", formatCount(skippedRows_).c_str(), skippedRows_ == 1 ? "" : "s",
                skippedRows_ == 1 ? "was" : "were");
    ImGui::TextDisabled("Save them to fix them: the file has the import's columns and an Error column.");
    ImGui::Spacing();
    const json csv = s.exportSkippedRows();
    ImGui::BeginDisabled(!csv.is_string());
    if (primaryButton("Save skipped rows…")) host.saveExport(skippedName_, csv.get<std::string>());
    layout_.saveSkipped = lastRect();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    layout_.closeSkipped = lastRect();
    ImGui::EndPopup();
}

json ImportDialog::Draw(Session& s, UiState& st, Host& host) {
    ImportFlow& flow = host.imports();
    layout_ = ImportDialogLayout{};
    drawSkipped(s, host);
    json applied;
    if (jobResult_ && !jobResult_->is_null()) {   // an apply job ended applied
        applied = std::move(*jobResult_);
        jobResult_.reset();
        noteApplied(applied);
        return applied;
    }
    if (wantOpen_) {
        ImGui::OpenPopup("Import preview");
        wantOpen_ = false;
        focusApply_ = true;
        tab_ = 0;
        selectTab_ = true;
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
    layout_.open = true;
    const ImportPlan& plan = *flow.pending();
    ImGui::Text("%s", flow.pendingName().c_str());
    ImGui::SameLine();
    if (plan.extras)   // another tool's files: their records, not a CSV dialect
        ImGui::TextDisabled("· %s · %s records", plan.extras->label.c_str(), formatCount(plan.rows).c_str());
    else
        ImGui::TextDisabled("· %s rows · %s, %s%s", formatCount(plan.rows).c_str(), plan.dialect.encoding.c_str(),
                            plan.dialect.delimiter == '\t' ? "tab-separated" : (std::string("'") + plan.dialect.delimiter + "'-separated").c_str(),
                            plan.dialect.bom ? ", BOM" : "");
    // Another tool's files: the format Roster took them for, and what they bring besides people.
    const ImportExtras* foreign = plan.extras.get();
    layout_.formatNote.clear();
    if (foreign) {
        layout_.formatNote = "Read as " + foreign->label;
        const std::string what = layout_.formatNote + " (recognised from the content): people and accounts, " +
                                 (foreign->format == "mailmap" ? std::string("other addresses as aliases, ties between people as suggestions")
                                                               : std::string("teams as org units and a teams attribute")) + ".";
        ImGui::TextWrapped("%s", what.c_str());
    }
    ImGui::Spacing();
    int mode = plan.mode == ImportMode::Update ? 0 : 1;
    ImGui::TextUnformatted("Mode");
    ImGui::SameLine();
    bool changed = ImGui::RadioButton("Update (merge into the directory)", &mode, 0);
    a11y::checked("radio", mode == 0);
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Replace (people missing from the file are removed)", &mode, 1);
    a11y::checked("radio", mode == 1);
    // Checks the pending file again with other options: at once, or as a job for a large file (the
    // preview reopens when it is done).
    auto recheckWith = [&](const ImportOptions& o, const std::string& what) {
        if (flow.rechecksAsJob()) {
            if (host.runningJob()) return;
            ImportDialog* self = this;
            ImportFlow* fp = &flow;
            UiState* stp = &st;
            Host* hp = &host;
            const ImportMode m = o.mode;
            flow.setPendingOptions(o);
            host.startJob(flow.checkJob(m, "Checking " + flow.pendingName() + what), [self, fp, stp, hp, m](Job& j) {
                if (!fp->takeChecked(static_cast<ImportJob&>(j), m))
                    stp->notify("Checking again was cancelled: the preview keeps its mode", hp->nowSeconds(), true);
                self->open();
            });
            ImGui::CloseCurrentPopup();
        } else {
            flow.recheck(o);
        }
    };
    if (changed) {
        const ImportMode m = mode == 0 ? ImportMode::Update : ImportMode::Replace;
        if (flow.rechecksAsJob()) {
            ImportOptions o = flow.pendingOptions();
            o.mode = m;
            recheckWith(o, m == ImportMode::Replace ? " (replace)" : " (update)");
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
    if (plan.counts.rowsSkipped) stat("rows skipped (errors)", plan.counts.rowsSkipped, colorWarn());
    if (foreign) {
        stat("new aliases", foreign->newAliases, colorOk());
        stat("new org units", foreign->newUnits, colorOk());
        stat("suggestions", foreign->newHints, colorWarn());
    }
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
    bool needsColumns = false;
    for (const Diag& e : plan.errors)
        if (e.code == "REQUIRED_FIELD_MISSING") needsColumns = true;
    if (needsColumns)
        textWrappedColored(colorError(), "No column holds the email or the name: choose one in Columns below. Nothing will change until then.");
    else if (!plan.ok() && plan.rowErrorsOnly)
        textWrappedColored(colorError(), std::to_string(plan.rowsInError) + " row(s) have errors: fix the file and import it again, or skip them and import the rest.");
    else if (!plan.ok())
        textWrappedColored(colorError(), std::to_string(plan.errors.size()) + " error(s): fix the file and import it again. Nothing will change.");
    ImGui::Spacing();
    const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
    // The tab shown on opening: Columns when the mapping needs a look (refused for it, or not
    // remembered), the errors when there are others, else the changes.
    const char* firstTab = nullptr;
    if (selectTab_) {
        if (needsColumns) firstTab = "Columns";
        else if (!plan.ok()) firstTab = "Errors";
        else if (foreign) firstTab = plan.counts.added ? "Added" : "Changes";
        else if (plan.mappingSource != "remembered") firstTab = "Columns";
        else firstTab = "Changes";
        selectTab_ = false;
    }
    int remapCol = -1;
    std::string remapTarget;
    if (ImGui::BeginTabBar("importTabs")) {
        auto tab = [&](const char* label, size_t n, UiRect* rect, auto body) {
            std::string l = std::string(label) + " (" + formatCount(n) + ")###" + label;
            const bool sel = ImGui::BeginTabItem(l.c_str(), nullptr, firstTab && std::string_view(firstTab) == label ? ImGuiTabItemFlags_SetSelected : 0);
            if (rect) *rect = lastRect();
            if (sel) {
                // Flattened for the keyboard: Tab walks from the dialog's buttons through the tab's
                // controls (the column mapping) without entering the child first.
                ImGui::BeginChild("tabbody", ImVec2(0, -footer), ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);
                body();
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        };
        tab("Columns", plan.columns.size(), &layout_.columnsTab, [&] {
            if (foreign) layout_.mappingNote = "The columns Roster reads from " + foreign->label;
            else if (plan.mappingSource == "remembered") layout_.mappingNote = "Remembered from the last import of this header";
            else if (plan.mappingSource == "given") layout_.mappingNote = "Chosen here";
            else layout_.mappingNote = "Proposed from the headers";
            ImGui::TextUnformatted(layout_.mappingNote.c_str());
            ImGui::SameLine();
            ImGui::TextDisabled(foreign ? "· fixed by the format" : "· a mapping chosen here is remembered for the next file with this header");
            // (no scrolling of its own: the tab's child scrolls it, and Tab reaches its lists)
            if (!ImGui::BeginTable("cols", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable,
                                   ImVec2(0, ImGui::GetContentRegionAvail().y)))
                return;
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Column", ImGuiTableColumnFlags_WidthStretch, 0.7f);
            ImGui::TableSetupColumn("Sample values", ImGuiTableColumnFlags_WidthStretch, 1.2f);
            ImGui::TableSetupColumn("Import as", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 7);
            // (the headers are no Tab stops: Tab goes from list to list)
            ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
            ImGui::TableHeadersRow();
            ImGui::PopItemFlag();
            for (size_t c = 0; c < plan.columns.size(); ++c) {
                const PlanColumn& col = plan.columns[c];
                ImGui::PushID(int(c));
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::AlignTextToFramePadding();
                if (col.header.empty()) ImGui::TextDisabled("(blank header)");
                else ImGui::TextUnformatted(col.header.c_str());
                ImGui::TableNextColumn();
                std::string samples;
                for (const std::string& v : col.samples) samples += (samples.empty() ? "" : " · ") + clipText(v, 40);
                if (samples.empty()) ImGui::TextDisabled("(empty)");
                else ImGui::TextUnformatted(samples.c_str());
                ImGui::TableNextColumn();
                const auto choices = targetChoices(s.dir, col);
                if (foreign) {   // the format's own columns: shown, not chosen
                    ImGui::AlignTextToFramePadding();
                    ImGui::TextUnformatted(labelOf(choices, col.target).c_str());
                    layout_.columns.push_back({col.header, col.target, col.source, lastRect()});
                    ImGui::TableNextColumn();
                    ImGui::PopID();
                    continue;
                }
                ImGui::SetNextItemWidth(-FLT_MIN);
                const ImGuiID comboId = ImGui::GetID("##target");
                const bool comboOpen = ImGui::BeginCombo("##target", labelOf(choices, col.target).c_str(), ImGuiComboFlags_HeightLarge);
                a11y::nameItem(comboId, "Column " + (col.header.empty() ? std::string("(blank header)") : col.header) + " imports as: " +
                                            labelOf(choices, col.target), "combobox");
                layout_.columns.push_back({col.header, col.target, col.source, lastRect()});
                if (comboOpen) {
                    for (const auto& [tg, label] : choices) {
                        const bool cur = equalsFolded(tg, col.target);
                        if (ImGui::Selectable(label.c_str(), cur) && !cur) {
                            remapCol = int(c);
                            remapTarget = tg;
                        }
                        layout_.targetChoices.push_back({tg, lastRect()});
                        if (cur) ImGui::SetItemDefaultFocus();
                    }
                    ImGui::EndCombo();
                }
                ImGui::TableNextColumn();
                ImGui::AlignTextToFramePadding();
                if (col.target.rfind("attribute:", 0) == 0) {
                    ImGui::TextDisabled("%s%s", attrTypeName(col.type), col.newAttribute ? " · new" : "");
                    if (col.newAttribute && ImGui::IsItemHovered())
                        ImGui::SetTooltip("Guessed from the values; change it in Attributes after the import.");
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        });
        if (!plan.errors.empty()) tab("Errors", plan.errors.size(), nullptr, [&] { diagTable("errs", plan.errors, colorError()); });
        tab("Changes", plan.counts.updated, &layout_.changesTab, [&] { peopleTable("chg", "Changes", s, plan.changes, plan.counts.updated, true); });
        tab("Added", plan.counts.added, nullptr, [&] { peopleTable("add", "Added", s, plan.added, plan.counts.added, false); });
        tab("Removed", plan.counts.removed, nullptr, [&] { peopleTable("rem", "Removed", s, plan.removed, plan.counts.removed, false); });
        tab("Warnings", plan.warnings.size(), nullptr, [&] { diagTable("warns", plan.warnings, colorWarn()); });
        ImGui::EndTabBar();
    }
    if (remapCol >= 0) {
        // The whole mapping as shown, with the changed column, given back to the core.
        ImportOptions o = flow.pendingOptions();
        o.mode = plan.mode;
        o.columns.clear();
        for (size_t c = 0; c < plan.columns.size(); ++c)
            o.columns.push_back({plan.columns[c].header, int(c) == remapCol ? remapTarget : plan.columns[c].target});
        recheckWith(o, " with the new columns");
        ImGui::EndPopup();
        return applied;
    }
    ImGui::Separator();
    // Applies the pending plan (it is ok): at once, or as a job; the popup closes when it is done.
    auto applyNow = [&]() -> bool {
        appliedName_ = flow.pendingName();
        if (flow.appliesAsJob() && !host.runningJob()) {
            // Applied as a job: progress bar, Cancel (which undoes what was applied so far). A plan
            // the directory has moved past is checked again first, also as a job.
            if (flow.stale()) startRecheckThenApply(flow, st, host);
            else startApplyJob(flow, st, host);
            ImGui::CloseCurrentPopup();
            return true;
        }
        applied = flow.confirm();
        if (!applied.value("applied", false)) {
            st.notify("The import was not applied", host.nowSeconds(), true);
            applied = json();
        } else {
            noteApplied(applied);
            ImGui::CloseCurrentPopup();
        }
        return false;
    };
    if (!plan.ok() && plan.rowErrorsOnly && plan.rowsInError) {
        const std::string label = "Skip the " + formatCount(plan.rowsInError) + " row" + (plan.rowsInError == 1 ? "" : "s") +
                                  " with errors and import the rest";
        const bool click = primaryButton(label.c_str());
        layout_.skipRows = lastRect();
        if (click) {
            ImportOptions o = flow.pendingOptions();
            o.mode = plan.mode;
            o.skipInvalidRows = true;
            if (flow.rechecksAsJob()) {
                if (!host.runningJob()) {
                    appliedName_ = flow.pendingName();
                    flow.setPendingOptions(o);
                    startRecheckThenApply(flow, st, host);
                    ImGui::CloseCurrentPopup();
                }
            } else {
                flow.recheck(o);
                if (flow.pending() && flow.pending()->ok()) applyNow();
            }
            ImGui::EndPopup();
            return applied;
        }
        ImGui::SameLine();
    }
    ImGui::BeginDisabled(!plan.ok());
    const bool requested = applyRequested_ && plan.ok();
    applyRequested_ = false;
    if (focusApply_ && plan.ok()) {   // Enter applies; Tab walks the dialog (the mapping's lists) from here
        focusApply_ = false;
        focusNextItem(st.keyboardInUse);
    }
    const bool applyClicked = primaryButton(plan.ok() ? "Apply import" : "Apply import (fix the errors first)");
    layout_.apply = lastRect();
    if (applyClicked || requested) {
        if (applyNow()) {
            ImGui::EndDisabled();
            ImGui::EndPopup();
            return applied;
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    const bool cancelClicked = ImGui::Button("Cancel");
    layout_.cancel = lastRect();
    // Escape closes an open target combo first (it was open in the last frame), then the preview.
    const bool comboOpen = !layout_.targetChoices.empty() || comboWasOpen_;
    comboWasOpen_ = !layout_.targetChoices.empty();
    if (cancelClicked || (ImGui::IsKeyPressed(ImGuiKey_Escape) && !comboOpen)) {
        flow.cancel();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("Applying is one step: Ctrl+Z undoes the whole import.");
    ImGui::EndPopup();
    return applied;
}

}  // namespace roster::ui
