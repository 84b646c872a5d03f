// The commands on integrations, accounts and people, and the JSON builders of their ops.
#include <algorithm>

#include "identities.h"
#include "normalize.h"
#include "ops.h"
#include "session.h"
#include "suggest.h"
#include "text.h"
#include "values.h"

namespace roster {

namespace {

CmdResult liveUser(const Directory& d, uint32_t id, uint32_t& slot) {
    slot = d.slotOfId(id);
    if (slot == kNone || !d.userAlive(slot)) return CmdResult::fail("NOT_FOUND", "No user " + formatUserId(id));
    return {};
}

bool sameValue(AttrType t, std::string_view a, std::string_view b) { return t == AttrType::Email ? equalsFolded(a, b) : a == b; }

std::vector<uint32_t> identsOf(const Directory& d, uint32_t slot) {
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    return std::vector<uint32_t>(list, list + n);
}

}  // namespace

// ---------------------------------------------------------------- merge

std::vector<MergeConflict> findMergeConflicts(const Directory& d, uint32_t intoSlot, const std::vector<uint32_t>& fromSlots) {
    std::vector<MergeConflict> out;
    const auto& defs = d.attrDefs();
    for (uint32_t a = 0; a < defs.size(); ++a) {
        if (!defs[a].alive) continue;
        std::vector<std::string> vals;
        auto add = [&](uint32_t slot) {
            std::string_view v = trim(d.attrValue(a, slot));
            if (v.empty()) return;
            for (auto& x : vals)
                if (sameValue(defs[a].type, x, v)) return;
            vals.emplace_back(v);
        };
        add(intoSlot);
        for (uint32_t f : fromSlots) add(f);
        if (vals.size() > 1) {
            MergeConflict c;
            c.attr = a;
            c.key = std::string(d.s(defs[a].key));
            c.label = std::string(d.s(defs[a].label));
            if (c.label.empty()) c.label = c.key;
            c.values = std::move(vals);
            out.push_back(std::move(c));
        }
    }
    return out;
}

std::string MergeUsersCmd::label() const {
    return "Merge " + std::to_string(from_.size() + 1) + " people";
}

CmdResult MergeUsersCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t into;
    if (auto r = liveUser(d, into_, into); !r.ok) return r;
    if (from_.empty()) return CmdResult::fail("INVALID_ARGUMENT", "mergeUsers needs at least one user in \"from\"");
    std::vector<uint32_t> from;
    for (uint32_t id : from_) {
        uint32_t slot;
        if (auto r = liveUser(d, id, slot); !r.ok) return r;
        if (slot == into) return CmdResult::fail("INVALID_ARGUMENT", formatUserId(id) + " cannot be merged into itself");
        if (std::find(from.begin(), from.end(), slot) != from.end())
            return CmdResult::fail("INVALID_ARGUMENT", formatUserId(id) + " appears twice in \"from\"");
        from.push_back(slot);
    }
    // Chosen values: validated and normalised.
    std::map<uint32_t, std::string> chosen;
    bool hasName = false;
    std::string name;
    for (auto& [key, raw] : values_) {
        std::string_view v = trim(raw);
        if (equalsFolded(key, "name")) {
            if (auto r = checkName(v); !r.ok) return r;
            hasName = true;
            name = std::string(v);
            continue;
        }
        uint32_t a = d.findAttr(key);
        if (a == kNone) return CmdResult::fail("INVALID_ARGUMENT", "No attribute \"" + key + "\" to choose a value for");
        if (v.size() > kMaxValueBytes) return CmdResult::fail("VALUE_TOO_LONG", "The value for " + key + " is longer than 64 KB");
        std::string norm;
        if (!normalizeValue(d.attrDefs()[a].type, v, norm))
            return CmdResult::fail("INVALID_VALUE", "\"" + std::string(v.substr(0, 200)) + "\" is not a valid " +
                                                        attrTypeName(d.attrDefs()[a].type) + " for " + key);
        chosen[a] = norm;
    }
    std::vector<MergeConflict> conflicts = findMergeConflicts(d, into, from);
    std::string missing;
    size_t nMissing = 0;
    for (const auto& c : conflicts) {
        if (chosen.count(c.attr)) continue;
        if (nMissing++) missing += "; ";
        missing += c.key + " (";
        for (size_t i = 0; i < c.values.size(); ++i) missing += (i ? " or \"" : "\"") + c.values[i].substr(0, 120) + "\"";
        missing += ")";
    }
    if (nMissing)
        return CmdResult::fail("MERGE_CONFLICT", "The people have different values: choose one in \"values\" for " + missing);

