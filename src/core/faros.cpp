#include "faros.h"

#include <unordered_map>

#include "commands.h"
#include "csv.h"
#include "foreign.h"
#include "foreign_util.h"
#include "orgunits.h"
#include "text.h"

namespace roster {

namespace {

enum FarosField { Title, Location, JoinedAt, TerminatedAt, FieldCount };

std::string squeezed(std::string_view key) {
    std::string out;
    for (char c : toLowerAscii(trim(key)))
        if (c != ' ' && c != '_' && c != '-') out += c;
    return out;
}

int farosFieldOf(std::string_view key) {
    const std::string k = squeezed(key);
    if (k == "title" || k == "designation" || k == "jobtitle") return Title;
    if (k == "location" || k == "site") return Location;
    if (k == "startdate" || k == "joined" || k == "joinedat" || k == "hiredate") return JoinedAt;
    if (k == "enddate" || k == "terminated" || k == "terminatedat" || k == "terminationdate") return TerminatedAt;
    return -1;
}

// The attribute of each Faros field (kNone: none), and the keys of those left out.
void mapAttributes(const Directory& d, uint32_t (&fields)[FieldCount], std::vector<std::string>* leftOut) {
    for (uint32_t& f : fields) f = kNone;
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a) {
        const AttrDef& def = d.attrDefs()[a];
        if (!def.alive) continue;
        const int f = farosFieldOf(d.s(def.key));
        if (f >= 0 && fields[f] == kNone) fields[f] = a;
        else if (leftOut) leftOut->emplace_back(d.s(def.key));
    }
}

const char* kindPrefix(IntegKind k) {
    switch (k) {
        case IntegKind::Scm: return "vcsId_";
        case IntegKind::Issues: return "tmsId_";
        case IntegKind::Incidents: return "imsId_";
        case IntegKind::Ci: return "cicdId_";
        default: return nullptr;
    }
}

// The integrations with a Faros column that hold at least one live account of a live person.
std::vector<uint32_t> farosIntegrations(const Directory& d) {
    std::vector<uint8_t> used(d.integrations().size(), 0);
    for (const Identity& id : d.identities())
        if (id.alive && d.userAlive(id.owner) && !trim(d.s(id.account)).empty()) used[id.integ] = 1;
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < d.integrations().size(); ++i)
        if (used[i] && d.integrations()[i].alive && kindPrefix(d.integrations()[i].kind)) out.push_back(i);
    return out;
}

}  // namespace

std::string writeFarosEmployees(const Directory& d) {
    uint32_t fields[FieldCount];
    mapAttributes(d, fields, nullptr);
    const std::vector<uint32_t> integs = farosIntegrations(d);
    std::vector<std::string> header = {"employeeId", "fullName", "email", "teamId", "title", "location", "joinedAt", "terminatedAt", "inactive"};
    for (uint32_t i : integs) header.push_back(kindPrefix(d.integrations()[i].kind) + std::string(d.s(d.integrations()[i].name)));
    std::string out;
    appendCsvRow(out, std::vector<std::string_view>(header.begin(), header.end()));

    // Each person's deepest unit.
    const std::vector<OrgUnitRow> tree = orgUnitTree(d);
    std::vector<uint32_t> team(d.slotCount(), kNone), depth(d.slotCount(), 0);
    std::vector<uint8_t> mask;
    for (const OrgUnitRow& row : tree) {
        if (!orgUnitMemberMask(d, row.unit, mask)) continue;
        for (uint32_t slot = 0; slot < d.slotCount(); ++slot)
            if (mask[slot] && (team[slot] == kNone || row.depth > depth[slot])) team[slot] = row.unit, depth[slot] = row.depth;
    }

    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        std::vector<std::string> row = {formatUserId(d.userId(slot)), std::string(d.userName(slot)), std::string(d.userEmail(slot)),
                                        team[slot] == kNone ? std::string() : formatOrgUnitId(d.orgUnits()[team[slot]].id)};
        for (uint32_t f : fields) row.emplace_back(f == kNone ? std::string_view() : trim(d.attrValue(f, slot)));
        row.emplace_back(fields[TerminatedAt] != kNone && !trim(d.attrValue(fields[TerminatedAt], slot)).empty() ? "true" : "false");
        uint32_t n = 0;
        const uint32_t* ids = d.identitiesOf(slot, n);
        for (uint32_t integ : integs) {
            std::string account;
            for (uint32_t k = 0; k < n && account.empty(); ++k) {
                const Identity& id = d.identities()[ids[k]];
                if (id.integ == integ) account = std::string(trim(d.s(id.account)));
            }
            row.push_back(std::move(account));
        }
        appendCsvRow(out, std::vector<std::string_view>(row.begin(), row.end()));
    }
    return out;
}

