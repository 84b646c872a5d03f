// Typed inputs for attribute values (see value_input.h).
#include "a11y.h"
#include "value_input.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "text.h"
#include "values.h"
#include "widgets.h"

namespace roster::ui {

const char* attrTypeLabel(AttrType t) {
    switch (t) {
        case AttrType::Text: return "Text";
        case AttrType::Boolean: return "Yes / no";
        case AttrType::Date: return "Date";
        case AttrType::Number: return "Number";
        case AttrType::Email: return "Person (email)";
    }
    return "Text";
}

std::string attrDisplayName(const Directory& d, uint32_t attr) {
    const AttrDef& def = d.attrDefs()[attr];
    return std::string(d.s(def.label).empty() ? d.s(def.key) : d.s(def.label));
}

// ---------------------------------------------------------------- date picker

static int daysIn(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

static int weekday(int y, int m, int d) {   // 0 = Monday (Sakamoto)
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;   // 0 = Sunday
    return (w + 6) % 7;
}

bool datePickerButton(const char* id, std::string& buf) {
    ImGui::PushID(id);
    static int viewY = 0, viewM = 0;
    bool picked = false;
    if (ImGui::Button("▾##date")) {
        ImGui::OpenPopup("calendar");
        std::string norm;
        int y = 2024, m = 1;
        if (normalizeValue(AttrType::Date, buf, norm) && !norm.empty()) {
            y = std::atoi(norm.substr(0, 4).c_str());
            m = std::atoi(norm.substr(5, 2).c_str());
        } else {
            time_t now = time(nullptr);
            struct tm tmv;
            gmtime_r(&now, &tmv);
            y = tmv.tm_year + 1900;
            m = tmv.tm_mon + 1;
        }
        viewY = y;
        viewM = m;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pick a date");
    if (ImGui::BeginPopup("calendar")) {
        static const char* months[] = {"January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"};
        if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) { if (--viewM < 1) { viewM = 12; --viewY; } }
        ImGui::SameLine();
        if (ImGui::ArrowButton("##next", ImGuiDir_Right)) { if (++viewM > 12) { viewM = 1; ++viewY; } }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        ImGui::InputInt("##year", &viewY, 1, 10);
        viewY = std::clamp(viewY, 1, 9999);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(months[viewM - 1]);
        std::string norm;
        int selY = 0, selM = 0, selD = 0;
        if (normalizeValue(AttrType::Date, buf, norm) && !norm.empty())
            std::sscanf(norm.c_str(), "%d-%d-%d", &selY, &selM, &selD);
        if (ImGui::BeginTable("days", 7, ImGuiTableFlags_SizingFixedSame)) {
            static const char* wd[] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
            for (const char* w : wd) {
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", w);
            }
            int first = weekday(viewY, viewM, 1), n = daysIn(viewY, viewM);
            ImGui::TableNextRow();
            for (int i = 0; i < first; ++i) ImGui::TableNextColumn();
            for (int day = 1; day <= n; ++day) {
                ImGui::TableNextColumn();
                char label[8];
                std::snprintf(label, sizeof label, "%2d", day);
                bool sel = selY == viewY && selM == viewM && selD == day;
                if (ImGui::Selectable(label, sel, 0, ImVec2(ImGui::GetFontSize() * 1.4f, 0))) {
                    char out[16];
                    std::snprintf(out, sizeof out, "%04d-%02d-%02d", viewY, viewM, day);
                    buf = out;
                    picked = true;
                    ImGui::CloseCurrentPopup();
                }
            }
            ImGui::EndTable();
        }
        ImGui::EndPopup();
    }
    ImGui::PopID();
    return picked;
}

// ---------------------------------------------------------------- person picker

bool personPickerButton(const char* id, const Session& s, std::string& buf) {
    ImGui::PushID(id);
    static std::string search;
    bool picked = false;
    if (ImGui::Button("…##person")) {
        ImGui::OpenPopup("people");
        search.clear();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pick a person");
    ImGui::SetNextWindowSizeConstraints(ImVec2(ImGui::GetFontSize() * 22, 0), ImVec2(ImGui::GetFontSize() * 34, ImGui::GetFontSize() * 24));
    if (ImGui::BeginPopup("people")) {
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##search", "Search name or email", &search);
        const Directory& d = s.dir;
        std::string needle = toLowerAscii(trim(search));
        auto has = [&](std::string_view hay) {
            if (needle.empty()) return true;
            if (needle.size() > hay.size()) return false;
            for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
                size_t k = 0;
                while (k < needle.size() && char(std::tolower((unsigned char)hay[i + k])) == needle[k]) ++k;
                if (k == needle.size()) return true;
            }
            return false;
        };
        int shown = 0;
        ImGui::BeginChild("list", ImVec2(0, ImGui::GetFontSize() * 16), ImGuiChildFlags_None);
        for (uint32_t slot = 0; slot < d.slotCount() && shown < 40; ++slot) {
            if (!d.userAlive(slot) || d.userEmail(slot).empty()) continue;
            if (!has(d.userName(slot)) && !has(d.userEmail(slot))) continue;
            ++shown;
            ImGui::PushID(int(slot));
            std::string label = personShortLabel(d, slot);
            if (ImGui::Selectable(label.c_str())) {
                buf = std::string(d.userEmail(slot));
                picked = true;
                ImGui::CloseCurrentPopup();
            }
            ImGui::SameLine();
            ImGui::TextDisabled("%s", std::string(d.userEmail(slot)).c_str());
            ImGui::PopID();
        }
        if (shown == 0) ImGui::TextDisabled("Nobody matches.");
        else if (shown == 40) ImGui::TextDisabled("Type to narrow the list…");
        ImGui::EndChild();
        ImGui::EndPopup();
    }
    ImGui::PopID();
    return picked;
}

// ---------------------------------------------------------------- typed input

bool attrValueInput(const char* id, const Session& s, AttrType type, std::string& buf, float width) {
    ImGui::PushID(id);
    bool commit = false;
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* btnLabel = type == AttrType::Date ? "▾" : "…";
    const float btnW = ImGui::CalcTextSize(btnLabel).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
    if (width <= 0) width = ImGui::GetContentRegionAvail().x;
    if (type == AttrType::Boolean) {
        ImGui::SetNextItemWidth(width);
        std::string norm;
        normalizeValue(AttrType::Boolean, buf, norm);
        const char* preview = norm == "true" ? "Yes" : norm == "false" ? "No" : "—";
        if (ImGui::BeginCombo("##bool", preview)) {
            if (ImGui::Selectable("—  (blank)", norm.empty())) { buf.clear(); commit = true; }
            if (ImGui::Selectable("Yes", norm == "true")) { buf = "true"; commit = true; }
            if (ImGui::Selectable("No", norm == "false")) { buf = "false"; commit = true; }
            ImGui::EndCombo();
        }
    } else {
        const bool withButton = type == AttrType::Date || type == AttrType::Email;
        ImGui::SetNextItemWidth(withButton ? std::max(width - btnW, ImGui::GetFontSize() * 4) : width);
        const char* hint = type == AttrType::Date ? "YYYY-MM-DD" : type == AttrType::Email ? "name@company.com" : type == AttrType::Number ? "0" : "";
        ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
        if (type == AttrType::Number) flags |= ImGuiInputTextFlags_CharsScientific;
        if (ImGui::InputTextWithHint("##v", hint, &buf, flags)) commit = true;
        a11y::fieldValue(buf);
        if (ImGui::IsItemDeactivatedAfterEdit()) commit = true;
        if (type == AttrType::Date) {
            ImGui::SameLine(0, style.ItemSpacing.x);
            if (datePickerButton("date", buf)) commit = true;
        } else if (type == AttrType::Email) {
            ImGui::SameLine(0, style.ItemSpacing.x);
            if (personPickerButton("person", s, buf)) commit = true;
        }
    }
    ImGui::PopID();
    return commit;
}

}  // namespace roster::ui
