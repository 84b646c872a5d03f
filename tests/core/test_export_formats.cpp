// The export formats of issue 17 part 2 (src/core/devlake.h, faros.h, sortinghat.h): exact files for
// a small directory with a three-level org-unit tree, CSV quoting, unicode names, and the headers
// compared to the corpus's own files (../shared/corpus, ROSTER_CORPUS; skipped with a WARN when absent).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <fstream>
#include <sstream>

#include "devlake.h"
#include "sortinghat.h"
#include "exporter.h"
#include "session.h"
#include "session_test_util.h"

using namespace roster;
using test::ok;

namespace {

std::string corpusDir() {
    if (const char* env = std::getenv("ROSTER_CORPUS"); env && *env) return env;
#ifdef ROSTER_SOURCE_DIR
    return ROSTER_SOURCE_DIR "/../shared/corpus";
#else
    return "";
#endif
}

// The first line of a corpus file (without its line end); false when the file is absent.
bool corpusHeader(const std::string& rel, std::string& header) {
    const std::string dir = corpusDir();
    std::ifstream in(dir + "/" + rel, std::ios::binary);
    if (dir.empty() || !in) return false;
    std::getline(in, header);
    if (!header.empty() && header.back() == '\r') header.pop_back();
    return true;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find("\r\n")); }

// Three people, four integrations, a three-level tree: Company > Engineering > Core, and Sales at the top.
struct Fixture {
    Session s;
    std::string ada, john, zoe;
    Fixture() {
        ok(s, {{"op", "addAttribute"}, {"key", "dept"}, {"type", "text"}});
        ok(s, {{"op", "addAttribute"}, {"key", "teams"}, {"type", "text"}});
        ok(s, {{"op", "addAttribute"}, {"key", "title"}, {"type", "text"}});
        ok(s, {{"op", "addAttribute"}, {"key", "shoe size"}, {"type", "text"}});
        ok(s, {{"op", "addIntegration"}, {"name", "GitHub"}, {"kind", "scm"}});
        ok(s, {{"op", "addIntegration"}, {"name", "Jira"}, {"kind", "issues"}});
        ok(s, {{"op", "addIntegration"}, {"name", "PagerDuty"}, {"kind", "incidents"}});
        ok(s, {{"op", "addIntegration"}, {"name", "Slack"}, {"kind", "other"}});
        ada = ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}})["id"];
        john = ok(s, {{"op", "addUser"}, {"name", "Smith, John \"JJ\""}, {"email", "john@x.org"}})["id"];
        zoe = ok(s, {{"op", "addUser"}, {"name", "Zoë Ünal"}, {"email", "zoe@x.org"}})["id"];
        auto set = [&](const std::string& id, const char* key, const char* value) {
            ok(s, {{"op", "setAttribute"}, {"ids", {id}}, {"key", key}, {"value", value}});
        };
        set(ada, "dept", "Eng");
        set(ada, "teams", "Core");
        set(ada, "title", "Engineer");
        set(ada, "shoe size", "38");
        set(john, "dept", "Eng");
        set(john, "teams", "Web");
        set(zoe, "dept", "Sales");
        ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "adalovelace"}});
        ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "Jira"}, {"accountId", "ada@jira.example"}});
        ok(s, {{"op", "addIdentity"}, {"id", john}, {"integration", "GitHub"}, {"accountId", "jsmith"}});
        ok(s, {{"op", "addIdentity"}, {"id", john}, {"integration", "PagerDuty"}, {"accountId", "PABC123"}});
        ok(s, {{"op", "addIdentity"}, {"id", zoe}, {"integration", "Slack"}, {"accountId", "U77"}});
        const json everyone = {{"all", json::array()}};
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Company"}, {"filter", everyone}});
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Engineering"}, {"filter", {{"attribute", "dept"}, {"op", "equals"}, {"value", "Eng"}}}, {"parent", "Company"}});
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Core"}, {"filter", {{"attribute", "teams"}, {"op", "hasItem"}, {"value", "Core"}}}, {"parent", "Engineering"}});
        ok(s, {{"op", "saveOrgUnit"}, {"name", "Sales, EMEA"}, {"filter", {{"attribute", "dept"}, {"op", "equals"}, {"value", "Sales"}}}});
    }
};

}  // namespace

