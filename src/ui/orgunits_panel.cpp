// The Org units view: the units as a tree (indented, expand/collapse, each with its member count
// and a "Move under…" action), and the editor of one: name, place in the tree, a filter built from
// conditions grouped with all / any / not, the live membership of the draft within the parent's
// members and who would join or leave compared with the saved filter. Units are shared as JSON files
// (export / import). Every edit is a typed command (orgunits.h) run through Session::execute.
#include "orgunits_panel.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

#include "orgunits.h"
#include "attributes_panel.h"
#include "text.h"
#include "ui_commands.h"
#include "widgets.h"
#include "value_input.h"

namespace roster::ui {

using json = nlohmann::json;

// ---------------------------------------------------------------- state

uint64_t OrgUnitsPanel::navCount(const Session& s) {
    uint64_t n = 0;
    for (const OrgUnit& u : s.dir.orgUnits()) n += u.alive;
    return n;
}

void OrgUnitsPanel::refreshCounts(const Directory& d) {
    if (countsRev_ == d.revision() && counts_.size() == d.orgUnits().size()) return;
    counts_ = orgUnitMemberCounts(d);
    kids_.assign(d.orgUnits().size(), {});
    roots_.clear();
    for (const OrgUnitRow& r : orgUnitTree(d)) {
        const uint32_t p = r.depth == 0 ? kNone : d.orgUnitParent(r.unit);
        (p == kNone ? roots_ : kids_[p]).push_back(r.unit);
    }
    countsRev_ = d.revision();
}

uint32_t OrgUnitsPanel::editedParent(const Directory& d) const {
    if (sel_ != kNone) return d.orgUnitParent(sel_);
    return newParent_ < d.orgUnits().size() && d.orgUnits()[newParent_].alive ? newParent_ : kNone;
}

// "Engineering > London": the units above u, or "" at the top level.
static std::string pathLabel(const Directory& d, uint32_t parent) {
    std::string out;
    for (uint32_t p : orgUnitPath(d, parent)) {
        if (!out.empty()) out += " > ";
        out += std::string(d.s(d.orgUnits()[p].name));
    }
    return out;
}

// A saved filter as the builder shows it (a bare condition wrapped in an "all" group), to tell an
// unchanged draft from an edited one; the saved text itself when the builder cannot show it.
static std::string builderText(const std::string& saved) {
    json j = json::parse(saved, nullptr, false);
    FilterTree t;
    if (j.is_discarded() || !filterTreeFromJson(j, t)) return saved;
    if (!t.group) {
        FilterTree g;
        g.kids.push_back(std::move(t));
        t = std::move(g);
    }
    return filterTreeText(t);
}

static UiRect lastItemRect() {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return UiRect{a.x, a.y, b.x - a.x, b.y - a.y};
}

void OrgUnitsPanel::select(const Directory& d, uint32_t unit) {
    sel_ = unit;
    editing_ = true;
    error_.clear();
    saveError_.clear();
    const OrgUnit& u = d.orgUnits()[unit];
    name_ = std::string(d.s(u.name));
    savedText_ = std::string(d.s(u.filter));
    json j = json::parse(savedText_, nullptr, false);
    FilterTree n;
    rawMode_ = false;
    if (!j.is_discarded() && filterTreeFromJson(j, n)) {
        if (!n.group) {   // the builder edits a group at the top
            FilterTree g;
            g.kids.push_back(std::move(n));
            n = std::move(g);
        }
        draft_ = std::move(n);
    } else {
        rawMode_ = true;
        rawJson_ = j.is_discarded() ? savedText_ : j.dump(2);
    }
    builtDraft_.clear();
    builtSaved_.clear();
    listTab_ = 0;
}

void OrgUnitsPanel::startNew(const Directory& d, uint32_t parent) {
    sel_ = kNone;
    newParent_ = parent;
    focusName_ = true;
    editing_ = true;
    error_.clear();
    saveError_.clear();
    rawMode_ = false;
    int k = 1;
    const std::string base = parent != kNone ? "New sub-unit" : "New org unit";
    name_ = base;
    while (d.findOrgUnit(name_) != kNone) name_ = base + " " + std::to_string(++k);
    draft_ = FilterTree{};
    FilterTree c;
    c.group = false;
    // Start with a condition on the first attribute, if any (e.g. "Team equals ...").
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
        if (d.attrDefs()[a].alive) { c.key = std::string(d.s(d.attrDefs()[a].key)); break; }
    draft_.kids.push_back(c);
    savedText_.clear();
    builtDraft_.clear();
    builtSaved_.clear();
    listTab_ = 0;
}

void OrgUnitsPanel::recompute(const Directory& d) {
    const uint32_t parent = editedParent(d);
    if (builtRev_ == d.revision() && builtDraft_ == draftText_ && builtSaved_ == savedText_ && builtParent_ == parent) return;
    Diag err;
    if (rawMode_) {   // the JSON typed by hand
        json j = json::parse(draftText_, nullptr, false);
        draftValid_ = !j.is_discarded() && draftFilter_.compile(d, j, err);
        error_ = draftValid_ ? "" : (j.is_discarded() ? "The filter is not valid JSON" : err.message);
    } else {
        draftValid_ = draftFilter_.compile(d, draft_, err);
        error_ = draftValid_ ? "" : err.message;
    }
    std::vector<uint8_t> now, before;
    if (draftValid_) draftFilter_.matchMask(d, now);
    else now.assign(d.slotCount(), 0);
    bool savedValid = !savedText_.empty() && savedFilter_.compileText(d, savedText_, err);
    if (savedValid) savedFilter_.matchMask(d, before);
    else before.assign(d.slotCount(), 0);
    // Members are those of the filter within the parent's members.
    if (parent != kNone) {
        std::vector<uint8_t> within;
        orgUnitMemberMask(d, parent, within);   // all 0 when an ancestor's filter no longer compiles
        for (size_t i = 0; i < within.size(); ++i) {
            now[i] &= within[i];
            before[i] &= within[i];
        }
    }
    members_.clear();
    joins_.clear();
    leaves_.clear();
    for (uint32_t s = 0; s < d.slotCount(); ++s) {
        if (now[s]) members_.push_back(s);
        if (!savedText_.empty() && draftValid_) {
            if (now[s] && !before[s]) joins_.push_back(s);
            if (!now[s] && before[s]) leaves_.push_back(s);
        }
    }
    builtRev_ = d.revision();
    builtDraft_ = draftText_;
    builtSaved_ = savedText_;
    builtParent_ = parent;
}

// ---------------------------------------------------------------- list

void OrgUnitsPanel::drawUnit(Session& s, uint32_t u, uint32_t depth) {
    const Directory& d = s.dir;
    const OrgUnit& unit = d.orgUnits()[u];
    const std::vector<uint32_t>& kids = kids_[u];
    ImGuiTreeNodeFlags fl = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_OpenOnDoubleClick | ImGuiTreeNodeFlags_SpanAvailWidth |
                            ImGuiTreeNodeFlags_FramePadding;
    if (kids.empty()) fl |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
    if (editing_ && sel_ == u) fl |= ImGuiTreeNodeFlags_Selected;
    ImGui::SetNextItemOpen(true, ImGuiCond_Once);   // a tree starts unfolded
    const std::string label = std::string(d.s(unit.name)) + "###unit" + std::to_string(unit.id);
    const bool open = ImGui::TreeNodeEx(label.c_str(), fl);
    layout_.rows.push_back(OrgUnitsLayout::Row{u, depth, open && !kids.empty(), !kids.empty(), counts_[u], lastItemRect()});
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && !ImGui::IsItemToggledOpen()) select(d, u);
    if (ImGui::BeginPopupContextItem()) {
        if (ImGui::MenuItem("Move under…")) {
            moveUnit_ = u;
            openMove_ = true;
        }
        if (ImGui::MenuItem("New sub-unit")) startNew(d, u);
        if (ImGui::MenuItem("Delete…")) {
            select(d, u);
            openDelete_ = true;
        }
        ImGui::EndPopup();
    }
    // The member count, right-aligned on the row.
    std::string count = counts_[u] < 0 ? "!" : formatCount(uint64_t(counts_[u]));
    const float cw = ImGui::CalcTextSize(count.c_str()).x;
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - cw - ImGui::GetStyle().ItemSpacing.x);
    if (counts_[u] < 0) {
        ImGui::TextColored(colorError(), "%s", count.c_str());
        ImGui::SetItemTooltip("The filter (or a parent's) refers to an attribute that no longer exists");
    } else {
        ImGui::TextDisabled("%s", count.c_str());
        ImGui::SetItemTooltip("%s within %s", counts_[u] == 1 ? "member" : "members",
                              d.orgUnitParent(u) == kNone ? "the directory" : std::string(d.s(d.orgUnits()[d.orgUnitParent(u)].name)).c_str());
    }
    if (open && !kids.empty()) {
        for (uint32_t k : kids) drawUnit(s, k, depth + 1);
        ImGui::TreePop();
    }
}

