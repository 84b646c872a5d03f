#pragma once
// Problems found in the directory (window.roster.lint() and the Problems panel).
#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "model.h"
#include "reporting_lines.h"

namespace roster {

struct LintIssue {
    std::string code;                  // CIRCULAR_REFERENCE, MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS, NO_MANAGER,
                                       // NO_EMAIL, LIKELY_BOT, POSSIBLE_OVERMERGE, NO_SCM_ACCOUNT, ...
    std::string severity;              // "error", "warning", "info"
    std::string message;
    std::vector<uint32_t> slots;       // people concerned (user slots)
    std::vector<uint32_t> identities;  // accounts concerned (identity indexes)
};

// Every check, in slices: at a million people a whole lint takes seconds (bot checks of every
// account, a hash lookup per person per relation), so the UI runs it across frames with a budget.
// The findings and their order are those of lintAll(), which is a LintRun stepped to its end.
// The directory must not change between steps: callers start a new run when its revision moves.
//
// Checks, in this order:
// - lint.cpp: relations between people (every email-typed attribute): cycles, references that
//   match nobody, people without a manager outside the roots; then people without an email.
// - collate.cpp (lintBot*/lintOvermerge/lintNoScm): likely bots (accounts, then people), possible
//   over-merges, people with no source-control account.
class LintRun {
public:
    using Clock = std::chrono::steady_clock;
    explicit LintRun(const Directory& d);
    bool step(Clock::time_point deadline);   // true when every check has run
    bool done() const { return phase_ == Phase::Done; }
    uint64_t revision() const { return revision_; }
    double fraction() const;                 // rough progress, 0..1
    std::vector<LintIssue> take() { return std::move(out_); }

private:
    enum class Phase { NextRelation, RelationRead, Cycles, Missing, NoManager, NoEmail, BotAccounts, BotPeople, Overmerge, NoScm, Done };
    template <class F> bool loop(uint32_t end, Clock::time_point deadline, F&& body);   // lint.cpp
    void endRelation();

    const Directory& d_;
    uint64_t revision_;
    Phase phase_ = Phase::NextRelation;
    uint32_t cur_ = 0, n_ = 0, attr_ = 0;
    std::vector<LintIssue> out_;
    // relations
    RelationGraph g_;
    std::string label_;
    std::vector<uint32_t> walk_;
    uint32_t walkId_ = 0;
    std::unordered_map<std::string, size_t> groupOf_;
    std::vector<LintIssue> missing_;
    // accounts
    std::vector<std::string> patterns_;
    std::vector<uint8_t> scm_;
    std::string scmNames_;
};

std::vector<LintIssue> lintAll(const Directory& d);

// One item of each identity check (collate.cpp), for LintRun.
void lintBotAccount(const Directory& d, uint32_t ii, const std::vector<std::string>& patterns, std::vector<LintIssue>& out);
void lintBotPerson(const Directory& d, uint32_t slot, const std::vector<std::string>& patterns, std::vector<LintIssue>& out);
void lintOvermerge(const Directory& d, uint32_t slot, std::vector<LintIssue>& out);
// scm: per integration, 1 for source control; scmNames: their names for the message.
void lintNoScm(const Directory& d, uint32_t slot, const std::vector<uint8_t>& scm, const std::string& scmNames, std::vector<LintIssue>& out);

}  // namespace roster