std::string writeFarosTeams(const Directory& d) {
    std::string out;
    appendCsvRow(out, {"teamId", "teamName", "parentTeamId", "teamLeadId"});
    for (const OrgUnitRow& row : orgUnitTree(d)) {
        const OrgUnit& u = d.orgUnits()[row.unit];
        const std::string id = formatOrgUnitId(u.id);
        const std::string parent = u.parent == kNone ? std::string() : formatOrgUnitId(d.orgUnits()[u.parent].id);
        appendCsvRow(out, {id, d.s(u.name), parent, ""});
    }
    return out;
}

std::vector<ExportFinding> checkFaros(const Directory& d) {
    std::vector<ExportFinding> out;
    uint32_t fields[FieldCount];
    std::vector<std::string> leftOut;
    mapAttributes(d, fields, &leftOut);
    if (!leftOut.empty()) {
        std::string names;
        for (const std::string& k : leftOut) names += (names.empty() ? "" : ", ") + k;
        out.push_back({"FIELDS_LEFT_OUT", "Attributes without a Faros field are left out: " + names, {}});
    }
    // A second account in one integration has no column.
    const std::vector<uint32_t> integs = farosIntegrations(d);
    ExportFinding extra{"ACCOUNTS_LEFT_OUT", "", {}};
    uint32_t count = 0;
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        uint32_t n = 0;
        const uint32_t* ids = d.identitiesOf(slot, n);
        bool any = false;
        for (uint32_t integ : integs) {
            uint32_t seen = 0;
            for (uint32_t k = 0; k < n; ++k) {
                const Identity& id = d.identities()[ids[k]];
                if (id.integ == integ && !trim(d.s(id.account)).empty() && ++seen > 1) ++count, any = true;
            }
        }
        if (any) extra.slots.push_back(slot);
    }
    if (count) {
        extra.message = std::to_string(count) + " account(s) left out: Faros has one column per integration, which holds each person's first account";
        out.push_back(std::move(extra));
    }
    return out;
}

}  // namespace roster