    // Attributes: the chosen value, else `into`'s, else the first merged person's.
    const auto& defs = d.attrDefs();
    for (uint32_t a = 0; a < defs.size(); ++a) {
        if (!defs[a].alive) continue;
        auto it = chosen.find(a);
        if (it != chosen.end()) { tx.setAttr(a, into, it->second); continue; }
        if (!trim(d.attrValue(a, into)).empty()) continue;
        for (uint32_t f : from) {
            std::string_view v = trim(d.attrValue(a, f));
            if (!v.empty()) { tx.setAttr(a, into, std::string(v)); break; }
        }
    }
    if (hasName) tx.setUserName(into, name);
    else if (trim(d.userName(into)).empty())
        for (uint32_t f : from)
            if (!trim(d.userName(f)).empty()) { tx.setUserName(into, std::string(trim(d.userName(f)))); break; }
    // Accounts and aliases move; the merged people's emails become aliases (or the primary email
    // when `into` has none); the merged records die (undo brings them back with their ids).
    for (uint32_t f : from) {
        for (uint32_t ii : identsOf(d, f)) tx.setIdentOwner(ii, into);
        for (uint32_t ai : d.aliasesOf(f)) tx.setAliasOwner(ai, into);
        std::string email(trim(d.userEmail(f)));
        tx.setUserAlive(f, false);
        if (email.empty()) continue;
        if (trim(d.userEmail(into)).empty()) tx.setUserEmail(into, email);
        else tx.createAlias(email, into);
    }
    CmdResult r;
    r.id = d.userId(into);
    return r;
}

nlohmann::json mergeConflictsJson(const Directory& d, const nlohmann::json& cmd) {
    nlohmann::json out = nlohmann::json::array();
    if (!cmd.is_object()) return out;
    Diag err;
    uint32_t into = 0;
    if (!cmd.contains("into") || !jsonUserId(cmd["into"], into, err)) return out;
    std::vector<uint32_t> ids;
    if (!jsonUserIds(cmd, "from", ids, err)) return out;
    uint32_t intoSlot = d.slotOfId(into);
    if (intoSlot == kNone || !d.userAlive(intoSlot)) return out;
    std::vector<uint32_t> from;
    for (uint32_t id : ids) {
        uint32_t s = d.slotOfId(id);
        if (s == kNone || !d.userAlive(s) || s == intoSlot) return out;
        from.push_back(s);
    }
    const nlohmann::json* values = cmd.contains("values") && cmd["values"].is_object() ? &cmd["values"] : nullptr;
    for (auto& c : findMergeConflicts(d, intoSlot, from)) {
        if (values && values->contains(c.key)) continue;
        out.push_back({{"key", c.key}, {"label", c.label}, {"values", c.values}});
    }
    return out;
}

// ---------------------------------------------------------------- accounts

std::string IdentityCmd::label() const {
    switch (kind) {
        case IdentOpKind::Add: return "Add " + integration + " account " + account;
        case IdentOpKind::Assign: return "Assign " + integration + " account " + account;
        case IdentOpKind::Move: return "Move " + integration + " account " + account;
        case IdentOpKind::Unassign: return "Unassign " + integration + " account " + account;
        case IdentOpKind::Split: return "Split off " + integration + " account " + account;
        case IdentOpKind::SetExcluded: return std::string(excluded ? "Exclude " : "Include ") + integration + " account " + account;
    }
    return "Edit account";
}

