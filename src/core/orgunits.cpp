// Org units: their commands and the JSON builder of their ops.
#include "orgunits.h"

#include "attributes.h"
#include "ops.h"
#include "session.h"
#include "text.h"

namespace roster {

namespace {

constexpr size_t kMaxNameBytes = 256;

CmdResult fail(const char* code, std::string msg) { return CmdResult::fail(code, std::move(msg)); }

bool hasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

CmdResult checkUnitName(std::string_view name) {
    if (name.empty()) return fail("INVALID_ARGUMENT", "An org unit needs a name");
    if (name.size() > kMaxNameBytes) return fail("INVALID_ARGUMENT", "An org unit name is at most 256 bytes");
    if (hasNul(name)) return fail("INVALID_ARGUMENT", "The name contains a NUL character");
    return {};
}

// Creates or replaces a unit (case-insensitive name match).
CmdResult saveUnit(Tx& tx, std::string_view name, const json& filter) {
    Directory& d = tx.dir();
    if (auto r = checkUnitName(name); !r.ok) return r;
    Filter f;
    Diag err;
    if (!f.compile(d, filter, err)) {
        CmdResult r;
        r.ok = false;
        r.error = err;
        return r;
    }
    std::string text = filter.dump(-1, ' ', false, json::error_handler_t::replace);
    uint32_t u = d.findOrgUnit(name);
    if (u == kNone) {
        u = d.newOrgUnit(name, text);
        Change c{ChangeOp::OrgUnitAlive, u};
        c.oldV = 0;
        c.newV = 1;
        tx.rec(c);
        return {};
    }
    const OrgUnit& unit = d.orgUnits()[u];
    if (d.s(unit.name) != name) {
        Change c{ChangeOp::OrgUnitName, u};
        c.oldS = unit.name;
        c.newS = d.pool().add(name);
        tx.rec(c);
    }
    if (d.s(unit.filter) != text) {
        Change c{ChangeOp::OrgUnitFilter, u};
        c.oldS = unit.filter;
        c.newS = d.pool().add(text);
        tx.rec(c);
    }
    return {};
}

}  // namespace

std::vector<std::string> orgUnitsUsingAttribute(const Directory& d, std::string_view key) {
    std::vector<std::string> out;
    std::string k = normalizeAttrKey(key);
    for (const OrgUnit& u : d.orgUnits()) {
        if (!u.alive) continue;
        Filter f;
        Diag err;
        if (!f.compileText(d, d.s(u.filter), err)) continue;
        const auto& keys = f.attributeKeys();
        if (std::find(keys.begin(), keys.end(), k) != keys.end()) out.push_back(std::string(d.s(u.name)));
    }
    return out;
}

// ---------------------------------------------------------------- org unit commands

CmdResult SaveOrgUnitCmd::apply(Tx& tx) { return saveUnit(tx, trim(name_), filter_); }

CmdResult RenameOrgUnitCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t u = d.findOrgUnit(name_);
    if (u == kNone) return fail("NOT_FOUND", "No org unit \"" + clipText(trim(name_)) + "\"");
    std::string_view nn = trim(newName_);
    if (auto r = checkUnitName(nn); !r.ok) return r;
    uint32_t other = d.findOrgUnit(nn);
    if (other != kNone && other != u) return fail("DUPLICATE_ORG_UNIT", "There is already an org unit \"" + clipText(nn) + "\"");
    if (d.s(d.orgUnits()[u].name) == nn) return {};
    Change c{ChangeOp::OrgUnitName, u};
    c.oldS = d.orgUnits()[u].name;
    c.newS = d.pool().add(nn);
    tx.rec(c);
    return {};
}

CmdResult DeleteOrgUnitCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t u = d.findOrgUnit(name_);
    if (u == kNone) return fail("NOT_FOUND", "No org unit \"" + clipText(trim(name_)) + "\"");
    Change c{ChangeOp::OrgUnitAlive, u};
    c.oldV = 1;
    c.newV = 0;
    tx.rec(c);
    return {};
}