// ---- import (issue 17 part 3)
namespace roster {

namespace {

enum class FarosFile { None, Employees, Teams };

FarosFile classifyFaros(const std::vector<std::string>& h) {
    auto is = [&](size_t i, const char* name) { return i < h.size() && equalsFolded(h[i], name); };
    if (is(0, "employeeId") && is(1, "fullName") && is(2, "email") && is(3, "teamId")) return FarosFile::Employees;
    if (h.size() >= 3 && is(0, "teamId") && is(1, "teamName") && is(2, "parentTeamId")) return FarosFile::Teams;
    return FarosFile::None;
}

// An account column's integration ("vcsId_GitHub" -> "GitHub"), or "".
std::string farosAccountColumn(std::string_view header) {
    for (const char* p : {"vcsId_", "tmsId_", "imsId_", "cicdId_"}) {
        const size_t n = std::char_traits<char>::length(p);
        if (header.size() > n && equalsFolded(header.substr(0, n), p)) return std::string(trim(header.substr(n)));
    }
    return "";
}

}  // namespace

// Faros' employees file (and its teams file): people with their title, location, dates, team (the
// deepest: its ancestors are added) and one account per integration column.
bool readFarosImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out) {
    std::vector<FarosFile> kinds;
    std::vector<std::vector<std::string>> headers;
    for (const ImportFile& f : files) {
        headers.push_back(foreignCsvHeader(f.data));
        kinds.push_back(classifyFaros(headers.back()));
        if (kinds.back() == FarosFile::None) return false;
    }
    if (files.empty()) return false;
    out = ForeignTable();
    out.format = "faros";
    out.label = "Faros org import files";
    for (const ImportFile& f : files) out.files.push_back(f.name);

    std::vector<CsvTable> tables(files.size());
    std::vector<uint8_t> read(files.size(), 0);
    TeamTree tree;
    bool haveTeams = false;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        if (!readForeignCsv(files[fi].data, tables[fi], out, fi)) continue;
        read[fi] = 1;
        if (kinds[fi] != FarosFile::Teams) continue;
        haveTeams = true;
        const CsvTable& t = tables[fi];
        for (size_t r = 1; r < t.rows(); ++r)
            tree.add(std::string(trim(t.cell(r, 0))), std::string(trim(t.cell(r, 1))), std::string(trim(t.cell(r, 2))), 0, out, fi, t.rowLine[r]);
    }
    if (haveTeams) {
        tree.build(out);
        tree.addUnits(out, "teams");
    }

    // The attribute each Faros field goes to: the directory's attribute the writer would read it
    // from, else title, location, start_date, end_date.
    uint32_t fields[FieldCount];
    mapAttributes(d, fields, nullptr);
    static const char* const defaults[FieldCount] = {"title", "location", "start_date", "end_date"};
    std::string fieldKey[FieldCount];
    for (int f = 0; f < FieldCount; ++f) fieldKey[f] = fields[f] == kNone ? defaults[f] : std::string(d.s(d.attrDefs()[fields[f]].key));

    const size_t cEmail = out.column("email"), cName = out.column("name");
    size_t cTeams = size_t(-1);
    // Employees by id, for managerId.
    std::unordered_map<std::string, std::string> emailOf;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        if (!read[fi] || kinds[fi] != FarosFile::Employees) continue;
        const CsvTable& t = tables[fi];
        for (size_t r = 1; r < t.rows(); ++r) {
            const std::string_view id = trim(t.cell(r, 0)), email = trim(t.cell(r, 2));
            if (!id.empty() && !email.empty()) emailOf.emplace(std::string(id), std::string(email));
        }
    }
    std::unordered_map<std::string, uint8_t> unknownTeam;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        if (!read[fi] || kinds[fi] != FarosFile::Employees) continue;
        const CsvTable& t = tables[fi];
        const std::vector<std::string>& h = headers[fi];
        // Each column's place in the table (size_t(-1): not read).
        std::vector<size_t> to(h.size(), size_t(-1));
        int teamCol = 3, managerCol = -1;
        bool anyTeam = false;
        for (size_t r = 1; r < t.rows() && !anyTeam; ++r) anyTeam = !trim(t.cell(r, 3)).empty();
        if (anyTeam) cTeams = out.column("attribute:teams");
        for (size_t c = 4; c < h.size(); ++c) {
            const std::string& name = h[c];
            const int field = equalsFolded(name, "title") ? Title : equalsFolded(name, "location") ? Location
                            : equalsFolded(name, "joinedAt") ? JoinedAt : equalsFolded(name, "terminatedAt") ? TerminatedAt : -1;
            if (field >= 0) to[c] = out.column("attribute:" + fieldKey[field]);
            else if (equalsFolded(name, "inactive") || name.empty()) continue;   // (inactive: written from terminatedAt)
            else if (equalsFolded(name, "managerId")) managerCol = int(c), to[c] = out.column("attribute:manager_email");
            else if (std::string integ = farosAccountColumn(name); !integ.empty()) to[c] = out.column("integration:" + integrationForTool(d, integ));
            else if (validColumnTarget("attribute:" + name)) to[c] = out.column("attribute:" + name);
            else out.warning("COLUMN_LEFT_OUT", "The column \"" + clipText(name) + "\" is left out", fi, t.rowLine.empty() ? 1 : t.rowLine[0]);
        }
        for (size_t r = 1; r < t.rows(); ++r) {
            const uint32_t line = t.rowLine[r];
            auto& row = out.addRow(fi, line);
            const std::string_view id = trim(t.cell(r, 0)), email = trim(t.cell(r, 2));
            row[cName] = std::string(trim(t.cell(r, 1)));
            if (email.empty()) {
                // Without an email the row is its accounts, unassigned (named by fullName).
                bool any = false;
                for (size_t c = 4; c < h.size(); ++c) {
                    if (to[c] == size_t(-1) || out.targets[to[c]].rfind("integration:", 0) != 0) continue;
                    const std::string_view acc = trim(t.cell(r, c));
                    if (!acc.empty()) row[to[c]] = std::string(acc), any = true;
                }
                out.warning("NO_EMAIL", "Line " + std::to_string(line) + ": the employee \"" + clipText(id) + "\" has no email: " +
                                            (any ? "their accounts are kept unassigned" : "left out"), fi, line);
                continue;
            }
            row[cEmail] = std::string(email);
            const std::string team(trim(t.cell(r, size_t(teamCol))));
            if (!team.empty()) {
                if (!haveTeams) row[cTeams] = team;
                else if (const uint32_t ti = tree.find(team); ti != kNone) row[cTeams] = tree.itemsOf({ti});
                else if (unknownTeam.emplace(team, 1).second)
                    out.warning("TEAM_NOT_FOUND", "Line " + std::to_string(line) + " names the team \"" + clipText(team) +
                                                      "\", which is not in the teams file: left out", fi, line);
            }
            for (size_t c = 4; c < h.size(); ++c) {
                if (to[c] == size_t(-1)) continue;
                const std::string_view v = trim(t.cell(r, c));
                if (v.empty()) continue;
                if (int(c) == managerCol) {
                    auto it = emailOf.find(std::string(v));
                    if (it != emailOf.end()) row[to[c]] = it->second;
                    else out.warning("MANAGER_NOT_FOUND", "Line " + std::to_string(line) + ": the manager \"" + clipText(v) +
                                                              "\" is not an employee of the file (with an email): left out", fi, line);
                    continue;
                }
                row[to[c]] = std::string(v);
            }
        }
    }
    return true;
}

}  // namespace roster
