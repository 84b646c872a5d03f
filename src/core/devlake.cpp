#include "devlake.h"

#include <cstdlib>
#include <unordered_map>

#include "commands.h"
#include "csv.h"
#include "foreign.h"
#include "foreign_util.h"
#include "orgunits.h"
#include "suggest.h"
#include "text.h"

namespace roster {

namespace {

std::string unitId(const Directory& d, uint32_t u) { return formatOrgUnitId(d.orgUnits()[u].id); }

}  // namespace

std::string devlakeAccountId(std::string_view integration, std::string_view account) {
    struct Plugin { const char* name; const char* prefix; };
    static const Plugin plugins[] = {
        {"github", "github:GithubAccount:1:"},       {"gitlab", "gitlab:GitlabAccount:1:"},
        {"jira", "jira:JiraAccount:1:"},             {"bitbucket", "bitbucket:BitbucketAccount:1:"},
        {"gitee", "gitee:GiteeAccount:1:"},          {"azuredevops", "azuredevops:AzuredevopsUser:1:"},
        {"pagerduty", "pagerduty:User:1:"},          {"opsgenie", "opsgenie:User:1:"},
        {"tapd", "tapd:TapdAccount:1:"},             {"zentao", "zentao:ZentaoAccount:1:"},
    };
    std::string folded = toLowerAscii(trim(integration));
    std::string key;
    for (char c : folded)
        if (c != ' ' && c != '-' && c != '_') key += c;
    for (const Plugin& p : plugins)
        if (key == p.name) return p.prefix + std::string(account);
    return folded + ":" + std::string(account);
}

std::string writeDevlakeUsers(const Directory& d) {
    const std::vector<OrgUnitRow> tree = orgUnitTree(d);
    std::vector<std::vector<uint8_t>> masks(tree.size());
    for (size_t i = 0; i < tree.size(); ++i) orgUnitMemberMask(d, tree[i].unit, masks[i]);
    std::string out;
    appendCsvRow(out, {"Id", "Name", "Email", "TeamIds"});
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        std::string teams;
        for (size_t i = 0; i < tree.size(); ++i)
            if (masks[i][slot]) teams += (teams.empty() ? "" : ";") + unitId(d, tree[i].unit);
        const std::string id = formatUserId(d.userId(slot));
        appendCsvRow(out, {id, d.userName(slot), d.userEmail(slot), teams});
    }
    return out;
}

std::string writeDevlakeTeams(const Directory& d) {
    std::string out;
    appendCsvRow(out, {"Id", "Name", "Alias", "ParentId", "SortingIndex"});
    const std::vector<OrgUnitRow> tree = orgUnitTree(d);
    for (size_t i = 0; i < tree.size(); ++i) {
        const OrgUnit& u = d.orgUnits()[tree[i].unit];
        const std::string id = unitId(d, tree[i].unit);
        const std::string parent = u.parent == kNone ? std::string() : unitId(d, u.parent);
        const std::string index = std::to_string(i);
        appendCsvRow(out, {id, d.s(u.name), "", parent, index});
    }
    return out;
}

std::string writeDevlakeAccounts(const Directory& d) {
    std::string out;
    appendCsvRow(out, {"Id", "Email", "FullName", "UserName", "AvatarUrl", "Organization", "CreatedDate", "Status", "UserId"});
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        const std::string userId = formatUserId(d.userId(slot));
        uint32_t n = 0;
        const uint32_t* ids = d.identitiesOf(slot, n);
        for (uint32_t k = 0; k < n; ++k) {
            const Identity& id = d.identities()[ids[k]];
            const std::string_view account = trim(d.s(id.account));
            if (account.empty()) continue;
            const std::string accountId = devlakeAccountId(d.s(d.integrations()[id.integ].name), account);
            const bool emailLike = account.find('@') != std::string_view::npos;
            std::string_view full = trim(d.s(id.display));
            if (full.empty()) full = d.userName(slot);
            appendCsvRow(out, {accountId, emailLike ? account : std::string_view(), full, account, "", "", "", "0", userId});
        }
    }
    return out;
}

}  // namespace roster