TEST_CASE("DevLake export: users, teams and account mapping files, exactly", "[export][devlake]") {
    Fixture f;
    CHECK(f.ada == "u1");
    json r = f.s.exportFiles(json{{"format", "devlake"}}, "2026-12-03");
    REQUIRE(r["ok"] == true);
    REQUIRE(r["files"].size() == 3);
    CHECK(r["files"][0]["name"] == "users.csv");
    CHECK(r["files"][1]["name"] == "teams.csv");
    CHECK(r["files"][2]["name"] == "user_account_mapping.csv");
    CHECK(r["files"][0]["text"] ==
          "Id,Name,Email,TeamIds\r\n"
          "u1,Ada Lovelace,ada@x.org,o1;o2;o3\r\n"
          "u2,\"Smith, John \"\"JJ\"\"\",john@x.org,o1;o2\r\n"
          "u3,Zo\u00eb \u00dcnal,zoe@x.org,o1;o4\r\n");
    CHECK(r["files"][1]["text"] ==
          "Id,Name,Alias,ParentId,SortingIndex\r\n"
          "o1,Company,,,0\r\n"
          "o2,Engineering,,o1,1\r\n"
          "o3,Core,,o2,2\r\n"
          "o4,\"Sales, EMEA\",,,3\r\n");
    CHECK(r["files"][2]["text"] ==
          "Id,Email,FullName,UserName,AvatarUrl,Organization,CreatedDate,Status,UserId\r\n"
          "github:GithubAccount:1:adalovelace,,Ada Lovelace,adalovelace,,,,0,u1\r\n"
          "jira:JiraAccount:1:ada@jira.example,ada@jira.example,Ada Lovelace,ada@jira.example,,,,0,u1\r\n"
          "github:GithubAccount:1:jsmith,,\"Smith, John \"\"JJ\"\"\",jsmith,,,,0,u2\r\n"
          "pagerduty:User:1:PABC123,,\"Smith, John \"\"JJ\"\"\",PABC123,,,,0,u2\r\n"
          "slack:U77,,Zo\u00eb \u00dcnal,U77,,,,0,u3\r\n");
    CHECK(r["warnings"].empty());
}

TEST_CASE("DevLake export: headers as the corpus templates write them, ids as its account files", "[export][devlake]") {
    Fixture f;
    const std::string users = writeDevlakeUsers(f.s.dir), teams = writeDevlakeTeams(f.s.dir);
    CHECK(devlakeAccountId("GitHub", "1052632") == "github:GithubAccount:1:1052632");
    CHECK(devlakeAccountId("gitlab", "1533989") == "gitlab:GitlabAccount:1:1533989");
    CHECK(devlakeAccountId("Jira", "5e9711ba34f7b90c0fbc37d3") == "jira:JiraAccount:1:5e9711ba34f7b90c0fbc37d3");
    std::string header;
    if (!corpusHeader("devlake/template_users_derived.csv", header)) {
        WARN("The corpus is absent (" << corpusDir() << "): DevLake headers not compared");
        CHECK(firstLine(users) == "Id,Name,Email,TeamIds");
        return;
    }
    CHECK(firstLine(users) == header);
    REQUIRE(corpusHeader("devlake/template_teams_derived.csv", header));
    CHECK(firstLine(teams) == header);
    // The account files' ids: the same <plugin>:<Kind>:<connection>:<id> form.
    REQUIRE(corpusHeader("devlake/github_e2e_account.csv", header));
    std::ifstream in(corpusDir() + "/devlake/github_e2e_account.csv");
    std::string line;
    std::getline(in, line);
    std::getline(in, line);
    CHECK(line.rfind(devlakeAccountId("github", "1052632") + ",", 0) == 0);
}

TEST_CASE("Faros export: employees and teams files, attributes by name, the rest listed", "[export][faros]") {
    Fixture f;
    ok(f.s, {{"op", "addIdentity"}, {"id", f.ada}, {"integration", "GitHub"}, {"accountId", "ada-second"}});
    json r = f.s.exportFiles(json{{"format", "faros"}}, "2026-12-03");
    REQUIRE(r["ok"] == true);
    REQUIRE(r["files"].size() == 2);
    CHECK(r["files"][0]["name"] == "employees.csv");
    CHECK(r["files"][0]["text"] ==
          "employeeId,fullName,email,teamId,title,location,joinedAt,terminatedAt,inactive,vcsId_GitHub,tmsId_Jira,imsId_PagerDuty\r\n"
          "u1,Ada Lovelace,ada@x.org,o3,Engineer,,,,false,adalovelace,ada@jira.example,\r\n"
          "u2,\"Smith, John \"\"JJ\"\"\",john@x.org,o2,,,,,false,jsmith,,PABC123\r\n"
          "u3,Zo\u00eb \u00dcnal,zoe@x.org,o1,,,,,false,,,\r\n");
    CHECK(r["files"][1]["name"] == "teams.csv");
    CHECK(r["files"][1]["text"] ==
          "teamId,teamName,parentTeamId,teamLeadId\r\n"
          "o1,Company,,\r\n"
          "o2,Engineering,o1,\r\n"
          "o3,Core,o2,\r\n"
          "o4,\"Sales, EMEA\",,\r\n");
    REQUIRE(r["warnings"].size() == 2);
    CHECK(r["warnings"][0]["code"] == "FIELDS_LEFT_OUT");
    CHECK(r["warnings"][0]["message"] == "Attributes without a Faros field are left out: dept, teams, shoe_size");
    CHECK(r["warnings"][1]["code"] == "ACCOUNTS_LEFT_OUT");
    CHECK(r["warnings"][1]["userIds"] == json::array({"u1"}));
}

