#pragma once
// How the JSON door finds the Command of an op: each feature builds the commands of its own ops.
// A builder sets `handled` when the op is its own; on bad fields it returns nullptr with `err` set.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "diag.h"

namespace roster {

class Session;
using json = nlohmann::json;

// attributes.cpp: addAttribute, setAttribute, updateAttribute, deleteAttribute
std::unique_ptr<Command> makeAttributeCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled);
// orgunits.cpp: saveOrgUnit, renameOrgUnit, deleteOrgUnit, importOrgUnits
std::unique_ptr<Command> makeOrgUnitCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled);
// identities.cpp: addIntegration, updateIntegration, addIdentity, assignIdentity, moveIdentity, mergeUsers, splitIdentity,
// rejectSuggestion, setIdentityExcluded, addBotPattern
std::unique_ptr<Command> makeIdentityCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled);

// Field helpers shared by the builders: they set err (INVALID_ARGUMENT) and return false on a bad field.
bool jsonString(const json& j, const char* key, std::string& out, Diag& err, bool required);
bool jsonUserId(const json& v, uint32_t& id, Diag& err);
bool jsonUserIds(const json& j, const char* key, std::vector<uint32_t>& out, Diag& err);

}  // namespace roster