void OrgUnitsPanel::drawList(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    refreshCounts(d);
    if (primaryButton("+ New unit", ImVec2(-1, 0))) startNew(d);
    layout_.newUnit = lastItemRect();
    ImGui::SetItemTooltip("A new unit at the top level (right-click a unit for a sub-unit)");
    ImGui::Spacing();
    ImGui::BeginChild("units", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2 - ImGui::GetStyle().ItemSpacing.y), ImGuiChildFlags_None);
    for (uint32_t u : roots_) drawUnit(s, u, 0);
    if (roots_.empty()) {
        ImGui::Spacing();
        ImGui::TextWrapped("No org units yet.");
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        ImGui::TextWrapped("A unit is a filter over attributes, name and email: e.g. everyone whose Team is Platform "
                           "and whose Designation contains Senior. Membership follows every edit. Units form a tree: "
                           "a sub-unit's members are those of its filter within its parent's members.");
        ImGui::PopStyleColor();
    }
    ImGui::EndChild();
    ImGui::Separator();
    float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::BeginDisabled(navCount(s) == 0);
    if (ImGui::Button("Export…", ImVec2(half, 0))) {
        host.saveExport("org-units.json", orgUnitsFile(d).dump(2));
        st.notify("Exported " + formatCount(navCount(s)) + " org units to org-units.json", host.nowSeconds());
    }
    ImGui::SetItemTooltip("Save the units as a JSON file to share");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Import…", ImVec2(-1, 0))) {
        openImport_ = true;
        importText_.clear();
        importError_.clear();
    }
    ImGui::SetItemTooltip("Paste units exported from Roster (JSON)");
}

