// Identity collation: integrations and accounts commands, suggestions, bots. (Being written: see issue 5.)
#include "lint.h"
#include "ops.h"
#include "session.h"

namespace roster {

std::unique_ptr<Command> makeIdentityCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled) {
    (void)op; (void)cmd; (void)s; (void)err;
    handled = false;
    return nullptr;
}

void lintIdentities(const Directory& d, std::vector<LintIssue>& out) { (void)d; (void)out; }

json Session::suggestions() const { return json::array(); }

}  // namespace roster
