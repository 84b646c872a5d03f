// What the readers of other tools' files share (foreign_util.h).
#include "foreign_util.h"

#include <algorithm>
#include <unordered_set>

#include "text.h"

namespace roster {

std::vector<std::string> foreignCsvHeader(std::string_view data) {
    std::vector<std::string> out;
    const size_t nl = data.substr(0, 64 * 1024).find('\n');
    if (nl == std::string_view::npos && data.size() > 64 * 1024) return out;
    std::string_view line = nl == std::string_view::npos ? data : data.substr(0, nl + 1);
    CsvOptions o;
    o.delimiter = ',';
    CsvResult r = parseCsv(line, o);
    if (!r.ok || r.table.rows() == 0) return out;
    for (size_t c = 0; c < r.table.cols(0); ++c) out.emplace_back(trim(r.table.cell(0, c)));
    return out;
}

bool readForeignCsv(std::string_view data, CsvTable& out, ForeignTable& t, uint32_t file) {
    CsvOptions o;
    o.delimiter = ',';
    CsvResult r = parseCsv(data, o);
    if (!r.ok) {
        t.errors.push_back({r.error, file});
        return false;
    }
    for (const Diag& w : r.warnings) t.warnings.push_back({w, file});
    out = std::move(r.table);
    return true;
}

int headerColumn(const std::vector<std::string>& header, std::string_view name, bool folded) {
    for (size_t i = 0; i < header.size(); ++i)
        if (folded ? equalsFolded(header[i], name) : header[i] == name) return int(i);
    return -1;
}

namespace {

std::string squeezedName(std::string_view s) {
    std::string out;
    for (char c : toLowerAscii(trim(s)))
        if (c != ' ' && c != '-' && c != '_') out += c;
    return out;
}

}  // namespace

std::string integrationForTool(const Directory& d, std::string_view tool) {
    const std::string key = squeezedName(tool);
    if (key.empty()) return std::string(trim(tool));
    for (const Integration& i : d.integrations())
        if (i.alive && squeezedName(d.s(i.name)) == key) return std::string(d.s(i.name));
    // DevLake's plugins and SortingHat's usual sources, as the tools themselves spell them.
    static const std::pair<const char*, const char*> known[] = {
        {"github", "GitHub"},       {"gitlab", "GitLab"},         {"jira", "Jira"},         {"pagerduty", "PagerDuty"},
        {"bitbucket", "Bitbucket"}, {"gitee", "Gitee"},           {"azuredevops", "Azure DevOps"},
        {"opsgenie", "Opsgenie"},   {"tapd", "TAPD"},             {"zentao", "ZenTao"},     {"teambition", "Teambition"},
        {"jenkins", "Jenkins"},     {"circleci", "CircleCI"},     {"bamboo", "Bamboo"},     {"sonarqube", "SonarQube"},
        {"slack", "Slack"},         {"feishu", "Feishu"},         {"gerrit", "Gerrit"},     {"linear", "Linear"},
        {"trello", "Trello"},       {"confluence", "Confluence"}, {"git", "Git"},           {"googlegroups", "Google Groups"},
        {"mbox", "mbox"},           {"discourse", "Discourse"},   {"mattermost", "Mattermost"},
        {"rocketchat", "Rocket.Chat"}, {"stackexchange", "Stack Exchange"}, {"telegram", "Telegram"},
        {"twitter", "Twitter"},     {"meetup", "Meetup"},         {"phabricator", "Phabricator"},
    };
    for (const auto& [k, name] : known)
        if (key == k) return name;
    return std::string(trim(tool));
}

std::string teamItemName(std::string_view name) {
    std::string s(trim(name));
    std::replace(s.begin(), s.end(), ';', ',');
    return s;
}

void TeamTree::add(std::string id, std::string name, std::string parentId, double sort, ForeignTable& t, uint32_t file, uint32_t line) {
    id = std::string(trim(id));
    if (byId_.count(id)) {
        t.warning("DUPLICATE_TEAM_ID", "Line " + std::to_string(line) + " repeats the team id \"" + clipText(id) + "\": the first team of that id is kept",
                  file, line);
        return;
    }
    byId_.emplace(id, uint32_t(teams_.size()));
    teams_.push_back(Team{std::move(id), std::move(name), std::string(trim(parentId)), sort, file, line});
}

uint32_t TeamTree::find(std::string_view id) const {
    auto it = byId_.find(std::string(trim(id)));
    return it == byId_.end() ? kNone : it->second;
}

void TeamTree::build(ForeignTable& t) {
    const uint32_t n = uint32_t(teams_.size());
    parent_.assign(n, kNone);
    for (uint32_t i = 0; i < n; ++i) {
        const Team& tm = teams_[i];
        if (tm.parentId.empty()) continue;
        const uint32_t p = find(tm.parentId);
        if (p == kNone || p == i) {
            t.warning("TEAM_PARENT_NOT_FOUND", "Line " + std::to_string(tm.line) + ": the team \"" + clipText(tm.name) + "\" names the parent \"" +
                                                   clipText(tm.parentId) + "\", which is not a team of the file: it is put at the top",
                      tm.file, tm.line);
            continue;
        }
        parent_[i] = p;
    }
    // Cycles: walking up from each team, a team met twice closes a loop, cut at the team that
    // closes it (it goes to the top).
    std::vector<uint8_t> state(n, 0);   // 0 unseen, 1 on the current walk, 2 done
    for (uint32_t i = 0; i < n; ++i) {
        std::vector<uint32_t> walk;
        uint32_t x = i;
        while (x != kNone && state[x] == 0) {
            state[x] = 1;
            walk.push_back(x);
            x = parent_[x];
        }
        if (x != kNone && state[x] == 1) {
            const uint32_t cut = walk.back();
            t.warning("CIRCULAR_REFERENCE", "Line " + std::to_string(teams_[cut].line) + ": the team \"" + clipText(teams_[cut].name) +
                                                "\" is inside itself through its parents: it is put at the top",
                      teams_[cut].file, teams_[cut].line);
            parent_[cut] = kNone;
        }
        for (uint32_t w : walk) state[w] = 2;
    }
    // Parents first, siblings by their sort key, then file order.
    std::vector<std::vector<uint32_t>> children(n + 1);
    for (uint32_t i = 0; i < n; ++i) children[parent_[i] == kNone ? n : parent_[i]].push_back(i);
    for (auto& c : children)
        std::stable_sort(c.begin(), c.end(), [&](uint32_t a, uint32_t b) { return teams_[a].sort < teams_[b].sort; });
    order_.clear();
    std::vector<uint32_t> stack(children[n].rbegin(), children[n].rend());
    while (!stack.empty()) {
        const uint32_t x = stack.back();
        stack.pop_back();
        order_.push_back(x);
        stack.insert(stack.end(), children[x].rbegin(), children[x].rend());
    }
    rank_.assign(n, 0);
    for (uint32_t k = 0; k < order_.size(); ++k) rank_[order_[k]] = k;
    // Unit names, unique however they are cased (units are found by name, case-insensitively).
    unit_.assign(n, {});
    std::unordered_set<std::string> taken;
    for (uint32_t x : order_) {
        const Team& tm = teams_[x];
        std::string name = teamItemName(tm.name);
        if (name.empty()) name = "Team " + teamItemName(tm.id);
        const std::string wanted = name;
        if (taken.count(toLowerAscii(name)) && parent_[x] != kNone) name = wanted + " (" + unit_[parent_[x]] + ")";
        if (taken.count(toLowerAscii(name))) name = wanted + " (" + teamItemName(tm.id) + ")";
        for (int k = 2; taken.count(toLowerAscii(name)); ++k) name = wanted + " (" + teamItemName(tm.id) + " " + std::to_string(k) + ")";
        if (name != wanted)
            t.warning("DUPLICATE_TEAM", "Line " + std::to_string(tm.line) + ": another team is already named \"" + clipText(wanted) +
                                            "\": this one's org unit is named \"" + clipText(name) + "\"",
                      tm.file, tm.line);
        else if (tm.name.find(';') != std::string::npos)
            t.warning("TEAM_RENAMED", "Line " + std::to_string(tm.line) + ": the team \"" + clipText(std::string(trim(tm.name))) +
                                          "\" is named \"" + clipText(name) + "\" (';' separates the teams a person is in)",
                      tm.file, tm.line);
        taken.insert(toLowerAscii(name));
        unit_[x] = std::move(name);
    }
}

std::string TeamTree::itemsOf(const std::vector<uint32_t>& teams) const {
    std::vector<uint32_t> all;
    for (uint32_t x : teams)
        for (uint32_t y = x; y != kNone && y < teams_.size(); y = parent_[y]) all.push_back(y);
    std::sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) { return rank_[a] < rank_[b]; });
    all.erase(std::unique(all.begin(), all.end()), all.end());
    std::string out;
    for (uint32_t x : all) out += (out.empty() ? "" : ";") + unit_[x];
    return out;
}

void TeamTree::addUnits(ForeignTable& t, const std::string& attr) const {
    for (uint32_t x : order_)
        t.extras.units.push_back({unit_[x], parent_[x] == kNone ? std::string() : unit_[parent_[x]], attr, unit_[x]});
}

}  // namespace roster