CmdResult RenameAndSaveCmd::apply(Tx& tx) {
    CmdResult r = rename_.apply(tx);
    if (!r.ok) return r;
    return save_.apply(tx);
}

CmdResult ImportOrgUnitsCmd::apply(Tx& tx) {
    for (auto& [name, filter] : units_) {
        CmdResult r = saveUnit(tx, trim(name), filter);
        if (!r.ok) {
            r.error.message = "Org unit \"" + clipText(trim(name)) + "\": " + r.error.message;
            return r;
        }
    }
    return {};
}

bool parseOrgUnitsFile(const json& j, std::vector<std::pair<std::string, json>>& out, Diag& err) {
    const json* arr = &j;
    if (j.is_object()) {
        auto it = j.find("orgUnits");
        if (it == j.end()) {
            err = Diag{"INVALID_ARGUMENT", "Expected {\"orgUnits\": [{\"name\": ..., \"filter\": {...}}, ...]}", 0, 0};
            return false;
        }
        arr = &*it;
    }
    if (!arr->is_array()) {
        err = Diag{"INVALID_ARGUMENT", "\"orgUnits\" must be an array of {name, filter}", 0, 0};
        return false;
    }
    for (size_t i = 0; i < arr->size(); ++i) {
        const json& u = (*arr)[i];
        if (!u.is_object() || !u.contains("name") || !u["name"].is_string() || !u.contains("filter")) {
            err = Diag{"INVALID_ARGUMENT", "orgUnits[" + std::to_string(i) + "] must be {\"name\": \"...\", \"filter\": {...}}", 0, 0};
            return false;
        }
        out.emplace_back(u["name"].get<std::string>(), u["filter"]);
    }
    return true;
}

json orgUnitsFile(const Directory& d) {
    json units = json::array();
    for (const OrgUnit& u : d.orgUnits()) {
        if (!u.alive) continue;
        json f = json::parse(d.s(u.filter), nullptr, false);
        units.push_back({{"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f}});
    }
    return json{{"format", "roster-org-units"}, {"version", 1}, {"orgUnits", units}};
}

// ---------------------------------------------------------------- the JSON door

static json parseFilterField(const json& cmd, Diag& err, bool& ok) {
    ok = false;
    auto it = cmd.find("filter");
    if (it == cmd.end() || it->is_null()) {
        err = Diag{"INVALID_FILTER", "Missing field \"filter\"", 0, 0};
        return nullptr;
    }
    if (it->is_string()) {   // accepted: the filter as JSON text
        json j = json::parse(it->get<std::string>(), nullptr, false);
        if (j.is_discarded()) {
            err = Diag{"INVALID_FILTER", "filter: not valid JSON", 0, 0};
            return nullptr;
        }
        ok = true;
        return j;
    }
    ok = true;
    return *it;
}

std::unique_ptr<Command> makeOrgUnitCommand(const std::string& op, const json& cmd, const Session& s, Diag& err, bool& handled) {
    (void)s;
    handled = true;
    if (op == "saveOrgUnit") {
        std::string name;
        if (!jsonString(cmd, "name", name, err, true)) return nullptr;
        bool ok;
        json f = parseFilterField(cmd, err, ok);
        if (!ok) return nullptr;
        return std::make_unique<SaveOrgUnitCmd>(name, std::move(f));
    }
    if (op == "renameOrgUnit") {
        std::string name, newName;
        if (!jsonString(cmd, "name", name, err, true) || !jsonString(cmd, "newName", newName, err, true)) return nullptr;
        return std::make_unique<RenameOrgUnitCmd>(name, newName);
    }
    if (op == "deleteOrgUnit") {
        std::string name;
        if (!jsonString(cmd, "name", name, err, true)) return nullptr;
        return std::make_unique<DeleteOrgUnitCmd>(name);
    }
    if (op == "importOrgUnits") {
        std::vector<std::pair<std::string, json>> units;
        if (!parseOrgUnitsFile(cmd, units, err)) return nullptr;
        return std::make_unique<ImportOrgUnitsCmd>(std::move(units));
    }
    handled = false;
    return nullptr;
}

}  // namespace roster