CmdResult IdentityCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    const uint32_t integ = d.findIntegration(integration);
    if (integ == kNone) return CmdResult::fail("NOT_FOUND", "No integration \"" + std::string(trim(integration)).substr(0, 200) + "\"");
    const std::string integName(d.s(d.integrations()[integ].name));
    std::string_view acc = trim(account);
    if (acc.empty()) return CmdResult::fail("INVALID_ARGUMENT", "The account id is empty");
    if (acc.size() > kMaxValueBytes) return CmdResult::fail("VALUE_TOO_LONG", "The account id is longer than 64 KB");
    for (char c : acc)
        if (c == '\0' || c == '\n' || c == '\r') return CmdResult::fail("INVALID_ARGUMENT", "The account id contains a control character");
    const uint32_t ii = d.findIdentity(integ, acc);
    const std::string accLabel = integName + " account \"" + std::string(acc.substr(0, 200)) + "\"";
    auto notFound = [&]() { return CmdResult::fail("NOT_FOUND", "No " + accLabel); };
    uint32_t slot = kNone;
    if (kind == IdentOpKind::Add || kind == IdentOpKind::Assign || kind == IdentOpKind::Split || kind == IdentOpKind::Move)
        if (auto r = liveUser(d, userId, slot); !r.ok) return r;
    CmdResult ok;
    switch (kind) {
        case IdentOpKind::Add: {
            std::string_view disp = trim(display);
            if (auto r = checkName(disp); !r.ok) return r;
            if (ii == kNone) {
                tx.createIdentity(integ, acc, disp, slot);
                return ok;
            }
            uint32_t owner = d.identities()[ii].owner;
            if (owner != kNone && owner != slot)
                return CmdResult::fail("ACCOUNT_CONFLICT", "The " + accLabel + " already belongs to " + personLabel(d, owner));
            tx.setIdentOwner(ii, slot);   // an unassigned account is simply given to the person
            if (!disp.empty()) tx.setIdentDisplay(ii, disp);
            return ok;
        }
        case IdentOpKind::Assign: {
            if (ii == kNone) return notFound();
            uint32_t owner = d.identities()[ii].owner;
            if (owner != kNone && owner != slot)
                return CmdResult::fail("ACCOUNT_ALREADY_ASSIGNED", "The " + accLabel + " already belongs to " + personLabel(d, owner));
            tx.setIdentOwner(ii, slot);
            return ok;
        }
        case IdentOpKind::Move:
            if (ii == kNone) return notFound();
            tx.setIdentOwner(ii, slot);
            return ok;
        case IdentOpKind::Unassign:
            if (ii == kNone) return notFound();
            tx.setIdentOwner(ii, kNone);
            return ok;
        case IdentOpKind::Split: {
            if (ii == kNone || d.identities()[ii].owner != slot)
                return CmdResult::fail("NOT_FOUND", personLabel(d, slot) + " has no " + accLabel);
            std::string_view disp = trim(d.s(d.identities()[ii].display));
            std::string name(disp.empty() ? acc : disp);
            uint32_t ns = tx.createUser(name, "");
            tx.setIdentOwner(ii, ns);
            ok.id = d.userId(ns);
            return ok;
        }
        case IdentOpKind::SetExcluded: {
            if (ii == kNone) return notFound();
            uint8_t cur = d.identities()[ii].flags;
            uint8_t nv = excluded ? uint8_t(cur | kIdentExcluded) : uint8_t(cur & ~kIdentExcluded);
            if (nv != cur) {
                Change c{ChangeOp::IdentFlags, ii};
                c.oldV = cur;
                c.newV = nv;
                tx.rec(c);
            }
            return ok;
        }
    }
    return ok;
}

// ---------------------------------------------------------------- rejecting suggestions

CmdResult RejectSuggestionCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    std::vector<uint32_t> slots;
    for (uint32_t id : ids) {
        uint32_t slot;
        if (auto r = liveUser(d, id, slot); !r.ok) return r;
        if (std::find(slots.begin(), slots.end(), slot) == slots.end()) slots.push_back(slot);
    }
    std::vector<std::string> keys;
    if (hasIdentity) {
        if (slots.size() != 1) return CmdResult::fail("INVALID_ARGUMENT", "An assign suggestion names one user in \"ids\" and the account in \"identity\"");
        uint32_t integ = d.findIntegration(integration);
        if (integ == kNone) return CmdResult::fail("NOT_FOUND", "No integration \"" + std::string(trim(integration)).substr(0, 200) + "\"");
        uint32_t ii = d.findIdentity(integ, account);
        if (ii == kNone) return CmdResult::fail("NOT_FOUND", "No " + std::string(d.s(d.integrations()[integ].name)) + " account \"" +
                                                                 std::string(trim(account)).substr(0, 200) + "\"");
        keys.push_back(assignKey(d, ii, slots[0]));
    } else {
        if (slots.size() < 2) return CmdResult::fail("INVALID_ARGUMENT", "A merge suggestion names at least two different users in \"ids\"");
        for (size_t i = 0; i < slots.size(); ++i)
            for (size_t j = i + 1; j < slots.size(); ++j) keys.push_back(mergeKey(d, slots[i], slots[j]));
    }
    for (const std::string& k : keys) {
        if (d.isRejected(k)) continue;
        uint32_t r = d.newRejected(k);
        Change c{ChangeOp::RejectAlive, r};
        c.oldV = 0;
        c.newV = 1;
        tx.rec(c);
    }
    return {};
}

