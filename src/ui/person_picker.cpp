// The person picker (see person_picker.h).
#include "person_picker.h"

#include "a11y.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "normalize.h"
#include "text.h"

namespace roster::ui {

uint32_t drawPersonPicker(const Session& s, PersonPicker& p, uint32_t exclude) {
    const Directory& d = s.dir;
    if (p.focus) {
        ImGui::SetKeyboardFocusHere();
        p.focus = false;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
    bool enter = ImGui::InputTextWithHint("##pick", "Search people by name or email", &p.query, ImGuiInputTextFlags_EnterReturnsTrue);
    a11y::field("Search people by name or email (Enter picks the first)", p.query);
    if (p.builtQuery != p.query || p.builtRev != d.revision()) {
        p.matches.clear();
        std::string needle = toLowerAscii(trim(p.query));
        std::string folded = foldText(needle);
        if (!needle.empty())
            for (uint32_t slot = 0; slot < d.slotCount() && p.matches.size() < 50; ++slot) {
                if (!d.userAlive(slot) || slot == exclude) continue;
                std::string n = toLowerAscii(d.userName(slot));
                bool hit = n.find(needle) != std::string::npos || toLowerAscii(d.userEmail(slot)).find(needle) != std::string::npos;
                if (!hit) {
                    // accent-insensitive match on names with accents ("jose" finds "José")
                    bool ascii = true;
                    for (unsigned char c : d.userName(slot)) if (c >= 0x80) { ascii = false; break; }
                    if (!ascii) hit = foldText(d.userName(slot)).find(folded) != std::string::npos;
                }
                if (hit) p.matches.push_back(slot);
            }
        p.builtQuery = p.query;
        p.builtRev = d.revision();
    }
    uint32_t picked = kNone;
    const float h = ImGui::GetTextLineHeightWithSpacing() * 8 + ImGui::GetStyle().FramePadding.y * 2;
    ImGui::BeginChild("##matches", ImVec2(ImGui::GetFontSize() * 22, h), ImGuiChildFlags_Border);
    if (trim(p.query).empty()) ImGui::TextDisabled("Type a name or an email.");
    else if (p.matches.empty()) ImGui::TextDisabled("Nobody matches.");
    for (uint32_t slot : p.matches) {
        ImGui::PushID(int(slot));
        if (ImGui::Selectable(personLabel(d, slot).c_str())) picked = slot;
        ImGui::PopID();
    }
    ImGui::EndChild();
    if (enter && !p.matches.empty()) picked = p.matches[0];
    return picked;
}

}  // namespace roster::ui