// ---- import (issue 17 part 3)
namespace roster {

namespace {

// The files of DevLake's org plugin, and the domain tables of its database (corpus org_e2e_raw_*),
// each recognised by its header.
enum class DlKind { None, Users, Teams, Accounts, Links, TeamUsers };

struct DlFile {
    DlKind kind = DlKind::None;
    // Columns (-1: absent).
    int id = -1, name = -1, email = -1, teamIds = -1, parentId = -1, sortingIndex = -1, fullName = -1, userName = -1, userId = -1,
        accountId = -1, teamId = -1;
};

bool sameHeader(const std::vector<std::string>& h, std::initializer_list<const char*> want) {
    if (h.size() != want.size()) return false;
    size_t i = 0;
    for (const char* w : want)
        if (h[i++] != w) return false;
    return true;
}

DlFile classifyDevlake(const std::vector<std::string>& h) {
    DlFile f;
    // The org plugin's own files: headers exactly as DevLake writes and reads them (case-sensitive).
    if (sameHeader(h, {"Id", "Name", "Email", "TeamIds"})) {
        f.kind = DlKind::Users, f.id = 0, f.name = 1, f.email = 2, f.teamIds = 3;
        return f;
    }
    if (sameHeader(h, {"Id", "Name", "Alias", "ParentId", "SortingIndex"})) {
        f.kind = DlKind::Teams, f.id = 0, f.name = 1, f.parentId = 3, f.sortingIndex = 4;
        return f;
    }
    if (sameHeader(h, {"Id", "Email", "FullName", "UserName", "AvatarUrl", "Organization", "CreatedDate", "Status", "UserId"})) {
        f.kind = DlKind::Accounts, f.id = 0, f.email = 1, f.fullName = 2, f.userName = 3, f.userId = 8;
        return f;
    }
    if (sameHeader(h, {"Id", "UserId"})) {
        f.kind = DlKind::Accounts, f.id = 0, f.userId = 1;
        return f;
    }
    // Domain tables (lower-case column names, DevLake's _raw_data_* bookkeeping columns).
    auto col = [&](const char* n) { return headerColumn(h, n); };
    bool raw = false;
    for (const std::string& c : h) raw = raw || c.rfind("_raw_data_", 0) == 0;
    auto others = [&](std::initializer_list<const char*> cols) {
        for (const std::string& c : h) {
            bool mine = c.rfind("_raw_data_", 0) == 0;
            for (const char* k : cols) mine = mine || c == k;
            if (!mine) return false;
        }
        return true;
    };
    if (col("account_id") >= 0 && col("user_id") >= 0 && others({"account_id", "user_id"})) {
        f.kind = DlKind::Links, f.accountId = col("account_id"), f.userId = col("user_id");
        return f;
    }
    if (col("team_id") >= 0 && col("user_id") >= 0 && others({"team_id", "user_id"})) {
        f.kind = DlKind::TeamUsers, f.teamId = col("team_id"), f.userId = col("user_id");
        return f;
    }
    if (!raw) return f;
    if (col("id") >= 0 && col("email") >= 0 && col("full_name") >= 0 && col("user_name") >= 0) {
        f.kind = DlKind::Accounts, f.id = col("id"), f.email = col("email"), f.fullName = col("full_name"), f.userName = col("user_name");
        return f;
    }
    if (col("id") >= 0 && col("name") >= 0 && col("parent_id") >= 0) {
        f.kind = DlKind::Teams, f.id = col("id"), f.name = col("name"), f.parentId = col("parent_id"), f.sortingIndex = col("sorting_index");
        return f;
    }
    if (col("id") >= 0 && col("email") >= 0 && col("name") >= 0) {
        f.kind = DlKind::Users, f.id = col("id"), f.email = col("email"), f.name = col("name");
        return f;
    }
    return f;
}

// A DevLake domain id "<plugin>:<Kind>:<connection>:<id>" (the id may hold ':' itself, as Jira's
// "557058:46121f43-..." do): the plugin and the id.
bool splitDomainId(std::string_view id, std::string_view& plugin, std::string_view& account) {
    const size_t a = id.find(':');
    if (a == std::string_view::npos || a == 0) return false;
    const size_t b = id.find(':', a + 1);
    if (b == std::string_view::npos || b == a + 1) return false;
    const size_t c = id.find(':', b + 1);
    if (c == std::string_view::npos || c == b + 1 || c + 1 >= id.size()) return false;
    const std::string_view kind = id.substr(a + 1, b - a - 1), conn = id.substr(b + 1, c - b - 1);
    for (char ch : kind)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    for (char ch : conn)
        if (ch < '0' || ch > '9') return false;
    plugin = id.substr(0, a);
    account = id.substr(c + 1);
    return true;
}

// The integration and account of a DevLake account id: the domain id's plugin; our writer's
// "<integration>:<account>" for integrations without a plugin; an id of neither form (the corpus's
// e2e "a1") is an account of the integration "DevLake".
void devlakeAccount(const Directory& d, std::string_view id, std::string& integ, std::string& account) {
    std::string_view plugin, acc;
    if (splitDomainId(id, plugin, acc)) {
        integ = integrationForTool(d, plugin);
        account = std::string(acc);
        return;
    }
    const size_t a = id.find(':');
    if (a != std::string_view::npos && a > 0 && a + 1 < id.size()) {
        integ = integrationForTool(d, id.substr(0, a));
        account = std::string(id.substr(a + 1));
        return;
    }
    integ = "DevLake";
    account = std::string(id);
}

struct DlUser { std::string id, name, email; std::vector<std::string> teams; uint32_t file, line; };
struct DlAccount { std::string id, email, fullName, userName, userId; uint32_t file, line; };

}  // namespace

bool readDevlakeImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out) {
    // Claimed when every file is one of DevLake's, and people, teams or accounts are among them.
    std::vector<DlFile> kinds;
    bool substance = false;
    for (const ImportFile& f : files) {
        kinds.push_back(classifyDevlake(foreignCsvHeader(f.data)));
        const DlKind k = kinds.back().kind;
        if (k == DlKind::None) return false;
        substance = substance || k == DlKind::Users || k == DlKind::Teams || k == DlKind::Accounts;
    }
    if (!substance) return false;
    out = ForeignTable();
    out.format = "devlake";
    out.label = "DevLake org files";
    for (const ImportFile& f : files) out.files.push_back(f.name);

    std::vector<DlUser> users;
    std::vector<DlAccount> accounts;
    std::unordered_map<std::string, std::string> links;                   // account id -> user id (the first)
    std::unordered_map<std::string, std::vector<std::string>> teamUsers;   // user id -> team ids
    TeamTree tree;
    bool haveTeams = false, haveUsers = false;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        CsvTable t;
        if (!readForeignCsv(files[fi].data, t, out, fi)) continue;
        DlFile k = kinds[fi];
        auto cell = [&](size_t r, int c) { return c < 0 ? std::string() : std::string(trim(t.cell(r, size_t(c)))); };
        // A domain users table whose ids are accounts' (an integration's own users, as opsgenie_e2e_users)
        // is read as accounts.
        if (k.kind == DlKind::Users && k.teamIds < 0 && t.rows() > 1) {
            bool allAccounts = true;
            std::string_view p, a;
            for (size_t r = 1; r < t.rows() && allAccounts; ++r) allAccounts = splitDomainId(trim(t.cell(r, size_t(k.id))), p, a);
            if (allAccounts) k.kind = DlKind::Accounts, k.fullName = k.name, k.name = -1;
        }
        for (size_t r = 1; r < t.rows(); ++r) {
            const uint32_t line = t.rowLine[r];
            switch (k.kind) {
                case DlKind::Users: {
                    haveUsers = true;
                    DlUser u{cell(r, k.id), cell(r, k.name), cell(r, k.email), {}, fi, line};
                    if (k.teamIds >= 0) {
                        const std::string ids = cell(r, k.teamIds);
                        size_t p = 0;
                        while (p <= ids.size()) {
                            size_t q = ids.find(';', p);
                            if (q == std::string::npos) q = ids.size();
                            const std::string_view one = trim(std::string_view(ids).substr(p, q - p));
                            if (!one.empty()) u.teams.emplace_back(one);
                            p = q + 1;
                        }
                    }
                    users.push_back(std::move(u));
                    break;
                }
                case DlKind::Teams: {
                    haveTeams = true;
                    const std::string sort = cell(r, k.sortingIndex);
                    char* end = nullptr;
                    double key = sort.empty() ? 0 : std::strtod(sort.c_str(), &end);
                    if (!sort.empty() && (end == sort.c_str() || *end)) key = 0;
                    tree.add(cell(r, k.id), cell(r, k.name), cell(r, k.parentId), key, out, fi, line);
                    break;
                }
                case DlKind::Accounts:
                    accounts.push_back(DlAccount{cell(r, k.id), cell(r, k.email), cell(r, k.fullName), cell(r, k.userName), cell(r, k.userId), fi, line});
                    break;
                case DlKind::Links: {
                    const std::string acc = cell(r, k.accountId), user = cell(r, k.userId);
                    if (!acc.empty() && !user.empty()) links.emplace(acc, user);
                    break;
                }
                case DlKind::TeamUsers: {
                    const std::string team = cell(r, k.teamId), user = cell(r, k.userId);
                    if (!team.empty() && !user.empty()) teamUsers[user].push_back(team);
                    break;
                }
                case DlKind::None: break;
            }
        }
    }
    if (haveTeams) {
        tree.build(out);
        tree.addUnits(out, "teams");
    }

    const size_t cEmail = out.column("email"), cName = out.column("name");
    bool anyTeams = !teamUsers.empty();
    for (const DlUser& u : users) anyTeams = anyTeams || !u.teams.empty();
    const size_t cTeams = anyTeams ? out.column("attribute:teams") : size_t(-1);

    // ---- people
    std::unordered_map<std::string, uint32_t> byId, byEmail, byName;   // -> index into users
    std::unordered_map<std::string, uint8_t> unknownTeam;
    for (uint32_t i = 0; i < users.size(); ++i) {
        DlUser& u = users[i];
        if (!u.id.empty() && !byId.emplace(u.id, i).second)
            out.warning("DUPLICATE_USER_ID", "Line " + std::to_string(u.line) + " repeats the user id \"" + clipText(u.id) +
                                                  "\": accounts linked to it go to the first user of that id", u.file, u.line);
        if (auto it = teamUsers.find(u.id); it != teamUsers.end()) u.teams.insert(u.teams.end(), it->second.begin(), it->second.end());
        if (u.email.empty()) {
            out.warning("NO_EMAIL", "Line " + std::to_string(u.line) + ": the user \"" + clipText(u.id) + "\"" +
                                        (u.name.empty() ? std::string() : " (" + clipText(u.name, 60) + ")") +
                                        " has no email: left out, and accounts linked to them are kept unassigned",
                        u.file, u.line);
            continue;
        }
        byEmail.emplace(toLowerAscii(u.email), i);
        if (!u.name.empty()) byName.emplace(u.name, i);
        auto& row = out.addRow(u.file, u.line);
        row[cEmail] = u.email;
        row[cName] = u.name;
        if (!anyTeams || u.teams.empty()) continue;
        if (!haveTeams) {   // users.csv alone: the team ids as they are
            std::string v;
            for (const std::string& x : u.teams) v += (v.empty() ? "" : ";") + x;
            row[cTeams] = v;
            continue;
        }
        std::vector<uint32_t> ts;
        for (const std::string& x : u.teams) {
            const uint32_t ti = tree.find(x);
            if (ti != kNone) ts.push_back(ti);
            else if (unknownTeam.emplace(x, 1).second)
                out.warning("TEAM_NOT_FOUND", "Line " + std::to_string(u.line) + " names the team id \"" + clipText(x) +
                                                  "\", which is not a team of the teams file: left out", u.file, u.line);
        }
        row[cTeams] = tree.itemsOf(ts);
    }

    // ---- accounts: linked (UserId, or the links table) -> the user's row; else DevLake's own matching:
    // the same email (Roster collates emails: the row carries it), else the full name, else the user
    // name equal to a user's name -> a suggestion (never a link).
    std::unordered_map<std::string, size_t> integCol;
    for (const DlAccount& a : accounts) {
        if (a.id.empty()) {
            out.warning("MISSING_ACCOUNT_ID", "Line " + std::to_string(a.line) + " has no account id: left out", a.file, a.line);
            continue;
        }
        std::string integ, account;
        devlakeAccount(d, a.id, integ, account);
        size_t col;
        if (auto it = integCol.find(toLowerAscii(integ)); it != integCol.end()) col = it->second;
        else col = integCol[toLowerAscii(integ)] = out.column("integration:" + integ);
        std::string owner;
        std::string linked = a.userId;
        if (linked.empty())
            if (auto it = links.find(a.id); it != links.end()) linked = it->second;
        if (!linked.empty()) {
            auto it = byId.find(linked);
            if (it == byId.end())
                out.warning("USER_NOT_FOUND", "Line " + std::to_string(a.line) + ": the account \"" + clipText(a.id) + "\" is linked to the user \"" +
                                                  clipText(linked) + "\", who is not in " + (haveUsers ? "the users file" : "the files (no users file was given)") +
                                                  ": it is kept unassigned", a.file, a.line);
            else if (users[it->second].email.empty())
                out.warning("USER_WITHOUT_EMAIL", "Line " + std::to_string(a.line) + ": the account \"" + clipText(a.id) + "\" is linked to the user \"" +
                                                      clipText(linked) + "\", who has no email: it is kept unassigned", a.file, a.line);
            else owner = users[it->second].email;
        } else if (!a.email.empty()) {
            if (auto it = byEmail.find(toLowerAscii(a.email)); it != byEmail.end()) owner = users[it->second].email;
            else if (const uint32_t slot = d.findEmail(a.email); slot != kNone && d.userAlive(slot))
                owner = std::string(d.userEmail(slot));   // a person the directory has (by their email or an alias)
        }
        auto& row = out.addRow(a.file, a.line);
        row[col] = account;
        if (!owner.empty()) {
            row[cEmail] = owner;
            continue;
        }
        row[cName] = a.fullName.empty() ? a.userName : a.fullName;
        if (!linked.empty()) continue;   // DevLake keeps a linked account's link; it is matched by nothing else
        const DlUser* match = nullptr;
        const char* why = nullptr;
        if (!a.fullName.empty())
            if (auto it = byName.find(a.fullName); it != byName.end()) match = &users[it->second], why = "DevLake: the account's full name is the person's name";
        if (!match && !a.userName.empty())
            if (auto it = byName.find(a.userName); it != byName.end()) match = &users[it->second], why = "DevLake: the account's user name is the person's name";
        if (match) out.extras.hints.push_back(assignHint(integ, account, match->email, why));
    }
    return true;
}

}  // namespace roster
