#include "session.h"

#include "exporter.h"

#include "import_job.h"

#include "identities.h"
#include "orgunits.h"
#include "filter.h"
#include "lint.h"
#include "ops.h"
#include "text.h"

namespace roster {

json errorJson(const Diag& d) {
    json e = {{"code", d.code}, {"message", d.message}};
    if (d.line) e["line"] = d.line;
    if (d.column) e["column"] = d.column;
    return json{{"ok", false}, {"error", e}};
}

json errorJson(const std::string& code, const std::string& message) { return errorJson(Diag{code, message, 0, 0}); }

Diag busyError() { return Diag{"BUSY", "A long operation is running; try again when it has finished", 0, 0}; }

bool jsonString(const json& j, const char* key, std::string& out, Diag& err, bool required) {
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

bool jsonUserId(const json& v, uint32_t& id, Diag& err) {
    if (v.is_string() && parseUserId(v.get<std::string>(), id)) return true;
    err = Diag{"INVALID_ARGUMENT", "A user id looks like \"u12\", got " + v.dump(-1, ' ', false, json::error_handler_t::replace), 0, 0};
    return false;
}

bool jsonUserIds(const json& j, const char* key, std::vector<uint32_t>& out, Diag& err) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_array() || it->empty()) {
        err = Diag{"INVALID_ARGUMENT", std::string("Field \"") + key + "\" must be a non-empty array of user ids", 0, 0};
        return false;
    }
    for (auto& v : *it) {
        uint32_t id;
        if (!jsonUserId(v, id, err)) return false;
        out.push_back(id);
    }
    return true;
}

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
        jsonString(cmd, "name", name, err, false);
        if (!err.code.empty()) return nullptr;
        if (!jsonString(cmd, "email", email, err, true)) return nullptr;
        return std::make_unique<AddUserCmd>(name, email);
    }
    if (op == "updateUser") {
        uint32_t id = 0;
        if (!cmd.contains("id")) { err = Diag{"INVALID_ARGUMENT", "Missing field \"id\"", 0, 0}; return nullptr; }
        if (!jsonUserId(cmd["id"], id, err)) return nullptr;
        std::string name, email;
        bool hasName = jsonString(cmd, "name", name, err, false);
        if (!err.code.empty()) return nullptr;
        bool hasEmail = jsonString(cmd, "email", email, err, false);
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
            if (!jsonUserId(v, id, err)) return nullptr;
            ids.push_back(id);
        }
        return std::make_unique<RemoveUsersCmd>(std::move(ids));
    }
    bool handled = false;
    std::unique_ptr<Command> c = makeAttributeCommand(op, cmd, *this, err, handled);
    if (handled) return c;
    c = makeOrgUnitCommand(op, cmd, *this, err, handled);
    if (handled) return c;
    c = makeIdentityCommand(op, cmd, *this, err, handled);
    if (handled) return c;
    err = Diag{"UNKNOWN_OP", "Unknown op \"" + op + "\"", 0, 0};
    return nullptr;
}

json Session::command(const json& cmd) {
    Diag err;
    std::unique_ptr<Command> c = makeCommand(cmd, err);
    if (!c) return errorJson(err);
    if (readOnly) return errorJson(readOnlyError());
    if (busy) return errorJson(busyError());
    CmdResult r = execute(*c);
    if (!r.ok) {
        json e = errorJson(r.error);
        // A merge with conflicting values says which, so the caller can choose them in `values`.
        if (r.error.code == "MERGE_CONFLICT") e["error"]["conflicts"] = mergeConflictsJson(dir, cmd);
        return e;
    }
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
        if (id.flags & kIdentExcluded) j["excluded"] = true;
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
        json j = {{"integration", d.s(d.integrations()[id.integ].name)}, {"accountId", d.s(id.account)}, {"name", d.s(id.display)}};
        if (id.flags & kIdentExcluded) j["excluded"] = true;
        un.push_back(std::move(j));
    }
    out["unassigned"] = un;
    json units = json::array();
    for (uint32_t x = 0; x < d.orgUnits().size(); ++x) {
        const OrgUnit& u = d.orgUnits()[x];
        if (!u.alive) continue;
        json f = json::parse(d.s(u.filter), nullptr, false);
        const uint32_t p = d.orgUnitParent(x);
        units.push_back({{"id", formatOrgUnitId(u.id)}, {"name", d.s(u.name)}, {"filter", f.is_discarded() ? json::object() : f},
                         {"parent", p == kNone ? json(nullptr) : json(d.s(d.orgUnits()[p].name))}});
    }
    out["orgUnits"] = units;
    // Beyond the contract's shape: the rest of what an edit can change, so that "undo restores the
    // snapshot" and storage round trips compare everything (bot patterns, rejected suggestions;
    // excluded accounts carry `excluded: true` above).
    json bots = json::array(), rejected = json::array();
    for (const auto& r : d.botPatterns()) if (r.alive) bots.push_back(d.s(r.key));
    for (const auto& r : d.rejected()) if (r.alive) rejected.push_back(d.s(r.key));
    out["botPatterns"] = std::move(bots);
    out["rejectedSuggestions"] = std::move(rejected);
    return out;
}

