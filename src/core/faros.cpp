#include "faros.h"

#include "commands.h"
#include "csv.h"
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
#include "foreign.h"
namespace roster {
bool readFarosImport(const Directory&, const std::vector<ImportFile>&, ForeignTable&) { return false; }   // (being written)
}  // namespace roster
