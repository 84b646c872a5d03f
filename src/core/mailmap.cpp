#include "mailmap.h"

#include <algorithm>
#include <unordered_set>

#include "normalize.h"
#include "text.h"

namespace roster {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// git's parse_name_and_email: the name before the first '<' (trimmed), the email up to the next
// '>'. Answers false when there is no "<…>" (or an empty one where !allowEmptyEmail); `rest` is
// what follows the '>'.
bool nameAndEmail(std::string_view s, bool allowEmptyEmail, std::string& name, std::string& email, std::string_view& rest) {
    const size_t left = s.find('<');
    if (left == std::string_view::npos) return false;
    const size_t right = s.find('>', left + 1);
    if (right == std::string_view::npos) return false;
    if (!allowEmptyEmail && right == left + 1) return false;
    size_t b = 0, e = left;
    while (b < e && isSpace(s[b])) ++b;
    while (e > b && isSpace(s[e - 1])) --e;
    name = std::string(s.substr(b, e - b));
    email = std::string(s.substr(left + 1, right - left - 1));
    rest = s.substr(right + 1);
    return true;
}

bool holdable(std::string_view v) { return v.find_first_of("<>\n\r") == std::string_view::npos; }

}  // namespace

MailmapParse parseMailmap(std::string_view text) {
    MailmapParse out;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    uint32_t lineNo = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && line[0] == '#') { ++out.comments; continue; }
        if (trim(line).empty()) continue;
        MailmapEntry e;
        e.line = lineNo;
        std::string_view rest;
        if (!nameAndEmail(line, false, e.properName, e.properEmail, rest)) {
            out.warnings.push_back(Diag{"MAILMAP_LINE_IGNORED",
                                        "Line " + std::to_string(lineNo) + " has no <email>, so git ignores it: " + clipText(trim(line), 80),
                                        lineNo, 0});
            continue;
        }
        std::string_view rest2;
        if (!trim(rest).empty() && nameAndEmail(rest, true, e.commitName, e.commitEmail, rest2)) {
            // "Proper Name <proper> <commit>" or "... Commit Name <commit>"
        } else {
            e.commitName.clear();
            e.commitEmail.clear();
        }
        out.entries.push_back(std::move(e));
    }
    out.lines = lineNo;
    return out;
}

bool looksLikeMailmap(std::string_view text) {
    MailmapParse p = parseMailmap(text.substr(0, std::min<size_t>(text.size(), 64 * 1024)));
    if (p.entries.empty()) return false;
    // A CSV whose cells hold "<email>" would parse too: its first line has commas and no '<'.
    size_t first = 0;
    while (first < text.size()) {
        size_t nl = text.find('\n', first);
        std::string_view l = trim(text.substr(first, nl == std::string_view::npos ? std::string_view::npos : nl - first));
        if (!l.empty() && l[0] != '#') {
            if (l.find('<') == std::string_view::npos) return false;
            break;
        }
        if (nl == std::string_view::npos) break;
        first = nl + 1;
    }
    return p.entries.size() >= 2 * p.warnings.size();
}

std::string writeMailmap(const Directory& d, MailmapWriteStats* stats) {
    MailmapWriteStats st;
    std::vector<std::string> lines;
    std::string other;
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        const std::string_view email = trim(d.userEmail(slot));
        if (email.empty()) continue;
        if (!holdable(email)) { ++st.skipped; continue; }
        std::string_view name = trim(d.userName(slot));
        if (!holdable(name)) { ++st.skipped; name = {}; }
        const std::string head = name.empty() ? "<" + std::string(email) + ">" : std::string(name) + " <" + std::string(email) + ">";
        std::unordered_set<std::string> seen{foldEmail(email)};
        bool wrote = false;
        auto add = [&](std::string_view addr) {
            addr = trim(addr);
            if (addr.empty()) return;
            if (!holdable(addr)) { ++st.skipped; return; }
            if (!seen.insert(foldEmail(addr)).second) return;
            lines.push_back(head + " <" + std::string(addr) + ">");
            wrote = true;
        };
        for (uint32_t ai : d.aliasesOf(slot)) add(d.s(d.aliases()[ai].email));
        uint32_t n = 0;
        const uint32_t* ids = d.identitiesOf(slot, n);
        for (uint32_t k = 0; k < n; ++k) {
            const Identity& id = d.identities()[ids[k]];
            if (d.integrations()[id.integ].kind != IntegKind::Scm) continue;
            std::string_view acc = d.s(id.account);
            if (acc.find('@') != std::string_view::npos) add(acc);
        }
        if (!name.empty()) {
            lines.push_back(head);
            wrote = true;
        }
        if (wrote) ++st.people;
    }
    std::vector<std::pair<std::string, size_t>> keyed;
    keyed.reserve(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) keyed.emplace_back(toLowerAscii(lines[i]), i);
    std::sort(keyed.begin(), keyed.end());
    std::string out =
        "# .mailmap written by Roster: each person's name and email, then each other address of theirs\n"
        "# (aliases, email-like accounts of source-code integrations). See gitmailmap(5).\n";
    for (const auto& k : keyed) {
        out += lines[k.second];
        out += '\n';
    }
    st.lines = uint32_t(lines.size());
    if (stats) *stats = st;
    return out;
}

}  // namespace roster

// ---- import (issue 17 part 3)
#include "foreign.h"
namespace roster {
bool readMailmapImport(const Directory&, const std::vector<ImportFile>&, ForeignTable&) { return false; }   // (being written)
}  // namespace roster