// ---------------------------------------------------------------- CSV

json Session::parseCsvJson(std::string_view bytes) const {
    if (bytes.size() > kMaxImportBytes)
        return errorJson("FILE_TOO_LARGE", "The file is " + std::to_string(bytes.size() >> 20) + " MB: Roster reads files up to " +
                                               std::to_string(kMaxImportBytes >> 20) + " MB");
    CsvResult r = parseCsv(bytes);
    if (!r.ok) return errorJson(r.error);
    json rows = json::array();
    for (size_t i = 0; i < r.table.rows(); ++i) {
        json row = json::array();
        for (size_t c = 0; c < r.table.cols(i); ++c) row.push_back(r.table.cell(i, c));
        rows.push_back(std::move(row));
    }
    const CsvDialect& dl = r.table.dialect;
    json warnings = json::array();
    for (auto& w : r.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}, {"line", w.line}});
    return json{{"ok", true},
                {"rows", std::move(rows)},
                {"dialect", {{"delimiter", std::string(1, dl.delimiter)}, {"bom", dl.bom}, {"encoding", dl.encoding}, {"lineEnding", dl.lineEnding}}},
                {"warnings", warnings}};
}

static bool parseMode(const json& opts, ImportMode& mode, json& error) {
    std::string m = "update";
    if (opts.is_object() && opts.contains("mode")) {
        if (!opts["mode"].is_string()) { error = errorJson("INVALID_ARGUMENT", "mode must be \"update\" or \"replace\""); return false; }
        m = opts["mode"].get<std::string>();
    }
    if (m == "update") mode = ImportMode::Update;
    else if (m == "replace") mode = ImportMode::Replace;
    else { error = errorJson("INVALID_ARGUMENT", "mode must be \"update\" or \"replace\", not \"" + m + "\""); return false; }
    return true;
}

bool Session::parseImportOptions(const json& opts, ImportOptions& out, json& error) {
    out = ImportOptions{};
    if (!parseMode(opts, out.mode, error)) return false;
    if (!opts.is_object()) return true;
    if (opts.contains("columns") && !opts["columns"].is_null()) {
        const json& cols = opts["columns"];
        if (!cols.is_object()) {
            error = errorJson("INVALID_ARGUMENT", "columns must be an object {\"<header>\": \"<target>\"}");
            return false;
        }
        for (auto it = cols.begin(); it != cols.end(); ++it) {
            if (!it.value().is_string() || !validColumnTarget(it.value().get<std::string>())) {
                error = errorJson("INVALID_ARGUMENT", "columns[\"" + it.key() + "\"] must be \"name\", \"email\", \"firstName\", \"lastName\", "
                                                      "\"ignore\", \"attribute:<key>\" or \"integration:<Name>\"");
                return false;
            }
            out.columns.emplace_back(it.key(), it.value().get<std::string>());
        }
    }
    if (opts.contains("skipInvalidRows") && !opts["skipInvalidRows"].is_null()) {
        if (!opts["skipInvalidRows"].is_boolean()) {
            error = errorJson("INVALID_ARGUMENT", "skipInvalidRows must be true or false");
            return false;
        }
        out.skipInvalidRows = opts["skipInvalidRows"].get<bool>();
    }
    return true;
}

static json diagJson(const Diag& d) {
    json j = {{"code", d.code}, {"message", d.message}};
    if (d.line) j["line"] = d.line;
    if (d.column) j["column"] = d.column;
    if (!d.rowCode.empty()) j["rowCode"] = d.rowCode;
    return j;
}

