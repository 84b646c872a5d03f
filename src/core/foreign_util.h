#pragma once
// What the readers of DevLake's, Faros' and SortingHat's files (foreign.h) share: a file's header
// read cheaply, the whole CSV read with its errors into the table's findings, a tool's name for an
// integration mapped to Roster's spelling, and a team tree turned into org units and a `teams`
// attribute.
//
// Teams as Roster holds them: each team is an org unit filtering `teams` hasItem <unit name>, under
// its parent's unit; a person's `teams` value names every team they are in AND all those teams'
// ancestors (a unit's members are its filter within its parent's members, so a person in Core under
// Platform must hold both). A team name with ';' (the item separator of hasItem) is written with ','
// instead; two teams whose names fold to one get the parent's name, then the team id, added in
// parentheses (DUPLICATE_TEAM warning).
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv.h"
#include "foreign.h"
#include "model.h"

namespace roster {

// The first record of a CSV file (BOM stripped, ',' as the delimiter), its cells trimmed; empty
// when the file is empty or not text. Reads only the first line (a reader decides from it whether
// a file is its format before reading anything else).
std::vector<std::string> foreignCsvHeader(std::string_view data);
// The whole file (',' as the delimiter); false with the CSV's error added to `t` (file `file`).
bool readForeignCsv(std::string_view data, CsvTable& out, ForeignTable& t, uint32_t file);
// The column of `name` in a header (exact, or ASCII case-insensitive when `folded`), or -1.
int headerColumn(const std::vector<std::string>& header, std::string_view name, bool folded = false);

// Roster's name for a tool's name of an integration ("github", "GithubAccount"'s plugin, SortingHat's
// lower-cased source): the directory's integration of that name when it has one (case, spaces, '-'
// and '_' ignored), else the usual spelling of a known tool (GitHub, GitLab, Jira, PagerDuty...),
// else the name as given.
std::string integrationForTool(const Directory& d, std::string_view tool);

// A team name as an item of the `teams` attribute (and the unit's name): trimmed, ';' -> ','.
std::string teamItemName(std::string_view name);

class TeamTree {
public:
    // Adds a team (a repeated id: the first stays, DUPLICATE_TEAM_ID warning). `sort`: the order
    // among siblings (SortingIndex; the file order breaks ties).
    void add(std::string id, std::string name, std::string parentId, double sort, ForeignTable& t, uint32_t file, uint32_t line);
    // Links each team to its parent (an unknown parent: the top, TEAM_PARENT_NOT_FOUND; a cycle is
    // cut, CIRCULAR_REFERENCE), orders them parents first and names their units.
    void build(ForeignTable& t);
    size_t size() const { return teams_.size(); }
    uint32_t find(std::string_view id) const;   // kNone when absent
    const std::string& unitName(uint32_t team) const { return unit_[team]; }
    // The `teams` value of someone in these teams: their units' names and every ancestor's, each
    // once, parents first (tree order).
    std::string itemsOf(const std::vector<uint32_t>& teams) const;
    // Every team as an org unit of `t` (parents first): filter `attr` hasItem <unit name>.
    void addUnits(ForeignTable& t, const std::string& attr) const;

private:
    struct Team { std::string id, name, parentId; double sort; uint32_t file, line; };
    std::vector<Team> teams_;
    std::unordered_map<std::string, uint32_t> byId_;
    std::vector<uint32_t> parent_, order_, rank_;   // rank_: a team's position in order_
    std::vector<std::string> unit_;
};

}  // namespace roster
