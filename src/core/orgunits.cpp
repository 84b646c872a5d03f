// Org units: their commands and the JSON builder of their ops.
#include "orgunits.h"

#include <algorithm>

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

std::string unitName(const Directory& d, uint32_t u) { return clipText(trim(d.s(d.orgUnits()[u].name)), 80); }

// "A > B > C": the units from `from` down to `to` (to inside from).
std::string pathText(const Directory& d, uint32_t from, uint32_t to) {
    std::vector<uint32_t> path = orgUnitPath(d, to);
    auto it = std::find(path.begin(), path.end(), from);
    std::string out;
    for (; it != path.end(); ++it) {
        if (!out.empty()) out += " > ";
        out += unitName(d, *it);
    }
    return out;
}

// The new parent of unit u (kNone: the top level; u may be kNone for a unit about to be created,
// named `name`), or a refusal: NOT_FOUND, CIRCULAR_REFERENCE.
CmdResult resolveParent(const Directory& d, uint32_t u, std::string_view name, const OrgUnitParentRef& ref, uint32_t& out) {
    out = kNone;
    if (ref.kind != OrgUnitParentRef::Kind::Unit) return {};
    std::string_view pn = trim(ref.name);
    uint32_t p = d.findOrgUnit(pn);
    if (p == kNone) {
        if (u == kNone && equalsFolded(pn, trim(name)))
            return fail("CIRCULAR_REFERENCE", "The org unit \"" + clipText(trim(name), 80) + "\" cannot be its own parent");
        return fail("NOT_FOUND", "No org unit \"" + clipText(pn, 80) + "\" to put \"" + clipText(trim(name), 80) + "\" under");
    }
    if (u != kNone && p == u)
        return fail("CIRCULAR_REFERENCE", "The org unit \"" + unitName(d, u) + "\" cannot be its own parent");
    if (u != kNone && orgUnitWithin(d, p, u))
        return fail("CIRCULAR_REFERENCE", "Cannot move \"" + unitName(d, u) + "\" under \"" + unitName(d, p) + "\": \"" +
                                              unitName(d, p) + "\" is inside \"" + unitName(d, u) + "\" (" + pathText(d, u, p) + ")");
    out = p;
    return {};
}

void recParent(Tx& tx, uint32_t u, uint32_t p) {
    const uint32_t cur = tx.dir().orgUnits()[u].parent;
    if (cur == p) return;
    Change c{ChangeOp::OrgUnitParent, u};
    c.oldV = cur;
    c.newV = p;
    tx.rec(c);
}

