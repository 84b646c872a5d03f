#include "mailmap.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "foreign.h"
#include "normalize.h"
#include "suggest.h"
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
            e.rest = std::string(trim(rest2));
        } else {
            e.commitName.clear();
            e.commitEmail.clear();
            e.rest = std::string(trim(rest));
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
namespace roster {

namespace {

bool endsWithMailmap(std::string_view name) {
    constexpr std::string_view kSuffix = "mailmap";
    return name.size() >= kSuffix.size() && equalsFolded(name.substr(name.size() - kSuffix.size()), kSuffix);
}

// Cheap: the name, else the first 64 KB of the content (a 1 GB CSV is never read whole here).
bool isMailmapFile(const ImportFile& f) {
    if (endsWithMailmap(f.name)) return true;
    return looksLikeMailmap(f.data.substr(0, std::min<size_t>(f.data.size(), 64 * 1024)));
}

std::string angle(std::string_view email) { return "<" + std::string(email) + ">"; }

}  // namespace

bool readMailmapImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out) {
    if (files.empty()) return false;
    for (const ImportFile& f : files)
        if (!isMailmapFile(f)) return false;

    out.format = "mailmap";
    out.label = "git .mailmap";
    for (const ImportFile& f : files) out.files.push_back(f.name);
    const size_t emailCol = out.column("email");
    const size_t nameCol = out.column("name");
    const bool several = files.size() > 1;

    // The files in order, as one.
    struct Entry { MailmapEntry e; uint32_t file; };
    std::vector<Entry> entries;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        MailmapParse p = parseMailmap(files[fi].data);
        for (Diag& w : p.warnings) out.warning(w.code.c_str(), std::move(w.message), fi, w.line);
        for (MailmapEntry& e : p.entries) entries.push_back(Entry{std::move(e), fi});
    }
    // "line 12" or, with several files, "line 12 of b.mailmap".
    auto lineName = [&](uint32_t file, uint32_t line) {
        std::string s = "line " + std::to_string(line);
        if (several && !files[file].name.empty()) s += " of " + files[file].name;
        return s;
    };

    // Every proper email of the files: a line whose other address is another line's proper email
    // ties two people together.
    std::unordered_set<std::string> properEmails;
    for (const Entry& x : entries) properEmails.insert(foldEmail(x.e.properEmail));

    // One row per person (by folded proper email), its source the first line naming them.
    struct Person {
        size_t row;
        uint32_t slot;            // the directory's person, or kNone
        bool canName;             // new, or in the directory without a name
        std::string name;         // the name given (the first line's)
        uint32_t nameFile = 0, nameLine = 0;
        bool nameConflictReported = false;
    };
    std::unordered_map<std::string, Person> people;
    struct Claim { std::string owner; std::string ownerEmail; uint32_t file, line; };
    std::unordered_map<std::string, Claim> claims;      // other address (folded) → the line that took it
    std::unordered_set<std::string> hinted;             // merge pairs already hinted

    for (const Entry& x : entries) {
        const MailmapEntry& e = x.e;
        const std::string proper = foldEmail(e.properEmail);
        if (!e.rest.empty() && e.rest[0] != '#' && e.rest.find_first_of("<>") != std::string::npos)
            out.warning("MAILMAP_TEXT_IGNORED",
                        "Line " + std::to_string(e.line) + ": git reads only \"" + (e.properName.empty() ? "" : e.properName + " ") +
                            angle(e.properEmail) + (e.commitEmail.empty() && e.commitName.empty() ? "" : " " + (e.commitName.empty() ? "" : e.commitName + " ") + angle(e.commitEmail)) +
                            "\" and ignores the rest: " + clipText(e.rest, 60),
                        x.file, e.line);

        auto it = people.find(proper);
        if (it == people.end()) {
            Person p;
            p.row = out.rows.size();
            auto& row = out.addRow(x.file, e.line);
            row[emailCol] = std::string(trim(e.properEmail));
            p.slot = d.findEmail(proper);
            p.canName = p.slot == kNone || trim(d.userName(p.slot)).empty();
            // A named person keeps their name: the cell says it as it is (a blank cell would do in
            // update mode, but a replace import reads a blank name as "no name").
            if (!p.canName) row[nameCol] = std::string(d.userName(p.slot));
            it = people.emplace(proper, std::move(p)).first;
        }
        Person& P = it->second;
        const std::string_view name = trim(e.properName);
        if (!name.empty() && P.canName) {
            if (P.name.empty()) {
                P.name = std::string(name);
                P.nameFile = x.file;
                P.nameLine = e.line;
                out.rows[P.row][nameCol] = P.name;
            } else if (P.name != name && !P.nameConflictReported) {
                P.nameConflictReported = true;
                out.warning("CONFLICTING_VALUES",
                            "Line " + std::to_string(e.line) + " names " + std::string(e.properEmail) + " \"" + clipText(name, 60) + "\", " +
                                lineName(P.nameFile, P.nameLine) + " \"" + clipText(P.name, 60) + "\": the first is kept",
                            x.file, e.line);
            }
        }

        if (trim(e.commitEmail).empty()) continue;   // a name line
        const std::string other = foldEmail(e.commitEmail);
        if (other == proper) continue;   // the proper email itself (a line for the commit name only)
        const uint32_t otherSlot = d.findEmail(other);
        auto c = claims.find(other);
        if (otherSlot != kNone && otherSlot == P.slot) {   // already theirs: it stays theirs
            if (c == claims.end()) claims.emplace(other, Claim{proper, std::string(trim(e.properEmail)), x.file, e.line});
            continue;
        }
        if (c != claims.end()) {   // an earlier line of the files gave it to someone
            if (c->second.owner == proper) continue;
            std::string msg = "Line " + std::to_string(e.line) + " maps " + angle(trim(e.commitEmail)) + " to " + angle(trim(e.properEmail)) +
                              ", but " + lineName(c->second.file, c->second.line) + " maps it to " + angle(c->second.ownerEmail) +
                              ": it stays with " + angle(c->second.ownerEmail);
            if (!trim(e.commitName).empty())
                msg += " (git tells such lines apart by the commit name \"" + clipText(trim(e.commitName), 60) +
                       "\"; Roster's aliases are addresses only)";
            out.warning("ALIAS_CONFLICT", std::move(msg), x.file, e.line);
            continue;
        }
        auto hint = [&]() {
            std::string key = proper < other ? proper + '\x1f' + other : other + '\x1f' + proper;
            if (!hinted.insert(std::move(key)).second) return;
            out.extras.hints.push_back(mergeHint(proper, other,
                                                 "git .mailmap " + lineName(x.file, e.line) + " maps " + angle(trim(e.commitEmail)) + " to " +
                                                     angle(trim(e.properEmail))));
        };
        // Someone else's in the directory, or another line's proper email (a person of their own):
        // the line ties two people together.
        if (otherSlot != kNone || properEmails.count(other)) {
            hint();
            continue;
        }
        claims.emplace(other, Claim{proper, std::string(trim(e.properEmail)), x.file, e.line});
        out.extras.aliases.push_back(ImportExtras::Alias{std::string(trim(e.properEmail)), std::string(trim(e.commitEmail))});
    }
    return true;
}

}  // namespace roster
