#include "suggestions_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "a11y.h"
#include "identities.h"
#include "idle.h"
#include "text.h"
#include "ui_commands.h"
#include "widgets.h"

namespace roster::ui {

namespace {

std::string uidOf(const Directory& d, uint32_t slot) { return formatUserId(d.userId(slot)); }

std::string emailOrId(const Directory& d, uint32_t slot) {
    return d.userEmail(slot).empty() ? uidOf(d, slot) + " (no email)" : std::string(d.userEmail(slot));
}

void badge(const char* text, ImVec4 color) {
    ImVec2 sz = ImGui::CalcTextSize(text);
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float padX = ImGui::GetFontSize() * 0.35f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec4 bg = color;
    bg.w = 0.22f;
    dl->AddRectFilled(p, ImVec2(p.x + sz.x + padX * 2, p.y + sz.y), ImGui::GetColorU32(bg), ImGui::GetFontSize() * 0.25f);
    ImGui::SetCursorScreenPos(ImVec2(p.x + padX, p.y));
    ImGui::TextColored(color, "%s", text);
    ImGui::SameLine(0, padX + ImGui::GetStyle().ItemSpacing.x);
}

ImVec4 mergeColor() { return ImVec4(0.55f, 0.62f, 1.0f, 1); }
ImVec4 assignColor() { return ImVec4(0.35f, 0.80f, 0.75f, 1); }

}  // namespace

bool SuggestionsPanel::stillValid(const Directory& d, const Suggestion& sg) const {
    for (uint32_t slot : sg.slots)
        if (!d.userAlive(slot)) return false;
    if (sg.kind == Suggestion::Assign) {
        if (sg.ident >= d.identities().size()) return false;
        const Identity& id = d.identities()[sg.ident];
        if (!id.alive || id.owner != kNone || (id.flags & kIdentExcluded)) return false;
    }
    if (engine_.done() && engine_.revision() == d.revision()) return true;
    // While recomputing (a large directory takes a few frames), hide what was rejected meanwhile.
    if (sg.kind == Suggestion::Merge)
        return sg.slots.size() < 2 || !d.isRejected(mergeKey(d, sg.slots[0], sg.slots[1]));
    return !d.isRejected(assignKey(d, sg.ident, sg.slots[0]));
}

NavCount SuggestionsPanel::navCount(const Session& s, bool advance) {
    // As the lint behind the Problems count.
    const double budgetMs = idle::Scheduler::countBudgetMs(double(ImGui::GetIO().DeltaTime) * 1000.0, false);
    if (advance && (!engine_.done() || engine_.revision() != s.dir.revision())) engine_.step(s.dir, budgetMs);
    if (engine_.done()) lastCount_ = engine_.results().size();
    const bool current = engine_.done() && engine_.revision() == s.dir.revision();
    return {lastCount_, navStale_.behind(!current, ImGui::GetTime())};
}

void SuggestionsPanel::accept(Session& s, UiState& st, Host& host, const Suggestion& sg) {
    const Directory& d = s.dir;
    const double now = host.nowSeconds();
    if (sg.kind == Suggestion::Merge) {
        std::vector<uint32_t> from;
        for (size_t i = 1; i < sg.slots.size(); ++i) from.push_back(d.userId(sg.slots[i]));
        MergeUsersCmd c(d.userId(sg.slots[0]), std::move(from), {});
        CmdResult r = s.execute(c);
        if (r.ok) {
            st.notify("Merged into " + personShortLabel(s.dir, sg.slots[0]) + " — Ctrl+Z to undo", now);
        } else if (r.error.code == "MERGE_CONFLICT") {
            st.requestMerge(sg.slots, sg.slots[0]);   // the admin chooses the conflicting values
        } else {
            st.notify(r.error.message.empty() ? std::string("The merge was refused") : r.error.message, now, true);
        }
        return;
    }
    const Identity& id = d.identities()[sg.ident];
    std::string integ(d.s(d.integrations()[id.integ].name)), acc(d.s(id.account));
    IdentityCmd c = IdentityCmd::assign(d.userId(sg.slots[0]), integ, acc);
    runUiCommand(s, st, now, c, "Assigned " + integ + " " + acc + " to " + personShortLabel(d, sg.slots[0]));
}

void SuggestionsPanel::reject(Session& s, UiState& st, Host& host, const Suggestion& sg) {
    const Directory& d = s.dir;
    auto command = [&]() {
        if (sg.kind == Suggestion::Assign) {   // one person (sg.slots[0]) and the account
            const Identity& id = d.identities()[sg.ident];
            return RejectSuggestionCmd::assign(d.userId(sg.slots[0]), std::string(d.s(d.integrations()[id.integ].name)), std::string(d.s(id.account)));
        }
        std::vector<uint32_t> ids;
        for (uint32_t slot : sg.slots) ids.push_back(d.userId(slot));
        return RejectSuggestionCmd::merge(std::move(ids));
    };
    RejectSuggestionCmd c = command();
    runUiCommand(s, st, host.nowSeconds(), c, "Suggestion rejected: it will not be offered again");
}

void SuggestionsPanel::Draw(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    engine_.step(d, 8.0);
    const auto& results = engine_.results();

    // ---- toolbar
    // The keyboard comes to the view (Alt+5): to the first suggestion's Accept (Tab goes on through
    // the suggestions' buttons), or to the filter when there is none.
    if (st.focusMain) {
        st.focusMain = false;
        focusFirstRow_ = true;
    }
    if (focusFirstRow_ && rows_.empty() && engine_.done() && rowsRev_ == d.revision()) {
        focusFirstRow_ = false;
        focusNextItem(st.keyboardInUse);
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    const char* kinds[] = {"All suggestions", "Merge people", "Assign accounts"};
    ImGui::Combo("##kind", &kindFilter_, kinds, 3);
    a11y::name(std::string("Show: ") + kinds[std::clamp(kindFilter_, 0, 2)], "combobox");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    ImGui::InputTextWithHint("##ssearch", "Search names, emails, accounts", &search_);
    a11y::field("Search suggestions", search_);
    if (rowsRev_ != d.revision() || rowsEngineRev_ != engine_.revision() || rowsDone_ != engine_.done() || rowsFilter_ != kindFilter_ ||
        rowsSearch_ != search_) {
        rows_.clear();
        std::string needle = toLowerAscii(trim(search_));
        for (uint32_t i = 0; i < results.size(); ++i) {
            const Suggestion& sg = results[i];
            if (kindFilter_ == 1 && sg.kind != Suggestion::Merge) continue;
            if (kindFilter_ == 2 && sg.kind != Suggestion::Assign) continue;
            if (!stillValid(d, sg)) continue;
            if (!needle.empty()) {
                std::string hay;
                for (uint32_t slot : sg.slots) hay += toLowerAscii(d.userName(slot)) + " " + toLowerAscii(d.userEmail(slot)) + " ";
                if (sg.kind == Suggestion::Assign) hay += toLowerAscii(d.s(d.identities()[sg.ident].account)) + " " + toLowerAscii(d.s(d.identities()[sg.ident].display));
                if (hay.find(needle) == std::string::npos) continue;
            }
            rows_.push_back(i);
        }
        rowsRev_ = d.revision();
        rowsEngineRev_ = engine_.revision();
        rowsDone_ = engine_.done();
        rowsFilter_ = kindFilter_;
        rowsSearch_ = search_;
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    if (engine_.done()) {
        ImGui::TextDisabled("%s of %s", formatCount(rows_.size()).c_str(), formatCount(results.size()).c_str());
    } else {
        char overlay[64];
        snprintf(overlay, sizeof overlay, "Looking for suggestions… %d%%", int(engine_.progress() * 100));
        ImGui::ProgressBar(float(engine_.progress()), ImVec2(ImGui::GetFontSize() * 16, 0), overlay);
    }
    ImGui::SameLine();
    helpMarker("Roster only merges people automatically when they share an email (or alias). Everything else is a "
               "suggestion: accept it (one undo step) or reject it (never offered again, also after reloading or "
               "re-importing). Bots and excluded accounts are never suggested.");
    ImGui::Spacing();

    if (rows_.empty()) {
        ImGui::Spacing();
        if (!engine_.done()) ImGui::TextDisabled("Comparing people and accounts…");
        else if (d.userCount() == 0) ImGui::TextDisabled("No people yet: import a CSV or load the sample.");
        else if (!results.empty()) ImGui::TextDisabled("No suggestion matches.");
        else {
            ImGui::TextDisabled("No suggestions.");
            ImGui::TextDisabled("Nobody looks like a duplicate, and no unassigned account looks like anyone's.");
        }
        return;
    }

    // ---- the list: fixed two-line rows (virtualised)
    const ImGuiStyle& style = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float rowH = std::max(line * 2 + style.CellPadding.y * 2, ImGui::GetFrameHeight() * 2);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable("suggestions", 4, flags)) return;
    const float fs = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Score", ImGuiTableColumnFlags_WidthFixed, fs * 4.2f);
    ImGui::TableSetupColumn("Suggestion", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Why", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("Accept").x + ImGui::CalcTextSize("Reject").x + ImGui::CalcTextSize("Show").x + style.FramePadding.x * 6 +
                                style.ItemSpacing.x * 2 + 2);
    ImGui::TableHeadersRow();
    const Suggestion* acceptMe = nullptr;
    const Suggestion* rejectMe = nullptr;
    const Suggestion* showMe = nullptr;
    ImGuiListClipper clipper;
    clipper.Begin(int(rows_.size()), rowH);
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const Suggestion& sg = results[rows_[size_t(r)]];
            ImGui::PushID(int(rows_[size_t(r)]));
            ImGui::TableNextRow(0, rowH);
            // score
            ImGui::TableNextColumn();
            {
                ImVec4 c = sg.score >= 0.8 ? colorOk() : sg.score >= 0.5 ? colorWarn() : colorMuted();
                ImGui::TextColored(c, "%d%%", int(sg.score * 100 + 0.5));
                ImVec2 p = ImGui::GetCursorScreenPos();
                const float w = fs * 3.2f, h = fs * 0.3f;
                ImDrawList* dl = ImGui::GetWindowDrawList();
                ImVec4 bg = c;
                bg.w = 0.2f;
                dl->AddRectFilled(ImVec2(p.x, p.y + h), ImVec2(p.x + w, p.y + 2 * h), ImGui::GetColorU32(bg), h);
                dl->AddRectFilled(ImVec2(p.x, p.y + h), ImVec2(p.x + w * float(sg.score), p.y + 2 * h), ImGui::GetColorU32(c), h);
            }
            // who
            ImGui::TableNextColumn();
            std::string what;   // the buttons' names for the accessibility tree
            if (sg.kind == Suggestion::Merge) {
                what = "merge ";
                for (size_t i = 0; i < sg.slots.size(); ++i)
                    what += (i ? " and " : "") + personShortLabel(d, sg.slots[i]) + " <" + emailOrId(d, sg.slots[i]) + ">";
                badge("Merge", mergeColor());
                std::string who;
                for (size_t i = 0; i < sg.slots.size(); ++i) who += (i ? "  +  " : "") + personShortLabel(d, sg.slots[i]);
                ImGui::TextUnformatted(who.c_str());
                std::string mails;
                for (size_t i = 0; i < sg.slots.size(); ++i) mails += (i ? "   ·   " : "") + emailOrId(d, sg.slots[i]);
                ImGui::TextDisabled("%s", mails.c_str());
            } else {
                const Identity& id = d.identities()[sg.ident];
                badge("Assign", assignColor());
                std::string acc = std::string(d.s(d.integrations()[id.integ].name)) + " \u201C" + std::string(d.s(id.account)) + "\u201D";
                if (!id.display.empty() && d.s(id.display) != d.s(id.account)) acc += " (" + std::string(d.s(id.display)) + ")";
                ImGui::TextUnformatted((acc + "  \u2192  " + personShortLabel(d, sg.slots[0])).c_str());
                what = "assign " + acc + " to " + personShortLabel(d, sg.slots[0]);
                ImGui::TextDisabled("%s", emailOrId(d, sg.slots[0]).c_str());
            }
            // why
            ImGui::TableNextColumn();
            ImGui::BeginGroup();
            for (size_t i = 0; i < sg.reasons.size() && i < 2; ++i) {
                if (i == 1 && sg.reasons.size() > 2) {
                    ImGui::TextDisabled("%s  (+%zu more)", sg.reasons[i].c_str(), sg.reasons.size() - 2);
                } else {
                    ImGui::TextUnformatted(("\u2022 " + sg.reasons[i]).c_str());
                }
            }
            ImGui::EndGroup();
            if (ImGui::IsItemHovered()) {
                if (ImGui::BeginTooltip()) {
                    ImGui::PushTextWrapPos(fs * 32);
                    for (auto& reason : sg.reasons) ImGui::BulletText("%s", reason.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
            }
            // actions
            ImGui::TableNextColumn();
            ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (rowH - style.CellPadding.y * 2 - ImGui::GetFrameHeight()) * 0.5f);
            if (primaryButton("Accept")) acceptMe = &sg;
            if (focusFirstRow_ && r == clipper.DisplayStart) {
                focusFirstRow_ = false;
                focusLastItem(st.keyboardInUse);
            }
            a11y::name("Accept: " + what);
            ImGui::SetItemTooltip(sg.kind == Suggestion::Merge ? "Merge them into one record (one undo step)" : "Give the account to this person");
            ImGui::SameLine();
            if (ImGui::Button("Reject")) rejectMe = &sg;
            a11y::name("Reject: " + what);
            ImGui::SetItemTooltip("Not the same person: never suggest this again");
            ImGui::SameLine();
            if (ImGui::Button("Show")) showMe = &sg;
            a11y::name("Show: " + what);
            ImGui::SetItemTooltip("Open in the Users view");
            ImGui::PopID();
        }
    ImGui::EndTable();
    if (acceptMe) accept(s, st, host, *acceptMe);
    else if (rejectMe) reject(s, st, host, *rejectMe);
    else if (showMe) {
        st.jumpTo(showMe->slots[0]);
        for (uint32_t slot : showMe->slots) st.select(slot, true);   // both people selected: "Merge 2 selected…" is one click away
    }
}

}  // namespace roster::ui
