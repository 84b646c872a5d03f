// Relations between people (email-typed attributes) and other directory-wide checks.
//
// Every email-typed attribute (manager_email, mentor...) is a relation: a person's value names
// another person by primary email or alias (case-insensitive). For each relation:
// - CIRCULAR_REFERENCE (error): one issue per cycle naming every person in it, in order (a person
//   naming themselves is a cycle of one). Detection walks the functional graph iteratively, O(n).
// - MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS (warning): one issue per distinct email that matches
//   nobody, naming everyone who refers to it.
// - NO_MANAGER (warning): a person with a blank value who is not a root. The roots are the tops of
//   the trees: people with a blank value who have at least one report (someone's value names
//   them). So a department head whose manager is outside the directory is fine, while a person with
//   no manager and no reports is reported. A relation nobody has filled in yet is not checked.
// And for the directory: NO_EMAIL (warning) for each person without an email.
#include "lint.h"

#include <unordered_map>

#include "attributes.h"
#include "session.h"
#include "text.h"

namespace roster {

void buildRelation(const Directory& d, uint32_t attr, RelationGraph& g) {
    const uint32_t n = d.slotCount();
    g.attr = attr;
    g.target.assign(n, kNone);
    g.unresolved.assign(n, 0);
    g.withValue = 0;
    g.roots.clear();
    g.childStart.assign(size_t(n) + 1, 0);
    for (uint32_t s = 0; s < n; ++s) {
        if (!d.userAlive(s)) continue;
        std::string_view v = trim(d.attrValue(attr, s));
        if (v.empty()) continue;
        ++g.withValue;
        uint32_t t = d.findEmail(v);
        if (t == kNone) g.unresolved[s] = 1;
        else {
            g.target[s] = t;
            ++g.childStart[t + 1];
        }
    }
    for (size_t i = 1; i < g.childStart.size(); ++i) g.childStart[i] += g.childStart[i - 1];
    g.children.assign(g.childStart.back(), 0);
    std::vector<uint32_t> fill(g.childStart.begin(), g.childStart.end() - 1);
    for (uint32_t s = 0; s < n; ++s)
        if (g.target[s] != kNone) g.children[fill[g.target[s]]++] = s;
    for (uint32_t s = 0; s < n; ++s)
        if (d.userAlive(s) && g.target[s] == kNone && !g.unresolved[s] && g.childStart[s + 1] > g.childStart[s] &&
            trim(d.attrValue(attr, s)).empty())
            g.roots.push_back(s);
}

static std::string who(const Directory& d, uint32_t slot) {
    std::string_view n = d.userName(slot);
    if (!n.empty()) return std::string(n.substr(0, 80));
    std::string_view e = d.userEmail(slot);
    if (!e.empty()) return std::string(e.substr(0, 80));
    return formatUserId(d.userId(slot));
}

void lintRelations(const Directory& d, std::vector<LintIssue>& out) {
    const uint32_t n = d.slotCount();
    RelationGraph g;
    std::vector<uint32_t> walk;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
        const AttrDef& def = d.attrDefs()[a];
        if (!def.alive || def.type != AttrType::Email) continue;
        const std::string label(d.s(def.label).empty() ? d.s(def.key) : d.s(def.label));
        buildRelation(d, a, g);
        if (g.withValue == 0) continue;   // nobody has filled this relation in yet

        // ---- cycles: follow each unvisited person until a visited one; a walk that meets itself is a cycle.
        walk.assign(n, 0);
        uint32_t walkId = 0;
        for (uint32_t s = 0; s < n; ++s) {
            if (!d.userAlive(s) || walk[s]) continue;
            ++walkId;
            uint32_t x = s;
            while (x != kNone && walk[x] == 0) {
                walk[x] = walkId;
                x = g.target[x];
            }
            if (x == kNone || walk[x] != walkId) continue;
            LintIssue is{"CIRCULAR_REFERENCE", "error", "", {}, {}};
            uint32_t y = x;
            do {
                is.slots.push_back(y);
                y = g.target[y];
            } while (y != x);
            if (is.slots.size() == 1) {
                is.message = who(d, x) + "'s " + label + " is themselves";
            } else {
                std::string chain;
                for (size_t i = 0; i < is.slots.size() && i < 8; ++i) chain += who(d, is.slots[i]) + " → ";
                chain += is.slots.size() > 8 ? "… (" + std::to_string(is.slots.size() - 8) + " more) → " + who(d, x) : who(d, x);
                is.message = label + " forms a cycle of " + std::to_string(is.slots.size()) + " people: " + chain;
            }
            out.push_back(std::move(is));
        }

        // ---- references that match nobody, grouped by the (case-folded) email.
        std::unordered_map<std::string, size_t> groupOf;
        std::vector<LintIssue> missing;
        for (uint32_t s = 0; s < n; ++s) {
            if (!g.unresolved[s]) continue;
            std::string_view v = trim(d.attrValue(a, s));
            std::string key = toLowerAscii(v);
            auto it = groupOf.find(key);
            if (it == groupOf.end()) {
                it = groupOf.emplace(key, missing.size()).first;
                missing.push_back(LintIssue{"MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS", "warning", std::string(v.substr(0, 200)), {}, {}});
            }
            missing[it->second].slots.push_back(s);
        }
        for (LintIssue& is : missing) {
            std::string email = is.message;
            size_t k = is.slots.size();
            is.message = label + " \"" + email + "\" matches nobody in the directory (" +
                         (k == 1 ? who(d, is.slots[0]) : std::to_string(k) + " people") + ")";
            out.push_back(std::move(is));
        }

        // ---- people without a value who are not the top of a tree.
        for (uint32_t s = 0; s < n; ++s) {
            if (!d.userAlive(s) || g.target[s] != kNone || g.unresolved[s]) continue;
            if (g.childStart[s + 1] > g.childStart[s]) continue;   // a root: heads a tree
            out.push_back(LintIssue{"NO_MANAGER", "warning", who(d, s) + " has no " + label + " (and nobody reports to them)", {s}, {}});
        }
    }

    for (uint32_t s = 0; s < n; ++s)
        if (d.userAlive(s) && trim(d.userEmail(s)).empty())
            out.push_back(LintIssue{"NO_EMAIL", "warning", who(d, s) + " has no email: SEI cannot match their accounts to a person", {s}, {}});
}

std::vector<LintIssue> lintAll(const Directory& d) {
    std::vector<LintIssue> out;
    lintRelations(d, out);
    lintIdentities(d, out);
    return out;
}

json Session::lint() const {
    json out = json::array();
    for (const LintIssue& i : lintAll(dir)) {
        json ids = json::array();
        for (uint32_t s : i.slots) ids.push_back(formatUserId(dir.userId(s)));
        json j = {{"code", i.code}, {"severity", i.severity}, {"message", i.message}, {"userIds", ids}};
        if (!i.identities.empty()) {
            json idents = json::array();
            for (uint32_t ii : i.identities) {
                const Identity& id = dir.identities()[ii];
                idents.push_back({{"integration", dir.s(dir.integrations()[id.integ].name)}, {"accountId", dir.s(id.account)}});
            }
            j["identities"] = idents;
        }
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace roster
