#pragma once
// The editing session: the directory, its undo history, and the JSON door used by window.roster.
// Pure C++ (nlohmann/json for the wire format), so the automation API is tested natively.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "model.h"

namespace roster {

using json = nlohmann::json;

class Session {
public:
    Directory dir;
    History history;

    // Runs a command object through the one door.
    CmdResult execute(Command& cmd) { return history.execute(dir, cmd); }
    bool undo() { return history.undo(dir); }
    bool redo() { return history.redo(dir); }

    // window.roster.command(cmd): {ok:true,...} or {ok:false, error:{code,message}}. Never throws.
    json command(const json& cmd);
    // Builds the Command for a JSON op (nullptr + error when the op or its fields are bad).
    std::unique_ptr<Command> makeCommand(const json& cmd, Diag& error) const;
    json snapshot() const;
    json userJson(uint32_t slot) const;

    // Read-only mode (another tab holds the directory): commands answer READ_ONLY.
    bool readOnly = false;
    std::string readOnlyReason;
    // A long operation is running: commands answer BUSY.
    bool busy = false;
};

json errorJson(const Diag& d);
json errorJson(const std::string& code, const std::string& message);

}  // namespace roster
