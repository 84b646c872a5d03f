#pragma once
// Problems found in the directory (window.roster.lint() and the Problems panel).
#include <string>
#include <vector>

#include "model.h"

namespace roster {

struct LintIssue {
    std::string code;                  // CIRCULAR_REFERENCE, MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS, NO_MANAGER,
                                       // NO_EMAIL, LIKELY_BOT, POSSIBLE_OVERMERGE, NO_SCM_ACCOUNT, ...
    std::string severity;              // "error", "warning", "info"
    std::string message;
    std::vector<uint32_t> slots;       // people concerned (user slots)
    std::vector<uint32_t> identities;  // accounts concerned (identity indexes)
};

// lint.cpp: relations between people (every email-typed attribute): cycles, references that match
// nobody, people without a manager outside the roots; people without an email.
void lintRelations(const Directory& d, std::vector<LintIssue>& out);
// collate.cpp: likely bots, possible over-merges, people with no source-control account.
void lintIdentities(const Directory& d, std::vector<LintIssue>& out);
std::vector<LintIssue> lintAll(const Directory& d);

}  // namespace roster
