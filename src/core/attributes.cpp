// Attributes and org units: commands and the query door. (Being written: see issue 4.)
#include "ops.h"
#include "session.h"

namespace roster {

std::unique_ptr<Command> makeAttributeCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled) {
    (void)op; (void)cmd; (void)s; (void)err;
    handled = false;
    return nullptr;
}

json Session::query(const json& filter) const {
    (void)filter;
    return errorJson("UNKNOWN_OP", "query is not available in this build yet");
}

}  // namespace roster