TEST_CASE("SortingHat export: the JSON parsed back, field by field", "[export][sortinghat]") {
    CHECK(sha1Hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha1Hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    Fixture f;
    const std::string old = ok(f.s, {{"op", "addUser"}, {"name", "Ada L"}, {"email", "ada.old@y.org"}})["id"];
    ok(f.s, {{"op", "mergeUsers"}, {"into", f.ada}, {"from", {old}}});   // ada.old@y.org becomes Ada's alias
    json r = f.s.exportFiles(json{{"format", "sortinghat"}}, "2026-12-03");
    REQUIRE(r["ok"] == true);
    REQUIRE(r["files"].size() == 1);
    CHECK(r["files"][0]["name"] == "sortinghat_2026-12-03.json");
    const json j = json::parse(r["files"][0]["text"].get<std::string>());
    CHECK(j["time"] == "2026-12-03 00:00:00");
    CHECK(j["source"].is_null());
    CHECK(j["blacklist"] == json::array());
    CHECK(j["organizations"] == json{{"Company", json::array()}, {"Engineering", json::array()}, {"Core", json::array()}, {"Sales, EMEA", json::array()}});
    REQUIRE(j["uidentities"].size() == 3);

    const std::string uuid = sha1Hex("roster:u1");
    REQUIRE(j["uidentities"].contains(uuid));
    const json& ada = j["uidentities"][uuid];
    CHECK(ada["uuid"] == uuid);
    CHECK(ada["profile"]["uuid"] == uuid);
    CHECK(ada["profile"]["name"] == "Ada Lovelace");
    CHECK(ada["profile"]["email"] == "ada@x.org");
    CHECK(ada["profile"]["is_bot"] == false);
    REQUIRE(ada["identities"].size() == 4);
    const json& own = ada["identities"][0];
    CHECK(own["source"] == "roster");
    CHECK(own["email"] == "ada@x.org");
    CHECK(own["name"] == "Ada Lovelace");
    CHECK(own["username"].is_null());
    CHECK(own["uuid"] == uuid);
    CHECK(own["id"] == sha1Hex("roster:ada@x.org:Ada Lovelace:None"));
    CHECK(ada["identities"][1]["email"] == "ada.old@y.org");
    CHECK(ada["identities"][1]["source"] == "roster");
    CHECK(ada["identities"][2]["source"] == "github");
    CHECK(ada["identities"][2]["username"] == "adalovelace");
    CHECK(ada["identities"][2]["email"].is_null());
    CHECK(ada["identities"][3]["source"] == "jira");
    CHECK(ada["identities"][3]["email"] == "ada@jira.example");
    CHECK(ada["identities"][3]["username"].is_null());
    REQUIRE(ada["enrollments"].size() == 3);
    const char* units[] = {"Company", "Engineering", "Core"};
    for (size_t i = 0; i < 3; ++i) {
        CHECK(ada["enrollments"][i]["organization"] == units[i]);
        CHECK(ada["enrollments"][i]["start"] == "1900-01-01T00:00:00");
        CHECK(ada["enrollments"][i]["end"] == "2100-01-01T00:00:00");
        CHECK(ada["enrollments"][i]["uuid"] == uuid);
    }
    const json& zoe = j["uidentities"][sha1Hex("roster:u3")];
    CHECK(zoe["profile"]["name"] == "Zo\u00eb \u00dcnal");
    CHECK(zoe["identities"][1]["source"] == "slack");
    CHECK(zoe["identities"][1]["username"] == "U77");
    CHECK(zoe["enrollments"].size() == 2);
    CHECK(zoe["enrollments"][1]["organization"] == "Sales, EMEA");
}

TEST_CASE("SortingHat export: a person whose accounts are all excluded is a bot", "[export][sortinghat]") {
    Session s;
    ok(s, {{"op", "addIntegration"}, {"name", "GitHub"}, {"kind", "scm"}});
    const std::string bot = ok(s, {{"op", "addUser"}, {"name", "CI Bot"}, {"email", "ci@x.org"}})["id"];
    ok(s, {{"op", "addIdentity"}, {"id", bot}, {"integration", "GitHub"}, {"accountId", "ci-bot"}});
    ok(s, {{"op", "setIdentityExcluded"}, {"integration", "GitHub"}, {"accountId", "ci-bot"}, {"excluded", true}});
    const std::string ann = ok(s, {{"op", "addUser"}, {"name", "Ann"}, {"email", "ann@x.org"}})["id"];
    ok(s, {{"op", "addIdentity"}, {"id", ann}, {"integration", "GitHub"}, {"accountId", "ann-bot"}});
    ok(s, {{"op", "setIdentityExcluded"}, {"integration", "GitHub"}, {"accountId", "ann-bot"}, {"excluded", true}});
    ok(s, {{"op", "addIdentity"}, {"id", ann}, {"integration", "GitHub"}, {"accountId", "ann"}});
    const json j = writeSortingHat(s.dir, "2026-12-03 00:00:00");
    CHECK(j["uidentities"][sha1Hex("roster:" + bot)]["profile"]["is_bot"] == true);
    CHECK(j["uidentities"][sha1Hex("roster:" + ann)]["profile"]["is_bot"] == false);
    CHECK(j["organizations"] == json::object());
}
