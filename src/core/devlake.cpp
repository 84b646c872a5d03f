#include "devlake.h"

#include "commands.h"
#include "csv.h"
#include "orgunits.h"
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
#include "foreign.h"
namespace roster {
bool readDevlakeImport(const Directory&, const std::vector<ImportFile>&, ForeignTable&) { return false; }   // (being written)
}  // namespace roster