json Session::planJson(const ImportPlan& plan) const {
    json errors = json::array(), warnings = json::array();
    for (auto& e : plan.errors) errors.push_back(diagJson(e));
    for (auto& w : plan.warnings) warnings.push_back(diagJson(w));
    auto people = [&](const std::vector<PersonChange>& list) {
        json a = json::array();
        for (auto& p : list) {
            json j = {{"name", p.name}, {"email", p.email}};
            if (p.slot != kNone) j["id"] = formatUserId(dir.userId(p.slot));
            if (!p.fields.empty()) {
                json f = json::array();
                for (auto& c : p.fields) f.push_back({{"field", c.field}, {"old", c.oldValue}, {"new", c.newValue}});
                j["fields"] = f;
            }
            a.push_back(std::move(j));
        }
        return a;
    };
    json newAttrs = json::array(), newIntegs = json::array();
    for (auto& a : plan.newAttrs) newAttrs.push_back({{"key", a.key}, {"header", a.header}, {"type", attrTypeName(a.type)}});
    for (auto& i : plan.newIntegs) newIntegs.push_back({{"name", i.name}, {"kind", integKindName(i.kind)}});
    const CsvDialect& dl = plan.dialect;
    // The mapping step: {header: target} (what a caller passes back as `columns`), and each column
    // with where its target came from, its type and a few values.
    json columns = json::object(), columnList = json::array();
    for (const PlanColumn& c : plan.columns) {
        if (!columns.contains(c.header)) columns[c.header] = c.target;
        json j = {{"header", c.header}, {"target", c.target}, {"source", c.source}, {"samples", c.samples}};
        if (c.target.rfind("attribute:", 0) == 0) {
            j["type"] = attrTypeName(c.type);
            j["newAttribute"] = c.newAttribute;
        }
        columnList.push_back(std::move(j));
    }
    json j{{"ok", plan.ok()},
                {"mode", plan.mode == ImportMode::Update ? "update" : "replace"},
                {"counts", {{"added", plan.counts.added}, {"updated", plan.counts.updated}, {"removed", plan.counts.removed},
                            {"unchanged", plan.counts.unchanged}, {"skipped", plan.counts.skipped}, {"rowsSkipped", plan.counts.rowsSkipped}}},
                {"columns", std::move(columns)},
                {"columnList", std::move(columnList)},
                {"mappingSource", plan.mappingSource},
                {"rowErrorsOnly", plan.rowErrorsOnly},
                {"rowsInError", plan.rowsInError},
                {"errors", errors},
                {"warnings", warnings},
                {"rows", plan.rows},
                {"newAttributes", newAttrs},
                {"newIntegrations", newIntegs},
                {"changes", people(plan.changes)},
                {"added", people(plan.added)},
                {"removed", people(plan.removed)},
                {"dialect", {{"delimiter", std::string(1, dl.delimiter)}, {"bom", dl.bom}, {"encoding", dl.encoding}, {"lineEnding", dl.lineEnding}}}};
    // The format Roster took the file(s) for: "sei" for a CSV of people, else another tool's
    // (foreign.h), with what its import brings besides people and accounts.
    if (plan.extras) {
        const ImportExtras& x = *plan.extras;
        j["format"] = x.format;
        j["formatLabel"] = x.label;
        j["counts"]["aliases"] = x.newAliases;
        j["counts"]["orgUnits"] = x.newUnits;
        j["counts"]["suggestions"] = x.newHints;
        json units = json::array();
        for (const auto& u : x.units) units.push_back({{"name", u.name}, {"parent", u.parent.empty() ? json(nullptr) : json(u.parent)}});
        j["orgUnits"] = std::move(units);
    } else {
        j["format"] = "sei";
        j["formatLabel"] = "CSV of people";
    }
    return j;
}

// The mode option, and the size limit checked before reading (shared by preview and apply).
static bool checkImportArgs(std::string_view bytes, const json& opts, ImportMode& mode, json& error) {
    ImportOptions o;
    if (!Session::parseImportOptions(opts, o, error)) return false;
    mode = o.mode;
    if (bytes.size() > Session::kMaxImportBytes) {
        error = errorJson("FILE_TOO_LARGE", "The file is " + std::to_string(bytes.size() >> 20) + " MB: Roster imports files up to " +
                                                std::to_string(Session::kMaxImportBytes >> 20) + " MB");
        return false;
    }
    return true;
}

std::string Session::importLabel(ImportMode mode) { return std::string("Import CSV (") + (mode == ImportMode::Update ? "update" : "replace") + ")"; }

