// Account and alias sections of the editor pane, and the multi-selection's merge button.
#include <imgui.h>
#include <imgui_internal.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "collate.h"
#include "identities.h"
#include "normalize.h"
#include "person_picker.h"
#include "sections.h"
#include "text.h"
#include "ui_commands.h"
#include "widgets.h"

namespace roster::ui {

// The record to keep by default: a real (non-noreply) email, then most accounts, then the oldest.
static uint32_t defaultKeep(const Directory& d, const std::vector<uint32_t>& slots) {
    uint32_t best = slots.empty() ? kNone : slots[0];
    long bestRank = -1;
    for (uint32_t slot : slots) {
        std::string login;
        long rank = 0;
        if (!d.userEmail(slot).empty()) rank += parseNoreply(d.userEmail(slot), login) ? 1000000 : 2000000;
        uint32_t n = 0;
        d.identitiesOf(slot, n);
        rank += std::min<uint32_t>(n, 999999);
        if (rank > bestRank) { bestRank = rank; best = slot; }
    }
    return best;
}

static void mergeSelectedButton(Session& s, UiState& st) {
    const uint32_t n = st.selectedCount;
    std::string label = "Merge " + formatCount(n) + " selected people…";
    const bool tooMany = n > 100;
    ImGui::BeginDisabled(tooMany);
    if (primaryButton(label.c_str())) {
        std::vector<uint32_t> slots;
        for (uint32_t slot : st.selectedSlots())
            if (s.dir.userAlive(slot)) slots.push_back(slot);
        if (slots.size() >= 2) st.requestMerge(slots, defaultKeep(s.dir, slots));
    }
    ImGui::EndDisabled();
    if (tooMany) ImGui::SetItemTooltip("Select at most 100 people to merge at once");
    else ImGui::SetItemTooltip("One record with every account and email of the selected people");
}

// ---------------------------------------------------------------- the editor sections

void AccountsSection::Draw(Session& s, UiState& st, Host& host, uint32_t slot) {
    const Directory& d = s.dir;
    const double now = host.nowSeconds();
    if (errorSlot_ != slot) error_.clear();
    if (st.selectedCount > 1 && st.isSelected(slot)) {
        ImGui::Spacing();
        mergeSelectedButton(s, st);
    }
    auto aliases = d.aliasesOf(slot);
    if (!aliases.empty()) {
        ImGui::Spacing();
        ImGui::SeparatorText(("Other emails (" + std::to_string(aliases.size()) + ")").c_str());
        for (uint32_t ai : aliases) ImGui::BulletText("%s", std::string(d.s(d.aliases()[ai].email)).c_str());
        ImGui::TextDisabled("Import rows with these emails belong to this person.");
    }
    ImGui::Spacing();
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    std::vector<uint32_t> idents(list, list + n);
    ImGui::SeparatorText(("Accounts (" + std::to_string(n) + ")").c_str());
    const std::vector<std::string> patterns = botPatternList(d);
    if (n == 0) ImGui::TextDisabled("No accounts in any integration yet.");
    else if (ImGui::BeginTable("accounts", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupColumn("Integration", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("Account", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("##act", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("...").x + ImGui::GetStyle().FramePadding.x * 4);
        ImGui::TableHeadersRow();
        for (uint32_t ii : idents) {
            const Identity& id = d.identities()[ii];
            ImGui::PushID(int(ii));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            std::string integ(d.s(d.integrations()[id.integ].name));
            ImGui::TextUnformatted(integ.c_str());
            ImGui::TableNextColumn();
            std::string acc(d.s(id.account));
            ImGui::TextUnformatted(acc.c_str());
            const bool excluded = id.flags & kIdentExcluded;
            const bool bot = identityLooksLikeBot(d, ii, patterns);
            if (!id.display.empty() && d.s(id.display) != d.s(id.account)) {
                ImGui::SameLine();
                ImGui::TextDisabled("(%s)", std::string(d.s(id.display)).c_str());
            }
            if (excluded) {
                ImGui::SameLine();
                ImGui::TextColored(colorMuted(), "[excluded]");
            } else if (bot) {
                ImGui::SameLine();
                ImGui::TextColored(colorWarn(), "[bot?]");
                ImGui::SetItemTooltip("Looks like a bot or service account");
            }
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("...")) ImGui::OpenPopup("acc-menu");
            ImGui::SetItemTooltip("Split off, move, exclude");
            if (ImGui::BeginPopup("acc-menu")) {
                ImGui::TextDisabled("%s %s", integ.c_str(), acc.c_str());
                ImGui::Separator();
                if (ImGui::MenuItem("Split into a new person")) {
                    IdentityCmd c = IdentityCmd::split(d.userId(slot), integ, acc);
                    runUiCommand(s, st, now, c, "Split " + integ + " " + acc + " into a new person");
                }
                if (ImGui::MenuItem("Move to another person…")) {
                    moveIdent_ = ii;
                    movePicker_ = PersonPicker();
                    openMove_ = true;
                }
                if (ImGui::MenuItem("Unassign")) {
                    IdentityCmd c = IdentityCmd::unassign(integ, acc);
                    runUiCommand(s, st, now, c, integ + " " + acc + " is now unassigned");
                }
                ImGui::Separator();
                if (ImGui::MenuItem(excluded ? "Not a bot: include it again" : "Mark as bot / excluded")) {
                    IdentityCmd c = IdentityCmd::setExcluded(integ, acc, !excluded);
                    runUiCommand(s, st, now, c, excluded ? integ + " " + acc + " included again" : integ + " " + acc + " marked as bot / excluded");
                }
                ImGui::EndPopup();
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (openMove_) {
        ImGui::OpenPopup("move-account");
        openMove_ = false;
    }
    if (ImGui::BeginPopup("move-account")) {
        if (moveIdent_ < d.identities().size() && d.identities()[moveIdent_].alive) {
            const Identity& id = d.identities()[moveIdent_];
            std::string integ(d.s(d.integrations()[id.integ].name)), acc(d.s(id.account));
            ImGui::Text("Move %s account %s to:", integ.c_str(), acc.c_str());
            uint32_t to = drawPersonPicker(s, movePicker_, slot);
            if (to != kNone) {
                IdentityCmd c = IdentityCmd::move(integ, acc, d.userId(to));
                runUiCommand(s, st, now, c, "Moved " + integ + " " + acc + " to " + personLabel(d, to));
                ImGui::CloseCurrentPopup();
            }
        } else {
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
    // Add an account by hand.
    ImGui::Spacing();
    if (ImGui::TreeNodeEx("Add an account", ImGuiTreeNodeFlags_SpanAvailWidth)) {
        const auto& integs = d.integrations();
        if (addInteg_ >= int(integs.size()) || (addInteg_ >= 0 && !integs[size_t(addInteg_)].alive)) addInteg_ = -1;
        if (addInteg_ < 0)
            for (int i = 0; i < int(integs.size()); ++i)
                if (integs[size_t(i)].alive) { addInteg_ = i; break; }
        if (addInteg_ < 0) {
            ImGui::TextDisabled("No integrations yet: import a CSV with Integration: columns first.");
        } else {
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
            if (ImGui::BeginCombo("##addinteg", std::string(d.s(integs[size_t(addInteg_)].name)).c_str())) {
                for (int i = 0; i < int(integs.size()); ++i)
                    if (integs[size_t(i)].alive && ImGui::Selectable(std::string(d.s(integs[size_t(i)].name)).c_str(), i == addInteg_))
                        addInteg_ = i;
                ImGui::EndCombo();
            }
            ImGui::SameLine();
            ImGui::SetNextItemWidth(-ImGui::CalcTextSize("Add").x - ImGui::GetStyle().FramePadding.x * 2 - ImGui::GetStyle().ItemSpacing.x);
            bool enter = ImGui::InputTextWithHint("##addacc", "account id", &addAccount_, ImGuiInputTextFlags_EnterReturnsTrue);
            ImGui::SameLine();
            if ((ImGui::Button("Add") || enter) && !trim(addAccount_).empty()) {
                std::string integ(d.s(integs[size_t(addInteg_)].name));
                IdentityCmd c = IdentityCmd::add(d.userId(slot), integ, addAccount_);
                CmdResult r = s.execute(c);   // a refusal is shown under the field, not as a toast
                if (r.ok) {
                    st.notify("Added " + integ + " " + addAccount_ + " — Ctrl+Z to undo", now);
                    addAccount_.clear();
                    error_.clear();
                } else {
                    error_ = r.error.message;
                    errorSlot_ = slot;
                }
            }
            if (!error_.empty()) textWrappedColored(colorError(), error_);
        }
        ImGui::TreePop();
    }
}

void AccountsSection::DrawSelectionActions(Session& s, UiState& st, Host& host) {
    if (st.selectedCount >= 2) {
        mergeSelectedButton(s, st);
        ImGui::Spacing();
    }
}

}  // namespace roster::ui