// ---------------------------------------------------------------- small commands

namespace {

class AddIntegrationCmd : public Command {
public:
    std::string name;
    bool hasKind = false;
    IntegKind kind = IntegKind::Other;
    std::string label() const override { return "Add integration " + name; }
    CmdResult apply(Tx& tx) override {
        std::string_view n = trim(name);
        if (n.empty()) return CmdResult::fail("INVALID_ARGUMENT", "The integration needs a name");
        if (n.size() > 200) return CmdResult::fail("VALUE_TOO_LONG", "An integration name is at most 200 bytes");
        for (char c : n)
            if (c == '\0' || c == '\n' || c == '\r') return CmdResult::fail("INVALID_ARGUMENT", "The integration name contains a control character");
        if (tx.dir().findIntegration(n) != kNone)
            return CmdResult::fail("DUPLICATE_INTEGRATION", "The integration \"" + std::string(n) + "\" already exists (names ignore case)");
        tx.createIntegration(n, hasKind ? kind : guessIntegKind(n));
        return {};
    }
};

class UpdateIntegrationCmd : public Command {
public:
    std::string name;
    IntegKind kind = IntegKind::Other;
    std::string label() const override { return "Change kind of " + name; }
    CmdResult apply(Tx& tx) override {
        Directory& d = tx.dir();
        uint32_t i = d.findIntegration(name);
        if (i == kNone) return CmdResult::fail("NOT_FOUND", "No integration \"" + std::string(trim(name)).substr(0, 200) + "\"");
        if (d.integrations()[i].kind == kind) return {};
        Change c{ChangeOp::IntegKindOp, i};
        c.oldV = uint32_t(d.integrations()[i].kind);
        c.newV = uint32_t(kind);
        tx.rec(c);
        return {};
    }
};

class BotPatternCmd : public Command {
public:
    std::string pattern;
    bool add = true;
    std::string label() const override { return (add ? "Add bot pattern " : "Remove bot pattern ") + pattern; }
    CmdResult apply(Tx& tx) override {
        Directory& d = tx.dir();
        std::string p = toLowerAscii(trim(pattern));
        if (p.empty()) return CmdResult::fail("INVALID_ARGUMENT", "The pattern is empty");
        if (p.size() > 200) return CmdResult::fail("VALUE_TOO_LONG", "A bot pattern is at most 200 bytes");
        uint32_t found = kNone;
        for (uint32_t i = 0; i < d.botPatterns().size(); ++i)
            if (d.botPatterns()[i].alive && d.s(d.botPatterns()[i].key) == p) found = i;
        if (add) {
            if (found != kNone) return {};
            uint32_t r = d.newBotPattern(p);
            Change c{ChangeOp::BotPatternAlive, r};
            c.oldV = 0;
            c.newV = 1;
            tx.rec(c);
        } else {
            if (found == kNone) return CmdResult::fail("NOT_FOUND", "No bot pattern \"" + p.substr(0, 200) + "\"");
            Change c{ChangeOp::BotPatternAlive, found};
            c.oldV = 1;
            c.newV = 0;
            tx.rec(c);
        }
        return {};
    }
};

bool needId(const json& cmd, const char* key, uint32_t& id, Diag& err) {
    if (!cmd.contains(key)) {
        err = Diag{"INVALID_ARGUMENT", std::string("Missing field \"") + key + "\"", 0, 0};
        return false;
    }
    return jsonUserId(cmd[key], id, err);
}

}  // namespace