json Session::previewImport(std::string_view bytes, const json& opts, std::shared_ptr<ImportPlan>* keep) const {
    ImportMode mode;
    json error;
    if (!checkImportArgs(bytes, opts, mode, error)) return error;
    ImportOptions o;
    parseImportOptions(opts, o, error);
    auto plan = std::make_shared<ImportPlan>(planImport(dir, bytes, o));
    json j = planJson(*plan);
    if (keep) *keep = plan;
    return j;
}

json Session::applyPlan(const std::shared_ptr<ImportPlan>& plan, const std::string& label, json* preview) {
    json j = preview ? std::move(*preview) : planJson(*plan);
    if (!plan->ok()) { j["applied"] = false; return j; }
    if (readOnly) return errorJson(readOnlyError());
    ImportCmd cmd(plan, label);
    CmdResult r = execute(cmd);
    if (!r.ok) {
        j["ok"] = false;
        j["errors"].push_back(diagJson(r.error));
        j["applied"] = false;
        return j;
    }
    noteApplied(*plan);
    j["applied"] = true;
    return j;
}

// What every applyImport checks first: a read-only tab, a job running, the arguments.
bool Session::canImport(std::string_view bytes, const json& opts, ImportMode& mode, json& error) const {
    if (readOnly) error = errorJson(readOnlyError());
    else if (busy) error = errorJson(busyError());
    else return checkImportArgs(bytes, opts, mode, error);
    return false;
}

json Session::applyImport(ImportBytes bytes, const json& opts) {
    ImportMode mode;
    json error;
    if (!canImport(bytes.view(), opts, mode, error)) return error;
    // The same job the UI runs across frames, here to its end in one call.
    ImportOptions o;
    parseImportOptions(opts, o, error);
    ImportJob job(*this, std::move(bytes), o, importLabel(mode), true);
    job.runToEnd();
    return job.result();
}

json Session::exportCsv(const json& opts) const {
    const ExportFormat* format = nullptr;
    ExportOptions o;
    json error;
    if (!parseExportOptions(opts, format, o, error, &dir)) return error;
    std::vector<ExportFile> files = format->write(dir, o, "export");
    if (files.size() != 1) return errorJson("INVALID_ARGUMENT", std::string("The format \"") + format->id + "\" writes several files: use roster.export");
    return json{{"ok", true}, {"csv", std::move(files[0].text)}};
}

json Session::exportFiles(const json& opts, const std::string& stem) const {
    const ExportFormat* format = nullptr;
    ExportOptions o;
    json error;
    if (!parseExportOptions(opts, format, o, error, &dir)) return error;
    json files = json::array();
    for (ExportFile& f : format->write(dir, o, stem)) files.push_back({{"name", std::move(f.name)}, {"text", std::move(f.text)}});
    json warnings = format->check ? exportFindingsJson(dir, format->check(dir, o)) : json::array();
    return json{{"ok", true}, {"format", format->id}, {"files", std::move(files)}, {"warnings", std::move(warnings)}};
}

// ---------------------------------------------------------------- queries

std::string Session::queryText(const json& filter) const {
    Filter f;
    Diag err;
    if (!f.compile(dir, filter, err)) return errorJson(err).dump(-1, ' ', false, json::error_handler_t::replace);
    std::vector<uint32_t> slots;
    f.matchAll(dir, slots);
    std::string out;
    out.reserve(24 + slots.size() * 11);
    out += "{\"ok\":true,\"ids\":[";
    char buf[16];
    for (size_t i = 0; i < slots.size(); ++i) {
        if (i) out += ',';
        const uint32_t id = dir.userId(slots[i]);
        char* e = buf + sizeof buf;
        char* p = e;
        uint32_t v = id;
        do { *--p = char('0' + v % 10); v /= 10; } while (v);
        out += "\"u";
        out.append(p, size_t(e - p));
        out += '"';
    }
    out += "]}";
    return out;
}

json Session::query(const json& filter) const {
    Filter f;
    Diag err;
    if (!f.compile(dir, filter, err)) return errorJson(err);
    std::vector<uint32_t> slots;
    f.matchAll(dir, slots);
    json ids = json::array();
    ids.get_ref<json::array_t&>().reserve(slots.size());
    for (uint32_t s : slots) ids.push_back(formatUserId(dir.userId(s)));
    return json{{"ok", true}, {"ids", std::move(ids)}};
}

}  // namespace roster
