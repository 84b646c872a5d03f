// Relations between people (email-typed attributes) and other directory-wide checks.
#include "lint.h"

#include "session.h"

namespace roster {

void lintRelations(const Directory& d, std::vector<LintIssue>& out) { (void)d; (void)out; }

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