std::unique_ptr<Command> makeIdentityCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled) {
    (void)s;
    handled = true;
    auto identOp = [&](IdentOpKind k, const char* userKey) -> std::unique_ptr<Command> {
        auto c = std::make_unique<IdentityCmd>();
        c->kind = k;
        if (userKey && !needId(cmd, userKey, c->userId, err)) return nullptr;
        if (!jsonString(cmd, "integration", c->integration, err, true)) return nullptr;
        if (!jsonString(cmd, "accountId", c->account, err, true)) return nullptr;
        if (k == IdentOpKind::Add) {
            jsonString(cmd, "name", c->display, err, false);
            if (!err.code.empty()) return nullptr;
        }
        if (k == IdentOpKind::SetExcluded) {
            auto it = cmd.find("excluded");
            if (it == cmd.end() || !it->is_boolean()) {
                err = Diag{"INVALID_ARGUMENT", "Field \"excluded\" must be true or false", 0, 0};
                return nullptr;
            }
            c->excluded = it->get<bool>();
        }
        return c;
    };
    if (op == "addIdentity") return identOp(IdentOpKind::Add, "id");
    if (op == "assignIdentity") return identOp(IdentOpKind::Assign, "id");
    if (op == "moveIdentity") return identOp(IdentOpKind::Move, "to");
    if (op == "unassignIdentity") return identOp(IdentOpKind::Unassign, nullptr);
    if (op == "splitIdentity") return identOp(IdentOpKind::Split, "id");
    if (op == "setIdentityExcluded") return identOp(IdentOpKind::SetExcluded, nullptr);
    if (op == "addIntegration" || op == "updateIntegration") {
        std::string name, kind;
        if (!jsonString(cmd, "name", name, err, true)) return nullptr;
        bool hasKind = jsonString(cmd, "kind", kind, err, op == "updateIntegration");
        if (!err.code.empty()) return nullptr;
        IntegKind k = IntegKind::Other;
        if (hasKind && !parseIntegKind(kind, k)) {
            err = Diag{"INVALID_ARGUMENT", "kind is one of scm, issues, incidents, ci, other (got \"" + kind.substr(0, 50) + "\")", 0, 0};
            return nullptr;
        }
        if (op == "addIntegration") {
            auto c = std::make_unique<AddIntegrationCmd>();
            c->name = name;
            c->hasKind = hasKind;
            c->kind = k;
            return c;
        }
        auto c = std::make_unique<UpdateIntegrationCmd>();
        c->name = name;
        c->kind = k;
        return c;
    }
    if (op == "mergeUsers") {
        uint32_t into = 0;
        if (!needId(cmd, "into", into, err)) return nullptr;
        std::vector<uint32_t> from;
        if (!jsonUserIds(cmd, "from", from, err)) return nullptr;
        std::map<std::string, std::string> values;
        if (cmd.contains("values") && !cmd["values"].is_null()) {
            const json& v = cmd["values"];
            if (!v.is_object()) {
                err = Diag{"INVALID_ARGUMENT", "Field \"values\" must be an object {key: value}", 0, 0};
                return nullptr;
            }
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (!it.value().is_string()) {
                    err = Diag{"INVALID_ARGUMENT", "The chosen value for \"" + it.key() + "\" must be a string", 0, 0};
                    return nullptr;
                }
                values[it.key()] = it.value().get<std::string>();
            }
        }
        return std::make_unique<MergeUsersCmd>(into, std::move(from), std::move(values));
    }
    if (op == "rejectSuggestion") {
        auto c = std::make_unique<RejectSuggestionCmd>();
        if (!jsonUserIds(cmd, "ids", c->ids, err)) return nullptr;
        if (cmd.contains("identity") && !cmd["identity"].is_null()) {
            const json& idj = cmd["identity"];
            if (!idj.is_object()) {
                err = Diag{"INVALID_ARGUMENT", "Field \"identity\" must be {integration, accountId}", 0, 0};
                return nullptr;
            }
            if (!jsonString(idj, "integration", c->integration, err, true)) return nullptr;
            if (!jsonString(idj, "accountId", c->account, err, true)) return nullptr;
            c->hasIdentity = true;
        }
        return c;
    }
    if (op == "addBotPattern" || op == "removeBotPattern") {
        auto c = std::make_unique<BotPatternCmd>();
        c->add = op == "addBotPattern";
        if (!jsonString(cmd, "pattern", c->pattern, err, true)) return nullptr;
        return c;
    }
    handled = false;
    return nullptr;
}

}  // namespace roster