// ---------------------------------------------------------------- builder

static const char* opLabel(FilterOp op) {
    switch (op) {
        case FilterOp::Equals: return "is";
        case FilterOp::NotEquals: return "is not";
        case FilterOp::Contains: return "contains";
        case FilterOp::BeginsWith: return "begins with";
        case FilterOp::EndsWith: return "ends with";
        case FilterOp::IsEmpty: return "is empty";
        case FilterOp::Gt: return "> greater than";
        case FilterOp::Gte: return "≥ at least";
        case FilterOp::Lt: return "< less than";
        case FilterOp::Lte: return "≤ at most";
        case FilterOp::HasItem: return "has item";
    }
    return "";
}

bool OrgUnitsPanel::drawNode(const Session& s, FilterTree& n, int depth, bool& removeMe) {
    const Directory& d = s.dir;
    const float em = ImGui::GetFontSize();
    bool changed = false;
    ImGui::PushID(&n);
    if (n.group) {
        // Header: [NOT] Match [all|any] of:  [+ condition] [+ group] [x]
        ImGui::AlignTextToFramePadding();
        if (ImGui::Checkbox("not", &n.negate)) changed = true;
        ImGui::SetItemTooltip("Negate: match the people this group does NOT match");
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(depth == 0 ? "Match" : "Group: match");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 5.5f);
        const char* modes[] = {"all", "any"};
        int mode = n.any ? 1 : 0;
        if (ImGui::Combo("##mode", &mode, modes, 2)) { n.any = mode == 1; changed = true; }
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(n.any ? "of these (OR)" : "of these (AND)");
        ImGui::SameLine();
        if (ImGui::SmallButton("+ Condition")) {
            FilterTree c;
            c.group = false;
            if (!n.kids.empty() && !n.kids.back().group) c.key = n.kids.back().key;
            n.kids.push_back(c);
            changed = true;
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("+ Group")) {
            FilterTree g;
            g.any = !n.any;
            FilterTree c;
            c.group = false;
            g.kids.push_back(c);
            n.kids.push_back(g);
            changed = true;
        }
        if (depth > 0) {
            ImGui::SameLine();
            if (ImGui::SmallButton("×")) removeMe = true;
            ImGui::SetItemTooltip("Remove this group");
        }
        // Children, indented with a guide line.
        ImGui::Indent(em * 1.4f);
        ImVec2 top = ImGui::GetCursorScreenPos();
        size_t removeAt = SIZE_MAX;
        for (size_t i = 0; i < n.kids.size(); ++i) {
            bool rm = false;
            if (drawNode(s, n.kids[i], depth + 1, rm)) changed = true;
            if (rm) removeAt = i;
        }
        if (n.kids.empty()) ImGui::TextDisabled(n.any ? "(no conditions: matches nobody)" : "(no conditions: matches everyone)");
        ImVec2 bottom = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(top.x - em * 0.8f, top.y), ImVec2(top.x - em * 0.8f, bottom.y - 4),
                                            ImGui::GetColorU32(ImGuiCol_Separator), 2.0f);
        ImGui::Unindent(em * 1.4f);
        if (removeAt != SIZE_MAX) {
            n.kids.erase(n.kids.begin() + long(removeAt));
            changed = true;
        }
    } else {
        // Condition: [not] [key] [op] [value] [x]
        if (ImGui::Checkbox("not", &n.negate)) changed = true;
        ImGui::SameLine();
        // Key
        uint32_t attr = d.findAttr(n.key);
        bool builtin = equalsFolded(n.key, "name") || equalsFolded(n.key, "email");
        std::string keyLabel = equalsFolded(n.key, "name") ? "Name" : equalsFolded(n.key, "email") ? "Email" :
                               attr != kNone ? attrDisplayName(d, attr) : n.key + " (missing)";
        ImGui::SetNextItemWidth(em * 9);
        if (ImGui::BeginCombo("##key", keyLabel.c_str())) {
            if (ImGui::Selectable("Name", equalsFolded(n.key, "name"))) { n.key = "name"; changed = true; }
            if (ImGui::Selectable("Email", equalsFolded(n.key, "email"))) { n.key = "email"; changed = true; }
            ImGui::Separator();
            for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
                if (!d.attrDefs()[a].alive) continue;
                ImGui::PushID(int(a));
                if (ImGui::Selectable(attrDisplayName(d, a).c_str(), a == attr)) {
                    n.key = std::string(d.s(d.attrDefs()[a].key));
                    changed = true;
                }
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        if (!builtin && attr == kNone) ImGui::SetItemTooltip("This attribute no longer exists");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 8.5f);
        if (ImGui::BeginCombo("##op", opLabel(n.op))) {
            for (int i = 0; i < kFilterOpCount; ++i) {
                if (ImGui::Selectable(opLabel(FilterOp(i)), FilterOp(i) == n.op)) { n.op = FilterOp(i); changed = true; }
                if (FilterOp(i) == FilterOp::HasItem)
                    ImGui::SetItemTooltip("The value is a list split on ';' (e.g. Core;Platform) that holds this item, ignoring case");
            }
            ImGui::EndCombo();
        }
        if (n.op != FilterOp::IsEmpty) {
            ImGui::SameLine();
            AttrType t = attr != kNone ? d.attrDefs()[attr].type : builtin && equalsFolded(n.key, "email") ? AttrType::Email : AttrType::Text;
            if (t == AttrType::Email && n.op != FilterOp::Equals && n.op != FilterOp::NotEquals) t = AttrType::Text;
            if (n.op == FilterOp::HasItem) t = AttrType::Text;   // one item of a ';' list, typed as text
            std::string before = n.value;
            float w = std::max(em * 8, ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() - ImGui::GetStyle().ItemSpacing.x);
            attrValueInput("value", s, t, n.value, w);
            if (!layout_.firstValue.shown()) layout_.firstValue = lastItemRect();
            if (n.value != before) changed = true;   // live: membership follows every keystroke
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("×")) removeMe = true;
        ImGui::SetItemTooltip("Remove this condition");
    }
    ImGui::PopID();
    return changed;
}

