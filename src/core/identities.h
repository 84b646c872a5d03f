#pragma once
// The commands on integrations, accounts and people (merge, split, assign, move), suggestion
// rejection and bot patterns (identities.cpp); merge conflicts, shared with the UI.
//
// Ops (JSON door, see ops.h makeIdentityCommand):
//   addIntegration {name, kind?}                  DUPLICATE_INTEGRATION, INVALID_ARGUMENT
//   updateIntegration {name, kind}                NOT_FOUND, INVALID_ARGUMENT
//   addIdentity {id, integration, accountId, name?}   NOT_FOUND (user or integration), ACCOUNT_CONFLICT
//   assignIdentity {id, integration, accountId}   NOT_FOUND, ACCOUNT_ALREADY_ASSIGNED
//   moveIdentity {integration, accountId, to}     NOT_FOUND
//   unassignIdentity {integration, accountId}     NOT_FOUND
//   mergeUsers {into, from, values?}              NOT_FOUND, INVALID_ARGUMENT, MERGE_CONFLICT, INVALID_VALUE
//   splitIdentity {id, integration, accountId}    NOT_FOUND  -> {ok, id}
//   rejectSuggestion {ids, identity?}             NOT_FOUND, INVALID_ARGUMENT
//   setIdentityExcluded {integration, accountId, excluded}   NOT_FOUND
//   addBotPattern {pattern} / removeBotPattern {pattern}     INVALID_ARGUMENT / NOT_FOUND
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "model.h"

namespace roster {

// An attribute whose values differ (both non-empty) among the people being merged.
struct MergeConflict {
    uint32_t attr = kNone;
    std::string key, label;
    std::vector<std::string> values;   // distinct candidate values, `into`'s first
};
std::vector<MergeConflict> findMergeConflicts(const Directory& d, uint32_t intoSlot, const std::vector<uint32_t>& fromSlots);
// For the JSON door: the conflicts of a mergeUsers command as [{key, label, values:[...]}]
// (empty array when the command is malformed or has none). The lead may attach this as
// error.conflicts to MERGE_CONFLICT answers.
nlohmann::json mergeConflictsJson(const Directory& d, const nlohmann::json& cmd);

// Command objects (the UI builds them directly; the JSON door builds them through makeIdentityCommand).
class MergeUsersCmd : public Command {
public:
    MergeUsersCmd(uint32_t into, std::vector<uint32_t> from, std::map<std::string, std::string> values)
        : into_(into), from_(std::move(from)), values_(std::move(values)) {}
    std::string label() const override;
    CmdResult apply(Tx& tx) override;
private:
    uint32_t into_;
    std::vector<uint32_t> from_;
    std::map<std::string, std::string> values_;   // attribute key (or "name") -> chosen value
};

enum class IdentOpKind { Add, Assign, Move, Unassign, Split, SetExcluded };
// One account op. The named constructors are the typed forms of addIdentity, assignIdentity,
// moveIdentity, unassignIdentity, splitIdentity and setIdentityExcluded (user ids, not slots).
class IdentityCmd : public Command {
public:
    static IdentityCmd add(uint32_t userId, std::string integration, std::string account, std::string display = {}) {
        return make(IdentOpKind::Add, userId, std::move(integration), std::move(account), std::move(display));
    }
    static IdentityCmd assign(uint32_t userId, std::string integration, std::string account) {
        return make(IdentOpKind::Assign, userId, std::move(integration), std::move(account));
    }
    static IdentityCmd move(std::string integration, std::string account, uint32_t toUserId) {
        return make(IdentOpKind::Move, toUserId, std::move(integration), std::move(account));
    }
    static IdentityCmd unassign(std::string integration, std::string account) {
        return make(IdentOpKind::Unassign, 0, std::move(integration), std::move(account));
    }
    static IdentityCmd split(uint32_t userId, std::string integration, std::string account) {
        return make(IdentOpKind::Split, userId, std::move(integration), std::move(account));
    }
    static IdentityCmd setExcluded(std::string integration, std::string account, bool excluded) {
        IdentityCmd c = make(IdentOpKind::SetExcluded, 0, std::move(integration), std::move(account));
        c.excluded = excluded;
        return c;
    }

    IdentOpKind kind;
    uint32_t userId = 0;          // Add/Assign/Split: the person; Move: the new owner
    std::string integration, account, display;
    bool excluded = false;
    std::string label() const override;
    CmdResult apply(Tx& tx) override;

private:
    static IdentityCmd make(IdentOpKind k, uint32_t userId, std::string integration, std::string account, std::string display = {}) {
        IdentityCmd c;
        c.kind = k;
        c.userId = userId;
        c.integration = std::move(integration);
        c.account = std::move(account);
        c.display = std::move(display);
        return c;
    }
};

// rejectSuggestion: a merge suggestion (the people's ids) or an assign one (one id and the account).
class RejectSuggestionCmd : public Command {
public:
    static RejectSuggestionCmd merge(std::vector<uint32_t> userIds) {
        RejectSuggestionCmd c;
        c.ids = std::move(userIds);
        return c;
    }
    static RejectSuggestionCmd assign(uint32_t userId, std::string integration, std::string account) {
        RejectSuggestionCmd c;
        c.ids = {userId};
        c.hasIdentity = true;
        c.integration = std::move(integration);
        c.account = std::move(account);
        return c;
    }

    std::vector<uint32_t> ids;
    bool hasIdentity = false;
    std::string integration, account;
    std::string label() const override { return "Reject suggestion"; }
    CmdResult apply(Tx& tx) override;
};

}  // namespace roster
