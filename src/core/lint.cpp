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
// And for the directory: NO_EMAIL (warning) for each person without an email, SUSPICIOUS_EMAIL
// (warning) for each email that does not look like one (imports keep them as written).
#include "lint.h"

#include <algorithm>
#include <unordered_map>

#include "normalize.h"

#include "session.h"
#include "text.h"

namespace roster {

LintRun::LintRun(const Directory& d) : d_(d), revision_(d.revision()), n_(d.slotCount()) {}

double LintRun::fraction() const {
    static constexpr double kAt[] = {0, 0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.8, 0.85, 0.9, 1};
    return kAt[int(phase_)];
}

// body(i) for i in [cur_, end), watching the clock every 1024 items; true when the loop is over
// (cur_ is reset for the next phase).
template <class F>
bool LintRun::loop(uint32_t end, Clock::time_point deadline, F&& body) {
    while (cur_ < end) {
        const uint32_t stop = std::min<uint32_t>(end, cur_ + 1024);
        for (; cur_ < stop; ++cur_) body(cur_);
        if (cur_ < end && Clock::now() >= deadline) return false;
    }
    cur_ = 0;
    return true;
}

void LintRun::endRelation() {
    g_ = RelationGraph();
    walk_ = {};
    groupOf_.clear();
    missing_.clear();
    ++attr_;
    phase_ = Phase::NextRelation;
}

bool LintRun::step(Clock::time_point deadline) {
    const Directory& d = d_;
    const uint32_t n = n_;
    for (;;) {
        switch (phase_) {
            case Phase::NextRelation: {
                while (attr_ < d.attrDefs().size() && (!d.attrDefs()[attr_].alive || d.attrDefs()[attr_].type != AttrType::Email)) ++attr_;
                if (attr_ >= d.attrDefs().size()) {
                    phase_ = Phase::NoEmail;
                    break;
                }
                const AttrDef& def = d.attrDefs()[attr_];
                label_ = std::string(d.s(def.label).empty() ? d.s(def.key) : d.s(def.label));
                relationBegin(d, attr_, g_);
                phase_ = Phase::RelationRead;
                break;
            }
            case Phase::RelationRead:
                if (!relationReadUntil(d, g_, cur_, deadline)) return false;
                cur_ = 0;
                relationEnd(d, g_);
                if (g_.withValue == 0) {   // nobody has filled this relation in yet
                    endRelation();
                    break;
                }
                walk_.assign(n, 0);
                walkId_ = 0;
                phase_ = Phase::Cycles;
                break;
            case Phase::Cycles:
                // Follow each unvisited person until a visited one; a walk that meets itself is a cycle.
                if (!loop(n, deadline, [&](uint32_t s) {
                        if (!d.userAlive(s) || walk_[s]) return;
                        ++walkId_;
                        uint32_t x = s;
                        while (x != kNone && walk_[x] == 0) {
                            walk_[x] = walkId_;
                            x = g_.target[x];
                        }
                        if (x == kNone || walk_[x] != walkId_) return;
                        LintIssue is{"CIRCULAR_REFERENCE", "error", "", {}, {}};
                        uint32_t y = x;
                        do {
                            is.slots.push_back(y);
                            y = g_.target[y];
                        } while (y != x);
                        if (is.slots.size() == 1) {
                            is.message = personLabel(d, x) + "'s " + label_ + " is themselves";
                        } else {
                            std::string chain;
                            for (size_t i = 0; i < is.slots.size() && i < 8; ++i) chain += personLabel(d, is.slots[i]) + " → ";
                            chain += is.slots.size() > 8 ? "… (" + std::to_string(is.slots.size() - 8) + " more) → " + personLabel(d, x) : personLabel(d, x);
                            is.message = label_ + " forms a cycle of " + std::to_string(is.slots.size()) + " people: " + chain;
                        }
                        out_.push_back(std::move(is));
                    }))
                    return false;
                walk_ = {};
                phase_ = Phase::Missing;
                break;
            case Phase::Missing:
                // References that match nobody, grouped by the (case-folded) email.
                if (!loop(n, deadline, [&](uint32_t s) {
                        if (!g_.unresolved[s]) return;
                        std::string_view v = trim(d.attrValue(attr_, s));
                        std::string key = toLowerAscii(v);
                        auto it = groupOf_.find(key);
                        if (it == groupOf_.end()) {
                            it = groupOf_.emplace(key, missing_.size()).first;
                            missing_.push_back(LintIssue{"MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS", "warning", std::string(v.substr(0, 200)), {}, {}});
                        }
                        missing_[it->second].slots.push_back(s);
                    }))
                    return false;
                for (LintIssue& is : missing_) {
                    std::string email = is.message;
                    size_t k = is.slots.size();
                    is.message = label_ + " \"" + email + "\" matches nobody in the directory (" +
                                 (k == 1 ? personLabel(d, is.slots[0]) : std::to_string(k) + " people") + ")";
                    out_.push_back(std::move(is));
                }
                missing_.clear();
                groupOf_.clear();
                phase_ = Phase::NoManager;
                break;
            case Phase::NoManager:
                // People without a value who are not the top of a tree.
                if (!loop(n, deadline, [&](uint32_t s) {
                        if (!d.userAlive(s) || g_.target[s] != kNone || g_.unresolved[s]) return;
                        if (g_.childStart[s + 1] > g_.childStart[s]) return;   // a root: heads a tree
                        out_.push_back(LintIssue{"NO_MANAGER", "warning", personLabel(d, s) + " has no " + label_ + " (and nobody reports to them)", {s}, {}});
                    }))
                    return false;
                endRelation();
                break;
            case Phase::NoEmail:
                if (!loop(n, deadline, [&](uint32_t s) {
                        if (!d.userAlive(s)) return;
                        const std::string_view email = trim(d.userEmail(s));
                        if (email.empty())
                            out_.push_back(LintIssue{"NO_EMAIL", "warning", personLabel(d, s) + " has no email: SEI cannot match their accounts to a person", {s}, {}});
                        else if (!isValidEmail(email))   // kept as imported (e.g. greg@echidna.(none) from a .mailmap)
                            out_.push_back(LintIssue{"SUSPICIOUS_EMAIL", "warning", personLabel(d, s) + "'s email \"" + clipText(email, 200) +
                                                                                        "\" does not look like an email address", {s}, {}});
                    }))
                    return false;
                patterns_ = botPatternList(d);
                phase_ = Phase::BotAccounts;
                break;
            case Phase::BotAccounts:
                if (!loop(uint32_t(d.identities().size()), deadline, [&](uint32_t ii) { lintBotAccount(d, ii, patterns_, out_); })) return false;
                phase_ = Phase::BotPeople;
                break;
            case Phase::BotPeople:
                if (!loop(n, deadline, [&](uint32_t s) { lintBotPerson(d, s, patterns_, out_); })) return false;
                phase_ = Phase::Overmerge;
                break;
            case Phase::Overmerge:
                if (!loop(n, deadline, [&](uint32_t s) { lintOvermerge(d, s, out_); })) return false;
                // NO_SCM_ACCOUNT: only when the directory has a source-control integration.
                scm_.assign(d.integrations().size(), 0);
                scmNames_.clear();
                for (size_t i = 0; i < d.integrations().size(); ++i)
                    if (d.integrations()[i].alive && d.integrations()[i].kind == IntegKind::Scm) {
                        scm_[i] = 1;
                        scmNames_ += (scmNames_.empty() ? "" : ", ") + std::string(d.s(d.integrations()[i].name));
                    }
                phase_ = scmNames_.empty() ? Phase::Done : Phase::NoScm;
                break;
            case Phase::NoScm:
                if (!loop(n, deadline, [&](uint32_t s) { lintNoScm(d, s, scm_, scmNames_, out_); })) return false;
                phase_ = Phase::Done;
                break;
            case Phase::Done: return true;
        }
    }
}

std::vector<LintIssue> lintAll(const Directory& d) {
    LintRun run(d);
    run.step(LintRun::Clock::time_point::max());
    return run.take();
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
