// Identity collation: problems about accounts (lint), the suggestions query, bot checks.
// The commands live in identities.cpp, the suggestion engine in suggest.cpp.
#include <algorithm>
#include <cmath>

#include "collate.h"
#include "lint.h"
#include "normalize.h"
#include "ops.h"
#include "session.h"
#include "suggest.h"
#include "text.h"

namespace roster {

bool identityLooksLikeBot(const Directory& d, uint32_t ii, const std::vector<std::string>& patterns) {
    const Identity& id = d.identities()[ii];
    return looksLikeBot(d.s(id.account), patterns) || looksLikeBot(d.s(id.display), patterns);
}

namespace {

std::string q(std::string_view s) { return "\u201C" + std::string(s) + "\u201D"; }

// Two names that share no word (and neither spells a word of the other) are "very different".
bool namesSimilar(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (auto& x : a)
        for (auto& y : b)
            if (x == y && x.size() >= 2) return true;
    std::string ha, hb;
    for (auto& x : a) ha += x;
    for (auto& y : b) hb += y;
    for (auto& x : a)
        if (x.size() >= 3 && hb.find(x) != std::string::npos) return true;
    for (auto& y : b)
        if (y.size() >= 3 && ha.find(y) != std::string::npos) return true;
    // initials + surname ("J. Alvarez") share the surname above; a single initial alone is not enough
    return false;
}

}  // namespace

void lintBotAccount(const Directory& d, uint32_t ii, const std::vector<std::string>& patterns, std::vector<LintIssue>& out) {
    // LIKELY_BOT: accounts (not yet excluded) and people whose email is a service address.
    const Identity& id = d.identities()[ii];
    if (!id.alive || (id.flags & kIdentExcluded)) return;
    if (!identityLooksLikeBot(d, ii, patterns)) return;
    LintIssue is;
    is.code = "LIKELY_BOT";
    is.severity = "warning";
    std::string integ(d.s(d.integrations()[id.integ].name));
    is.message = integ + " account " + q(d.s(id.account)) + " looks like a bot or service account" +
                 (id.owner != kNone ? " (held by " + personLabel(d, id.owner) + ")" : std::string()) +
                 ": mark it excluded so it is never suggested or counted as a person";
    if (id.owner != kNone) is.slots.push_back(id.owner);
    is.identities.push_back(ii);
    out.push_back(std::move(is));
}

void lintBotPerson(const Directory& d, uint32_t slot, const std::vector<std::string>& patterns, std::vector<LintIssue>& out) {
    if (!d.userAlive(slot)) return;
    if (!emailLooksLikeBot(d.userEmail(slot), patterns)) return;
    LintIssue is;
    is.code = "LIKELY_BOT";
    is.severity = "warning";
    is.message = personLabel(d, slot) + ": the email looks like a bot or service address";
    is.slots.push_back(slot);
    out.push_back(std::move(is));
}

void lintOvermerge(const Directory& d, uint32_t slot, std::vector<LintIssue>& out) {
    // POSSIBLE_OVERMERGE: the person's name and their accounts' display names disagree strongly.
    if (!d.userAlive(slot)) return;
    const auto& ids = d.identities();
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    if (n == 0) return;
    struct Named { std::string text; std::vector<std::string> words; uint32_t ii; };
    std::vector<Named> names;
    for (uint32_t k = 0; k < n; ++k) {
        const Identity& id = ids[list[k]];
        std::string_view disp = trim(d.s(id.display));
        if (disp.empty() || equalsFolded(disp, trim(d.s(id.account)))) continue;
        auto w = foldedWords(disp);
        if (w.size() < 2) continue;   // a handle or a first name says too little
        names.push_back({std::string(disp), std::move(w), list[k]});
    }
    if (names.empty()) return;
    std::vector<std::string> own = foldedWords(d.userName(slot));
    std::string detail;
    std::vector<uint32_t> idents;
    if (own.size() >= 2)
        for (auto& x : names)
            if (!namesSimilar(own, x.words)) {
                detail = "the account named " + q(x.text) + " does not match the name " + q(d.userName(slot));
                idents.push_back(x.ii);
                break;
            }
    if (detail.empty())
        for (size_t i = 0; i < names.size() && detail.empty(); ++i)
            for (size_t j = i + 1; j < names.size(); ++j)
                if (!namesSimilar(names[i].words, names[j].words)) {
                    detail = "accounts are named " + q(names[i].text) + " and " + q(names[j].text);
                    idents = {names[i].ii, names[j].ii};
                    break;
                }
    if (detail.empty()) return;
    LintIssue is;
    is.code = "POSSIBLE_OVERMERGE";
    is.severity = "warning";
    is.message = personLabel(d, slot) + " may be two people merged: " + detail + " (split the account off if it is someone else)";
    is.slots.push_back(slot);
    is.identities = std::move(idents);
    out.push_back(std::move(is));
}

void lintNoScm(const Directory& d, uint32_t slot, const std::vector<uint8_t>& scm, const std::string& scmNames, std::vector<LintIssue>& out) {
    // NO_SCM_ACCOUNT (only asked when the directory has a source-control integration).
    if (!d.userAlive(slot)) return;
    const auto& ids = d.identities();
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    for (uint32_t k = 0; k < n; ++k)
        if (scm[ids[list[k]].integ]) return;
    LintIssue is;
    is.code = "NO_SCM_ACCOUNT";
    is.severity = "info";
    is.message = personLabel(d, slot) + " has no source-control account (" + scmNames + "): their commits are not counted";
    is.slots.push_back(slot);
    out.push_back(std::move(is));
}

nlohmann::json suggestionJson(const Directory& d, const Suggestion& s) {
    json ids = json::array();
    for (uint32_t slot : s.slots) ids.push_back(formatUserId(d.userId(slot)));
    json j = {{"kind", s.kind == Suggestion::Merge ? "merge" : "assign"}, {"ids", ids}};
    if (s.kind == Suggestion::Assign) {
        const Identity& id = d.identities()[s.ident];
        j["identity"] = {{"integration", d.s(d.integrations()[id.integ].name)}, {"accountId", d.s(id.account)}};
        if (!id.display.empty()) j["identity"]["name"] = d.s(id.display);
    }
    j["score"] = std::round(s.score * 1000) / 1000;
    j["reasons"] = s.reasons;
    return j;
}

json Session::suggestions() const {
    SuggestionEngine e;
    e.runToCompletion(dir);
    json out = json::array();
    for (const Suggestion& s : e.results()) out.push_back(suggestionJson(dir, s));
    return out;
}

}  // namespace roster