// Creates or replaces a unit (case-insensitive name match), and sets its parent as `parent` says.
CmdResult saveUnit(Tx& tx, std::string_view name, const json& filter, const OrgUnitParentRef& parent) {
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
    uint32_t p = kNone;
    if (auto r = resolveParent(d, u, name, parent, p); !r.ok) return r;   // before a new unit takes an id
    if (u == kNone) {
        u = d.newOrgUnit(name, text);
        Change c{ChangeOp::OrgUnitAlive, u};
        c.oldV = 0;
        c.newV = 1;
        tx.rec(c);
        recParent(tx, u, p);
        return {};
    }
    const OrgUnit& unit = d.orgUnits()[u];
    if (d.s(unit.name) != name) {
        Change c{ChangeOp::OrgUnitName, u};
        c.oldS = unit.name;
        c.newS = d.pool().add(name);
        tx.rec(c);
    }
    if (d.s(d.orgUnits()[u].filter) != text) {
        Change c{ChangeOp::OrgUnitFilter, u};
        c.oldS = d.orgUnits()[u].filter;
        c.newS = d.pool().add(text);
        tx.rec(c);
    }
    if (parent.kind != OrgUnitParentRef::Kind::Keep) recParent(tx, u, p);
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

// ---------------------------------------------------------------- the tree

std::string formatOrgUnitId(uint32_t id) { return "o" + std::to_string(id); }

bool orgUnitWithin(const Directory& d, uint32_t u, uint32_t ancestor) {
    // Bounded by the unit count: a damaged tree with a cycle never loops.
    for (size_t steps = 0; u != kNone && steps <= d.orgUnits().size(); ++steps) {
        if (u == ancestor) return true;
        u = d.orgUnitParent(u);
    }
    return false;
}

std::vector<uint32_t> orgUnitPath(const Directory& d, uint32_t u) {
    std::vector<uint32_t> path;
    for (size_t steps = 0; u != kNone && steps <= d.orgUnits().size(); ++steps) {
        if (std::find(path.begin(), path.end(), u) != path.end()) break;
        path.push_back(u);
        u = d.orgUnitParent(u);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

std::vector<uint32_t> orgUnitChildren(const Directory& d, uint32_t p) {
    std::vector<uint32_t> out;
    for (uint32_t u = 0; u < d.orgUnits().size(); ++u)
        if (d.orgUnits()[u].alive && u != p && d.orgUnitParent(u) == p) out.push_back(u);
    return out;
}

std::vector<OrgUnitRow> orgUnitTree(const Directory& d) {
    const auto& units = d.orgUnits();
    const uint32_t n = uint32_t(units.size());
    // Children lists (CSR) by parent; top-level units under the extra index n.
    std::vector<uint32_t> start(size_t(n) + 2, 0), list;
    auto parentOf = [&](uint32_t u) { uint32_t p = d.orgUnitParent(u); return p == kNone ? n : p; };
    for (uint32_t u = 0; u < n; ++u)
        if (units[u].alive) ++start[parentOf(u) + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    list.assign(start.back(), 0);
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (uint32_t u = 0; u < n; ++u)
        if (units[u].alive) list[fill[parentOf(u)]++] = u;
    std::vector<OrgUnitRow> out;
    std::vector<uint8_t> seen(n, 0);
    std::vector<OrgUnitRow> stack;
    auto pushKids = [&](uint32_t p, uint32_t depth) {
        for (uint32_t k = start[p + 1]; k > start[p]; --k) stack.push_back(OrgUnitRow{list[k - 1], depth});
    };
    pushKids(n, 0);
    while (!stack.empty()) {
        OrgUnitRow r = stack.back();
        stack.pop_back();
        if (seen[r.unit]) continue;
        seen[r.unit] = 1;
        out.push_back(r);
        pushKids(r.unit, r.depth + 1);
    }
    // Units in a (damaged) cycle are unreachable from the top: list them at the top level.
    for (uint32_t u = 0; u < n; ++u)
        if (units[u].alive && !seen[u]) {
            seen[u] = 1;
            out.push_back(OrgUnitRow{u, 0});
        }
    return out;
}

std::vector<uint32_t> orgUnitValidParents(const Directory& d, uint32_t u) {
    std::vector<uint32_t> out;
    for (const OrgUnitRow& r : orgUnitTree(d))
        if (u == kNone || !orgUnitWithin(d, r.unit, u)) out.push_back(r.unit);
    return out;
}

// ---------------------------------------------------------------- membership

bool orgUnitMemberMask(const Directory& d, uint32_t p, std::vector<uint8_t>& mask, Diag* err) {
    mask.assign(d.slotCount(), 0);
    std::vector<uint8_t> own;
    bool first = true;
    for (uint32_t u : orgUnitPath(d, p)) {
        Filter f;
        Diag e;
        if (!f.compileText(d, d.s(d.orgUnits()[u].filter), e)) {
            std::fill(mask.begin(), mask.end(), 0);
            if (err) {
                *err = e;
                err->message = "Org unit \"" + unitName(d, u) + "\": " + e.message;
            }
            return false;
        }
        if (first) {
            f.matchMask(d, mask);
            first = false;
        } else {
            f.matchMask(d, own);
            for (size_t i = 0; i < mask.size(); ++i) mask[i] &= own[i];
        }
    }
    if (first)
        for (uint32_t s = 0; s < d.slotCount(); ++s) mask[s] = d.userAlive(s) ? 1 : 0;
    return true;
}

std::vector<int64_t> orgUnitMemberCounts(const Directory& d) {
    std::vector<int64_t> counts(d.orgUnits().size(), 0);
    // Depth first: the masks of the units above the current one stay on a stack.
    std::vector<std::vector<uint8_t>> masks;
    std::vector<uint8_t> ok;   // per stack level: the mask is valid
    std::vector<uint8_t> own;
    for (const OrgUnitRow& r : orgUnitTree(d)) {
        const uint32_t depth = std::min<uint32_t>(r.depth, uint32_t(masks.size()));
        masks.resize(depth + 1);
        ok.resize(depth + 1);
        const bool parentOk = depth == 0 || ok[depth - 1];
        Filter f;
        Diag e;
        if (!parentOk || !f.compileText(d, d.s(d.orgUnits()[r.unit].filter), e)) {
            ok[depth] = 0;
            counts[r.unit] = -1;
            continue;
        }
        std::vector<uint8_t>& m = masks[depth];
        f.matchMask(d, m);
        if (depth > 0) {
            const std::vector<uint8_t>& pm = masks[depth - 1];
            for (size_t i = 0; i < m.size(); ++i) m[i] &= pm[i];
        }
        ok[depth] = 1;
        int64_t n = 0;
        for (uint8_t b : m) n += b;
        counts[r.unit] = n;
    }
    return counts;
}

// ---------------------------------------------------------------- org unit commands

CmdResult saveOrgUnitInTx(Tx& tx, std::string_view name, const json& filter, const OrgUnitParentRef& parent) {
    return saveUnit(tx, trim(name), filter, parent);
}

CmdResult SaveOrgUnitCmd::apply(Tx& tx) { return saveUnit(tx, trim(name_), filter_, parent_); }

CmdResult MoveOrgUnitCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t u = d.findOrgUnit(name_);
    if (u == kNone) return fail("NOT_FOUND", "No org unit \"" + clipText(trim(name_)) + "\"");
    if (parent_.kind == OrgUnitParentRef::Kind::Keep) return {};
    uint32_t p = kNone;
    if (auto r = resolveParent(d, u, name_, parent_, p); !r.ok) return r;
    recParent(tx, u, p);
    return {};
}

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
    // Its children move up to its parent (they keep their own filters).
    const uint32_t up = d.orgUnitParent(u);
    for (uint32_t child : orgUnitChildren(d, u)) recParent(tx, child, up);
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
    for (const OrgUnitEntry& e : units_) {
        CmdResult r = saveUnit(tx, trim(e.name), e.filter, OrgUnitParentRef::keep());
        if (!r.ok) {
            r.error.message = "Org unit \"" + clipText(trim(e.name)) + "\": " + r.error.message;
            return r;
        }
    }
    // Parents once every unit of the file exists.
    for (const OrgUnitEntry& e : units_) {
        if (e.parent.kind == OrgUnitParentRef::Kind::Keep) continue;
        MoveOrgUnitCmd move(e.name, e.parent);
        CmdResult r = move.apply(tx);
        if (!r.ok) return r;
    }
    return {};
}

// "parent" of a command or a file entry: absent = keep, null = the top level, a string = that unit.
static bool parseParentField(const json& obj, OrgUnitParentRef& out, Diag& err, const std::string& where) {
    out = OrgUnitParentRef::keep();
    auto it = obj.find("parent");
    if (it == obj.end()) return true;
    if (it->is_null()) {
        out = OrgUnitParentRef::root();
        return true;
    }
    if (!it->is_string() || trim(it->get<std::string>()).empty()) {
        err = Diag{"INVALID_ARGUMENT", where + "\"parent\" must be an org unit's name, or null for the top level", 0, 0};
        return false;
    }
    out = OrgUnitParentRef::unit(std::string(trim(it->get<std::string>())));
    return true;
}

bool parseOrgUnitsFile(const json& j, std::vector<OrgUnitEntry>& out, Diag& err) {
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
        OrgUnitEntry e{u["name"].get<std::string>(), u["filter"], {}};
        if (!parseParentField(u, e.parent, err, "orgUnits[" + std::to_string(i) + "]: ")) return false;
        out.push_back(std::move(e));
    }
    return true;
}

json orgUnitsFile(const Directory& d) {
    json units = json::array();
    for (const OrgUnitRow& r : orgUnitTree(d)) {
        const OrgUnit& u = d.orgUnits()[r.unit];
        json f = json::parse(d.s(u.filter), nullptr, false);
        const uint32_t p = d.orgUnitParent(r.unit);
        units.push_back({{"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f},
                         {"parent", p == kNone ? json(nullptr) : json(d.s(d.orgUnits()[p].name))}});
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
        OrgUnitParentRef parent;
        if (!parseParentField(cmd, parent, err, "")) return nullptr;
        return std::make_unique<SaveOrgUnitCmd>(name, std::move(f), std::move(parent));
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
        std::vector<OrgUnitEntry> units;
        if (!parseOrgUnitsFile(cmd, units, err)) return nullptr;
        return std::make_unique<ImportOrgUnitsCmd>(std::move(units));
    }
    handled = false;
    return nullptr;
}

}  // namespace roster