// ---------------------------------------------------------------- editor

void OrgUnitsPanel::drawEditor(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    const float em = ImGui::GetFontSize();
    if (editing_ && sel_ != kNone && (sel_ >= d.orgUnits().size() || !d.orgUnits()[sel_].alive)) editing_ = false;   // deleted / undone
    if (!editing_) {
        ImGui::Spacing();
        ImGui::TextDisabled("Select an org unit, or create one with “+ New unit”.");
        return;
    }
    // Follow the saved state when it changes under us (undo, API), keeping an unsaved draft.
    if (sel_ != kNone) {
        std::string cur(d.s(d.orgUnits()[sel_].filter));
        if (cur != savedText_) {
            bool dirty = !rawMode_ && filterTreeText(draft_) != builderText(savedText_);
            if (dirty) savedText_ = cur;
            else select(d, sel_);
        }
    }
    // Name and actions
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Name");
    ImGui::SameLine();
    const float actionsW = ImGui::CalcTextSize("Save").x + ImGui::CalcTextSize("Revert").x + ImGui::CalcTextSize("Delete…").x +
                           ImGui::GetStyle().FramePadding.x * 6 + ImGui::GetStyle().ItemSpacing.x * 3;
    ImGui::SetNextItemWidth(std::max(em * 8, ImGui::GetContentRegionAvail().x - actionsW));
    if (focusName_) {
        ImGui::SetKeyboardFocusHere();
        focusName_ = false;
    }
    ImGui::InputText("##name", &name_, ImGuiInputTextFlags_AutoSelectAll);
    layout_.name = lastItemRect();
    // The draft in its stored form, to compare with the saved filter (and to key the membership).
    if (rawMode_) {   // normalise the raw text for comparisons
        json j = json::parse(rawJson_, nullptr, false);
        draftText_ = j.is_discarded() ? rawJson_ : j.dump();
    } else {
        draftText_ = filterTreeText(draft_);
    }
    recompute(d);
    const std::string savedName = sel_ != kNone ? std::string(d.s(d.orgUnits()[sel_].name)) : "";
    // (a unit saved through the API as a bare condition is shown wrapped in a group: not an edit)
    const bool dirty = sel_ == kNone || (draftText_ != savedText_ && (rawMode_ || draftText_ != builderText(savedText_))) ||
                       std::string(trim(name_)) != savedName;
    ImGui::SameLine();
    ImGui::BeginDisabled(!dirty || !draftValid_ || trim(name_).empty());
    const bool saveClicked = primaryButton("Save");
    layout_.save = lastItemRect();
    if (saveClicked) {
        CmdResult r;
        std::string nm(trim(name_));
        // The builder's tree, or the JSON typed by hand when the builder cannot show the filter.
        // A new unit is saved under the parent chosen for it; a saved unit keeps its place (moves
        // are their own step: "Move under…").
        const uint32_t np = editedParent(d);
        OrgUnitParentRef parent = sel_ == kNone && np != kNone ? OrgUnitParentRef::unit(std::string(d.s(d.orgUnits()[np].name)))
                                                               : OrgUnitParentRef::keep();
        SaveOrgUnitCmd save = rawMode_ ? SaveOrgUnitCmd(nm, json::parse(draftText_), parent) : SaveOrgUnitCmd(nm, draft_, parent);
        if (sel_ != kNone && nm != savedName) {
            RenameAndSaveCmd cmd(savedName, nm, std::move(save));
            r = s.execute(cmd);
        } else {
            if (sel_ == kNone && d.findOrgUnit(nm) != kNone) {
                r = CmdResult::fail("DUPLICATE_ORG_UNIT", "There is already an org unit \"" + nm + "\"");
            } else {
                r = s.execute(save);
            }
        }
        if (r.ok) {
            saveError_.clear();
            select(s.dir, s.dir.findOrgUnit(nm));
            st.notify("Saved the org unit " + nm + " — Ctrl+Z to undo", host.nowSeconds());
        } else {
            saveError_ = r.error.message;
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!dirty || sel_ == kNone);
    if (ImGui::Button("Revert")) select(d, sel_);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(sel_ == kNone);
    if (ImGui::Button("Delete…")) openDelete_ = true;
    ImGui::EndDisabled();
    if (!saveError_.empty()) textWrappedColored(colorError(), saveError_);
    if (sel_ == kNone) ImGui::TextDisabled("New unit — not saved yet");
    else if (dirty) ImGui::TextColored(colorWarn(), "Unsaved changes");
    else ImGui::TextDisabled("Saved");

    // Place in the tree: a new unit chooses its parent here; a saved one moves with "Move under…".
    {
        const uint32_t parent = editedParent(d);
        const std::string where = parent == kNone ? "(top level)" : pathLabel(d, parent);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Inside");
        ImGui::SameLine();
        if (sel_ == kNone) {
            ImGui::SetNextItemWidth(std::max(em * 10, ImGui::GetContentRegionAvail().x * 0.5f));
            const bool comboOpen = ImGui::BeginCombo("##parent", where.c_str());
            layout_.parentCombo = lastItemRect();
            if (comboOpen) {
                if (ImGui::Selectable("(top level)", parent == kNone)) newParent_ = kNone;
                layout_.parentChoices.emplace_back("(top level)", lastItemRect());
                for (const OrgUnitRow& r : orgUnitTree(d)) {
                    ImGui::PushID(int(r.unit));
                    ImGui::Indent(em * float(r.depth));
                    std::string nm(d.s(d.orgUnits()[r.unit].name));
                    if (ImGui::Selectable(nm.c_str(), parent == r.unit)) newParent_ = r.unit;
                    layout_.parentChoices.emplace_back(nm, lastItemRect());
                    ImGui::Unindent(em * float(r.depth));
                    ImGui::PopID();
                }
                ImGui::EndCombo();
            }
            ImGui::SetItemTooltip("The new unit's members are those of its filter within this unit's members");
        } else {
            ImGui::TextUnformatted(where.c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Move under…")) {
                moveUnit_ = sel_;
                openMove_ = true;
            }
            layout_.moveUnder = lastItemRect();
            ImGui::SetItemTooltip("Put this unit (and its sub-units) inside another unit, or at the top level");
            ImGui::SameLine();
            if (ImGui::SmallButton("+ Sub-unit")) startNew(d, sel_);
            layout_.newSubUnit = lastItemRect();
            ImGui::SetItemTooltip("A new unit inside this one");
        }
    }

    // Filter
    ImGui::SeparatorText("Filter");
    const float membersH = std::max(em * 12, ImGui::GetContentRegionAvail().y * 0.45f);
    ImGui::BeginChild("builder", ImVec2(0, ImGui::GetContentRegionAvail().y - membersH), ImGuiChildFlags_None);
    if (rawMode_) {
        ImGui::TextWrapped("This filter cannot be shown in the builder; edit it as JSON.");
        ImGui::InputTextMultiline("##raw", &rawJson_, ImVec2(-1, ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing()));
        if (ImGui::SmallButton("Start over with the builder")) {
            rawMode_ = false;
            draft_ = FilterTree{};
        }
    } else {
        bool rm = false;
        drawNode(s, draft_, 0, rm);
        if (ImGui::TreeNode("JSON")) {
            std::string pretty = filterTreeToJson(draft_).dump(2);
            ImGui::PushFont(ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr);
            ImGui::TextUnformatted(pretty.c_str());
            ImGui::PopFont();
            if (ImGui::SmallButton("Copy")) host.copyToClipboard(pretty);
            ImGui::TreePop();
        }
    }
    if (!error_.empty()) textWrappedColored(colorError(), error_);
    ImGui::EndChild();
    drawMembers(s, st);
}

void OrgUnitsPanel::drawMembers(Session& s, UiState& st) {
    const Directory& d = s.dir;
    ImGui::SeparatorText("Members");
    if (!draftValid_) {
        ImGui::TextDisabled("Fix the filter to see who belongs to this unit.");
        return;
    }
    ImGui::Text("%s %s", formatCount(members_.size()).c_str(), members_.size() == 1 ? "person" : "people");
    const uint32_t parent = editedParent(d);
    if (parent != kNone) {
        ImGui::SameLine();
        ImGui::TextDisabled("within %s", std::string(d.s(d.orgUnits()[parent].name)).c_str());
    }
    if (!savedText_.empty() && (joins_.size() || leaves_.size())) {
        ImGui::SameLine();
        ImGui::TextColored(colorOk(), "  +%s would join", formatCount(joins_.size()).c_str());
        ImGui::SameLine();
        ImGui::TextColored(colorError(), "  −%s would leave", formatCount(leaves_.size()).c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("(compared with the saved filter)");
    }
    if (ImGui::BeginTabBar("who")) {
        const std::vector<uint32_t>* list = nullptr;
        if (ImGui::BeginTabItem("Members")) { list = &members_; ImGui::EndTabItem(); }
        if (!savedText_.empty()) {
            std::string j = "Joining (" + formatCount(joins_.size()) + ")###join";
            std::string l = "Leaving (" + formatCount(leaves_.size()) + ")###leave";
            if (ImGui::BeginTabItem(j.c_str())) { list = &joins_; ImGui::EndTabItem(); }
            if (ImGui::BeginTabItem(l.c_str())) { list = &leaves_; ImGui::EndTabItem(); }
        }
        ImGui::EndTabBar();
        if (list) {
            if (ImGui::BeginTable("members", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV)) {
                ImGui::TableSetupScrollFreeze(0, 1);
                ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.0f);
                ImGui::TableSetupColumn("Email", ImGuiTableColumnFlags_WidthStretch, 1.3f);
                ImGui::TableHeadersRow();
                ImGuiListClipper clip;
                clip.Begin(int(list->size()));
                while (clip.Step())
                    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                        uint32_t slot = (*list)[size_t(i)];
                        if (!d.userAlive(slot)) continue;
                        ImGui::TableNextRow();
                        ImGui::TableNextColumn();
                        ImGui::PushID(int(slot));
                        std::string name(d.userName(slot).empty() ? "(no name)" : d.userName(slot));
                        if (ImGui::Selectable(name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) st.jumpTo(slot);
                        ImGui::SetItemTooltip("Show in Users");
                        ImGui::TableNextColumn();
                        ImGui::TextDisabled("%s", std::string(d.userEmail(slot)).c_str());
                        ImGui::PopID();
                    }
                ImGui::EndTable();
            }
        }
    }
}

void OrgUnitsPanel::drawImportModal(Session& s, UiState& st, Host& host) {
    if (openImport_) {
        ImGui::OpenPopup("Import org units");
        openImport_ = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Import org units", nullptr, 0)) return;
    ImGui::TextWrapped("Paste the contents of an org-units.json file exported from Roster. Units with the same name are replaced.");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextMultiline("##json", &importText_, ImVec2(-1, ImGui::GetFontSize() * 14));
    if (!importError_.empty()) textWrappedColored(colorError(), importError_);
    if (primaryButton("Import")) {
        json j = json::parse(importText_, nullptr, false);
        std::vector<OrgUnitEntry> units;
        Diag err;
        if (j.is_discarded()) importError_ = "This is not valid JSON.";
        else if (!parseOrgUnitsFile(j, units, err)) importError_ = err.message;
        else {
            ImportOrgUnitsCmd cmd(std::move(units));
            CmdResult r = s.execute(cmd);
            if (r.ok) {
                st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
                ImGui::CloseCurrentPopup();
            } else {
                importError_ = r.error.message;
            }
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void OrgUnitsPanel::drawDeleteModal(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (openDelete_) {
        ImGui::OpenPopup("Delete org unit?");
        openDelete_ = false;
    }
    if (!ImGui::BeginPopupModal("Delete org unit?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    if (sel_ == kNone || sel_ >= d.orgUnits().size() || !d.orgUnits()[sel_].alive) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    std::string name(d.s(d.orgUnits()[sel_].name));
    ImGui::Text("Delete the org unit %s?", name.c_str());
    if (size_t kids = orgUnitChildren(d, sel_).size()) {
        const uint32_t up = d.orgUnitParent(sel_);
        ImGui::Text("Its %zu sub-unit%s move%s up to %s.", kids, kids == 1 ? "" : "s", kids == 1 ? "s" : "",
                    up == kNone ? "the top level" : std::string(d.s(d.orgUnits()[up].name)).c_str());
    }
    ImGui::TextDisabled("Nobody is removed from the directory. You can undo this (Ctrl+Z).");
    ImGui::Spacing();
    if (dangerButton("Delete")) {
        DeleteOrgUnitCmd cmd(name);
        CmdResult r = s.execute(cmd);
        if (r.ok) st.notify(cmd.label() + " — Ctrl+Z to undo", host.nowSeconds());
        editing_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void OrgUnitsPanel::drawMovePopup(Session& s, UiState& st, Host& host) {
    const Directory& d = s.dir;
    if (openMove_) {
        ImGui::OpenPopup("Move under");
        openMove_ = false;
    }
    if (!ImGui::BeginPopup("Move under")) return;
    if (moveUnit_ >= d.orgUnits().size() || !d.orgUnits()[moveUnit_].alive) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const float em = ImGui::GetFontSize();
    const std::string name(d.s(d.orgUnits()[moveUnit_].name));
    const uint32_t cur = d.orgUnitParent(moveUnit_);
    ImGui::Text("Move %s under:", name.c_str());
    ImGui::Separator();
    auto choose = [&](uint32_t p) {
        MoveOrgUnitCmd cmd(name, p == kNone ? OrgUnitParentRef::root() : OrgUnitParentRef::unit(std::string(d.s(d.orgUnits()[p].name))));
        const std::string done = "Moved " + name + (p == kNone ? " to the top level" : " under " + std::string(d.s(d.orgUnits()[p].name)));
        runUiCommand(s, st, host.nowSeconds(), cmd, done);
        ImGui::CloseCurrentPopup();
    };
    if (ImGui::Selectable("(top level)", cur == kNone)) choose(kNone);
    layout_.moveChoices.emplace_back("(top level)", lastItemRect());
    for (uint32_t p : orgUnitValidParents(d, moveUnit_)) {
        // Indented as in the tree (the depth of p among the units shown).
        const float indent = em * float(orgUnitPath(d, p).size() - 1);
        ImGui::PushID(int(p));
        if (indent > 0) ImGui::Indent(indent);
        std::string nm(d.s(d.orgUnits()[p].name));
        if (ImGui::Selectable(nm.c_str(), cur == p)) choose(p);
        layout_.moveChoices.emplace_back(nm, lastItemRect());
        if (indent > 0) ImGui::Unindent(indent);
        ImGui::PopID();
    }
    ImGui::EndPopup();
}

void OrgUnitsPanel::Draw(Session& s, UiState& st, Host& host) {
    const float em = ImGui::GetFontSize();
    layout_ = OrgUnitsLayout{};
    const float listW = std::clamp(ImGui::GetContentRegionAvail().x * 0.26f, em * 12, em * 18);
    ImGui::BeginChild("unitlist", ImVec2(listW, 0), ImGuiChildFlags_None);
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted("Org units");
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Spacing();
    drawList(s, st, host);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("uniteditor", ImVec2(0, 0), ImGuiChildFlags_Border);
    drawEditor(s, st, host);
    ImGui::EndChild();
    drawImportModal(s, st, host);
    drawDeleteModal(s, st, host);
    drawMovePopup(s, st, host);
}

}  // namespace roster::ui
