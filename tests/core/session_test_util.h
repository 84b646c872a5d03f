#pragma once
// Helpers for tests that drive a Session through its JSON door.
#include <catch2/catch.hpp>

#include "session.h"

namespace roster::test {

// Runs a JSON command that must succeed; the failure names the command and its answer.
inline json ok(Session& s, const json& cmd) {
    json r = s.command(cmd);
    INFO(cmd.dump() << " -> " << r.dump());
    REQUIRE(r["ok"] == true);
    return r;
}

}  // namespace roster::test
