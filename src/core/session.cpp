#include "session.h"

#include "text.h"

namespace roster {

json errorJson(const Diag& d) {
    json e = {{"code", d.code}, {"message", d.message}};
    if (d.line) e["line"] = d.line;
    if (d.column) e["column"] = d.column;
    return json{{"ok", false}, {"error", e}};
}

json errorJson(const std::string& code, const std::string& message) { return errorJson(Diag{code, message, 0, 0}); }

namespace {

// Field readers that report INVALID_ARGUMENT instead of throwing.
bool getString(const json& j, const char* key, std::string& out, Diag& err, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) err = Diag{"INVALID_ARGUMENT", std::string("Missing field \"") + key + "\"", 0, 0};
        return false;
    }
    if (!it->is_string()) {
        err = Diag{"INVALID_ARGUMENT", std::string("Field \"") + key + "\" must be a string", 0, 0};
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool getUserId(const json& v, uint32_t& id, Diag& err) {
    if (v.is_string() && parseUserId(v.get<std::string>(), id)) return true;
    err = Diag{"INVALID_ARGUMENT", "A user id looks like \"u12\", got " + v.dump(-1, ' ', false, json::error_handler_t::replace), 0, 0};
    return false;
}

}  // namespace

std::unique_ptr<Command> Session::makeCommand(const json& cmd, Diag& err) const {
    if (!cmd.is_object()) {
        err = Diag{"INVALID_ARGUMENT", "A command is an object like {op: \"addUser\", ...}", 0, 0};
        return nullptr;
    }
    auto opIt = cmd.find("op");
    if (opIt == cmd.end() || !opIt->is_string()) {
        err = Diag{"INVALID_ARGUMENT", "A command needs a string field \"op\"", 0, 0};
        return nullptr;
    }
    const std::string op = *opIt;
    if (op == "addUser") {
        std::string name, email;
        getString(cmd, "name", name, err, false);
        if (!err.code.empty()) return nullptr;
        if (!getString(cmd, "email", email, err, true)) return nullptr;
        return std::make_unique<AddUserCmd>(name, email);
    }
    if (op == "updateUser") {
        uint32_t id = 0;
        if (!cmd.contains("id")) { err = Diag{"INVALID_ARGUMENT", "Missing field \"id\"", 0, 0}; return nullptr; }
        if (!getUserId(cmd["id"], id, err)) return nullptr;
        std::string name, email;
        bool hasName = getString(cmd, "name", name, err, false);
        if (!err.code.empty()) return nullptr;
        bool hasEmail = getString(cmd, "email", email, err, false);
        if (!err.code.empty()) return nullptr;
        if (!hasName && !hasEmail) { err = Diag{"INVALID_ARGUMENT", "updateUser needs \"name\" or \"email\"", 0, 0}; return nullptr; }
        return std::make_unique<UpdateUserCmd>(id, hasName ? &name : nullptr, hasEmail ? &email : nullptr);
    }
    if (op == "removeUsers") {
        auto it = cmd.find("ids");
        if (it == cmd.end() || !it->is_array() || it->empty()) {
            err = Diag{"INVALID_ARGUMENT", "removeUsers needs a non-empty array \"ids\"", 0, 0};
            return nullptr;
        }
        std::vector<uint32_t> ids;
        for (auto& v : *it) {
            uint32_t id;
            if (!getUserId(v, id, err)) return nullptr;
            ids.push_back(id);
        }
        return std::make_unique<RemoveUsersCmd>(std::move(ids));
    }
    err = Diag{"UNKNOWN_OP", "Unknown op \"" + op + "\"", 0, 0};
    return nullptr;
}

json Session::command(const json& cmd) {
    Diag err;
    std::unique_ptr<Command> c = makeCommand(cmd, err);
    if (!c) return errorJson(err);
    if (readOnly) return errorJson("READ_ONLY", readOnlyReason.empty() ? "Another tab is editing this directory" : readOnlyReason);
    if (busy) return errorJson("BUSY", "A long operation is running; try again when it has finished");
    CmdResult r = execute(*c);
    if (!r.ok) return errorJson(r.error);
    json out = {{"ok", true}};
    if (r.id) out["id"] = formatUserId(r.id);
    return out;
}

json Session::userJson(uint32_t slot) const {
    const Directory& d = dir;
    json u;
    u["id"] = formatUserId(d.userId(slot));
    u["name"] = d.userName(slot);
    u["email"] = d.userEmail(slot);
    json aliases = json::array();
    for (uint32_t ai : d.aliasesOf(slot)) aliases.push_back(d.s(d.aliases()[ai].email));
    u["aliases"] = aliases;
    json attrs = json::object();
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
        if (!d.attrDefs()[a].alive) continue;
        std::string_view v = d.attrValue(a, slot);
        if (!v.empty()) attrs[std::string(d.s(d.attrDefs()[a].key))] = v;
    }
    u["attributes"] = attrs;
    json idents = json::array();
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    for (uint32_t i = 0; i < n; ++i) {
        const Identity& id = d.identities()[list[i]];
        json j = {{"integration", d.s(d.integrations()[id.integ].name)}, {"accountId", d.s(id.account)}};
        if (!id.display.empty()) j["name"] = d.s(id.display);
        idents.push_back(j);
    }
    u["identities"] = idents;
    return u;
}

json Session::snapshot() const {
    const Directory& d = dir;
    json out;
    json attrs = json::array();
    for (const AttrDef& a : d.attrDefs())
        if (a.alive) attrs.push_back({{"key", d.s(a.key)}, {"label", d.s(a.label)}, {"type", attrTypeName(a.type)}});
    out["attributes"] = attrs;
    json integs = json::array();
    for (const Integration& i : d.integrations())
        if (i.alive) integs.push_back({{"name", d.s(i.name)}, {"kind", integKindName(i.kind)}});
    out["integrations"] = integs;
    json users = json::array();
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot)
        if (d.userAlive(slot)) users.push_back(userJson(slot));
    out["users"] = std::move(users);
    json un = json::array();
    for (const Identity& id : d.identities()) {
        if (!id.alive || id.owner != kNone) continue;
        un.push_back({{"integration", d.s(d.integrations()[id.integ].name)}, {"accountId", d.s(id.account)}, {"name", d.s(id.display)}});
    }
    out["unassigned"] = un;
    json units = json::array();
    for (const OrgUnit& u : d.orgUnits()) {
        if (!u.alive) continue;
        json f = json::parse(d.s(u.filter), nullptr, false);
        units.push_back({{"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f}});
    }
    out["orgUnits"] = units;
    return out;
}

}  // namespace roster
