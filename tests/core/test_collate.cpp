// Identity collation: normalisation, noreply parsing, bots, suggestions (scoring, blocking,
// rejection), merge/split/assign/move commands and their undo invariants, lint.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <random>
#include <sstream>

#include "collate.h"
#include "identities.h"
#include "commands.h"
#include "lint.h"
#include "normalize.h"
#include "session.h"
#include "store.h"
#include "suggest.h"
#include "text.h"

using namespace roster;

namespace {

std::string uid(Session& s, const std::string& name, const std::string& email) {
    auto r = s.command({{"op", "addUser"}, {"name", name}, {"email", email}});
    REQUIRE(r["ok"] == true);
    return r["id"].get<std::string>();
}

json cmd(Session& s, json c) { return s.command(c); }

void ok(const json& r) {
    INFO(r.dump());
    REQUIRE(r["ok"] == true);
}

std::string code(const json& r) { return r.contains("error") ? r["error"]["code"].get<std::string>() : std::string(); }

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

Session sampleSession() {
    Session s;
    std::string csv = readFile(std::string(ROSTER_SOURCE_DIR) + "/assets/sample/sei-users.csv");
    REQUIRE(!csv.empty());
    auto r = s.applyImport(csv, json{{"mode", "update"}});
    REQUIRE(r["applied"] == true);
    return s;
}

}  // namespace

TEST_CASE("dump sample suggestions", "[.collate-dump]") {
    Session s = sampleSession();
    auto sug = s.suggestions();
    for (auto& x : sug) {
        std::string names;
        for (auto& id : x["ids"]) {
            uint32_t n;
            parseUserId(id.get<std::string>(), n);
            uint32_t slot = s.dir.slotOfId(n);
            names += std::string(s.dir.userName(slot)) + " <" + std::string(s.dir.userEmail(slot)) + "> | ";
        }
        std::cout << x["kind"].get<std::string>() << " " << x["score"] << " " << names << (x.contains("identity") ? x["identity"].dump() : "") << "\n";
        for (auto& r : x["reasons"]) std::cout << "     - " << r.get<std::string>() << "\n";
    }
    std::cout << "total " << sug.size() << "\n";
    auto lint = s.lint();
    std::map<std::string, int> counts;
    for (auto& l : lint) {
        counts[l["code"]]++;
        if (l["code"] != "NO_SCM_ACCOUNT") std::cout << l["code"] << ": " << l["message"].get<std::string>() << "\n";
    }
    for (auto& [k, v] : counts) std::cout << k << " " << v << "\n";
}

// ------------------------------------------------------------------ normalisation

TEST_CASE("names fold case, accents, punctuation and word order", "[collate][normalize]") {
    CHECK(normalizeName("Álvarez, José") == normalizeName("jose alvarez"));
    CHECK(normalizeName("Álvarez, José") == "alvarez jose");
    CHECK(normalizeName("JOSÉ ÁLVAREZ") == "alvarez jose");
    CHECK(normalizeName("Lars Groß") == normalizeName("lars gross"));
    CHECK(normalizeName("Jörg Ørsted") == normalizeName("Jorg Orsted"));
    CHECK(normalizeName("Linh Nguyễn") == normalizeName("nguyen linh"));
    CHECK(normalizeName("Łukasz Wałęsa") == normalizeName("Lukasz Walesa"));
    CHECK(normalizeName("  Mary-Jane  O’Brien ") == normalizeName("o brien jane mary"));
    CHECK(normalizeName("Ｆｕｌｌｗｉｄｔｈ Name") == "fullwidth name");   // compatibility forms
    CHECK(normalizeName("Ada Lovelace") != normalizeName("Ada Byron"));
    CHECK(normalizeName("...") == "");
    CHECK(normalizeName("") == "");
    CHECK(nameHandle("Søren Schulz") == "sorenschulz");
    CHECK(foldText("ÉCOLE") == "ecole");
    // invalid UTF-8 never throws and still folds ASCII
    CHECK(normalizeName(std::string("Ada \xff\xfe Lovelace")).find("ada") != std::string::npos);
}

TEST_CASE("email parts and GitHub noreply addresses", "[collate][normalize]") {
    CHECK(emailLocal(" Ada.L+tag@Example.COM ") == "ada.l");
    CHECK(emailDomain("Ada@Example.COM") == "example.com");
    std::string login;
    CHECK(parseNoreply("12345+Octo-Cat@users.noreply.github.com", login));
    CHECK(login == "octo-cat");
    CHECK(parseNoreply("octocat@USERS.NOREPLY.GITHUB.COM", login));
    CHECK(login == "octocat");
    CHECK_FALSE(parseNoreply("abc+octocat@users.noreply.github.com", login));   // the id is a number
    CHECK_FALSE(parseNoreply("+octocat@users.noreply.github.com", login));
    CHECK_FALSE(parseNoreply("12345+@users.noreply.github.com", login));
    CHECK_FALSE(parseNoreply("octocat@noreply.github.com", login));
    CHECK_FALSE(parseNoreply("octocat@github.com", login));
    CHECK_FALSE(parseNoreply("@users.noreply.github.com", login));
}

TEST_CASE("bots and service accounts are recognised, people are not", "[collate][bots]") {
    for (const char* b : {"dependabot[bot]", "renovate[bot]", "github-actions[bot]", "jenkins-ci", "jenkins", "release-bot", "deploy_bot",
                          "bot-builder", "Dependabot", "snyk-bot", "snyk", "Snyk_Security", "acme-mergify-app", "codecov-io",
                          "greenkeeperio-bot", "ACME-DoNotReply", "do_not_reply-2", "pre-commit-ci-lite", "allcontributors",
                          "semantic-release-bot", "sonarcloud", "imgbot", "x-renovate", "my-github-actions"})
        CHECK(looksLikeBot(b));
    // ... and "snyk" only starting a word: a PagerDuty id that happens to contain it is a person's.
    for (const char* p : {"Sarah Jenkins", "sjenkins", "abbott", "robert", "Talbot Smith", "ada-lovelace", "Ci Wang", "botond", "PUSNYKD",
                          "P4SNYK9", "renee", "nora", "d", "["})
        CHECK_FALSE(looksLikeBot(p));
    CHECK(emailLooksLikeBot("noreply@acme.com"));
    CHECK(emailLooksLikeBot("no-reply@acme.com"));
    CHECK(emailLooksLikeBot("jenkins-ci@acme.com"));
    CHECK_FALSE(emailLooksLikeBot("sarah.jenkins@acme.com"));
    CHECK_FALSE(emailLooksLikeBot("12345+ada@users.noreply.github.com"));
    CHECK(emailLooksLikeBot("12345+dependabot[bot]@users.noreply.github.com"));
    // configurable patterns: substring, or a glob over the whole text
    CHECK(looksLikeBot("svc-payments", {"svc-*"}));
    CHECK(looksLikeBot("ACME-Automaton", {"automaton"}));
    CHECK_FALSE(looksLikeBot("payments-svc", {"svc-*"}));
    CHECK(globMatchFolded("*-ci?", "build-ci1"));
    CHECK_FALSE(globMatchFolded("a*b", "acbx"));
}

// ------------------------------------------------------------------ commands

TEST_CASE("integrations: add with a guessed or given kind, names compare case-insensitively", "[collate][commands]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "Tracker"}, {"kind", "issues"}}));
    CHECK(code(cmd(s, {{"op", "addIntegration"}, {"name", " github "}})) == "DUPLICATE_INTEGRATION");
    CHECK(code(cmd(s, {{"op", "addIntegration"}, {"name", "X"}, {"kind", "weird"}})) == "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "addIntegration"}, {"name", "  "}})) == "INVALID_ARGUMENT");
    auto snap = s.snapshot();
    REQUIRE(snap["integrations"].size() == 2);
    CHECK(snap["integrations"][0]["kind"] == "scm");
    CHECK(snap["integrations"][1]["kind"] == "issues");
    ok(cmd(s, {{"op", "updateIntegration"}, {"name", "tracker"}, {"kind", "incidents"}}));
    CHECK(s.snapshot()["integrations"][1]["kind"] == "incidents");
    CHECK(code(cmd(s, {{"op", "updateIntegration"}, {"name", "nope"}, {"kind", "ci"}})) == "NOT_FOUND");
    s.undo();
    CHECK(s.snapshot()["integrations"][1]["kind"] == "issues");
    s.undo();
    s.undo();
    CHECK(s.snapshot()["integrations"].empty());
}

TEST_CASE("addIdentity, assignIdentity, moveIdentity: one owner per account", "[collate][commands]") {
    Session s;
    std::string a = uid(s, "Ada", "ada@x.com"), b = uid(s, "Bob", "bob@x.com");
    CHECK(code(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada"}})) == "NOT_FOUND");
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "github"}, {"accountId", "ada"}}));
    auto r = cmd(s, {{"op", "addIdentity"}, {"id", b}, {"integration", "GITHUB"}, {"accountId", " ADA "}});
    CHECK(code(r) == "ACCOUNT_CONFLICT");
    CHECK(r["error"]["message"].get<std::string>().find("Ada") != std::string::npos);
    CHECK(code(cmd(s, {{"op", "assignIdentity"}, {"id", b}, {"integration", "GitHub"}, {"accountId", "ada"}})) == "ACCOUNT_ALREADY_ASSIGNED");
    CHECK(code(cmd(s, {{"op", "assignIdentity"}, {"id", b}, {"integration", "GitHub"}, {"accountId", "nobody"}})) == "NOT_FOUND");
    CHECK(code(cmd(s, {{"op", "assignIdentity"}, {"id", "u99"}, {"integration", "GitHub"}, {"accountId", "ada"}})) == "NOT_FOUND");
    CHECK(code(cmd(s, {{"op", "assignIdentity"}, {"id", b}, {"integration", "GitHub"}})) == "INVALID_ARGUMENT");
    ok(cmd(s, {{"op", "unassignIdentity"}, {"integration", "GitHub"}, {"accountId", "ada"}}));
    CHECK(s.snapshot()["unassigned"].size() == 1);
    ok(cmd(s, {{"op", "assignIdentity"}, {"id", b}, {"integration", "GitHub"}, {"accountId", "ada"}}));
    CHECK(s.snapshot()["users"][1]["identities"].size() == 1);
    ok(cmd(s, {{"op", "moveIdentity"}, {"integration", "GitHub"}, {"accountId", "ada"}, {"to", a}}));
    auto snap = s.snapshot();
    CHECK(snap["users"][0]["identities"].size() == 1);
    CHECK(snap["users"][1]["identities"].empty());
    CHECK(s.dir.liveIdentityCount() == 1);
    s.undo();   // move
    s.undo();   // assign
    CHECK(s.snapshot()["unassigned"].size() == 1);
    s.undo();   // unassign
    CHECK(s.snapshot()["users"][0]["identities"].size() == 1);
}

TEST_CASE("splitIdentity makes a new person named after the account, undo removes them", "[collate][commands]") {
    Session s;
    std::string a = uid(s, "Ada", "ada@x.com");
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "Jira"}}));
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "grace-h"}, {"name", "Grace Hopper"}}));
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "Jira"}, {"accountId", "j-77"}}));
    auto r = cmd(s, {{"op", "splitIdentity"}, {"id", a}, {"integration", "github"}, {"accountId", "GRACE-H"}});
    ok(r);
    std::string nid = r["id"];
    auto snap = s.snapshot();
    REQUIRE(snap["users"].size() == 2);
    CHECK(snap["users"][1]["id"] == nid);
    CHECK(snap["users"][1]["name"] == "Grace Hopper");
    CHECK(snap["users"][1]["email"] == "");
    CHECK(snap["users"][1]["identities"][0]["accountId"] == "grace-h");
    r = cmd(s, {{"op", "splitIdentity"}, {"id", a}, {"integration", "Jira"}, {"accountId", "j-77"}});
    ok(r);
    CHECK(s.snapshot()["users"][2]["name"] == "j-77");
    CHECK(code(cmd(s, {{"op", "splitIdentity"}, {"id", a}, {"integration", "Jira"}, {"accountId", "j-77"}})) == "NOT_FOUND");
    s.undo();
    s.undo();
    snap = s.snapshot();
    CHECK(snap["users"].size() == 1);
    CHECK(snap["users"][0]["identities"].size() == 2);
    s.redo();
    CHECK(s.snapshot()["users"][1]["id"] == nid);   // redo brings the same id back
}

TEST_CASE("mergeUsers moves accounts and aliases, keeps emails as aliases, and asks about conflicts", "[collate][commands][merge]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    std::string a = uid(s, "Ada Lovelace", "ada@x.com"), b = uid(s, "Ada L.", "ada.l@y.com"), c = uid(s, "", "al@z.com");
    std::string csv = "Full_Name,Email,Team,Location,Integration: GitHub\n"
                      "Ada Lovelace,ada@x.com,Platform,,ada-gh\n"
                      "Ada L.,ada.l@y.com,Search,London,ada-work\n"
                      ",al@z.com,platform,,\n";
    auto imp = s.applyImport(csv, json{{"mode", "update"}});
    REQUIRE(imp["applied"] == true);
    ok(cmd(s, {{"op", "updateUser"}, {"id", b}, {"email", "ada.l@y.com"}}));
    // A second alias on b: b's own previous email arrives as an alias through another merge
    std::string d2 = uid(s, "Ada Work", "ada.work@y.com");
    ok(cmd(s, {{"op", "mergeUsers"}, {"into", b}, {"from", {d2}}}));
    CHECK(s.snapshot()["users"][1]["aliases"] == json::array({"ada.work@y.com"}));
    const json before = s.snapshot();
    const uint32_t idents = s.dir.liveIdentityCount();

    auto r = cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", {b, c}}});
    CHECK(code(r) == "MERGE_CONFLICT");
    std::string msg = r["error"]["message"];
    CHECK(msg.find("team") != std::string::npos);
    CHECK(msg.find("Platform") != std::string::npos);
    CHECK(msg.find("Search") != std::string::npos);
    CHECK(msg.find("platform") != std::string::npos);   // text values differ by case: a real choice
    CHECK(msg.find("location") == std::string::npos);   // only one value: no conflict
    auto conflicts = mergeConflictsJson(s.dir, {{"op", "mergeUsers"}, {"into", a}, {"from", {b, c}}});
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts[0]["key"] == "team");
    CHECK(conflicts[0]["values"] == json::array({"Platform", "Search", "platform"}));
    CHECK(s.snapshot() == before);

    CHECK(code(cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", {a}}})) == "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", {"u999"}}})) == "NOT_FOUND");
    CHECK(code(cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", json::array()}})) == "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", {b}}, {"values", {{"nope", "x"}}}})) == "INVALID_ARGUMENT");

    ok(cmd(s, {{"op", "mergeUsers"}, {"into", a}, {"from", {b, c}}, {"values", {{"team", "Search"}}}}));
    auto snap = s.snapshot();
    REQUIRE(snap["users"].size() == 1);
    auto u = snap["users"][0];
    CHECK(u["id"] == a);
    CHECK(u["name"] == "Ada Lovelace");
    CHECK(u["email"] == "ada@x.com");
    CHECK(u["attributes"]["team"] == "Search");
    CHECK(u["attributes"]["location"] == "London");   // a missing value moves in
    std::set<std::string> aliases(u["aliases"].begin(), u["aliases"].end());
    CHECK(aliases == std::set<std::string>{"ada.l@y.com", "al@z.com", "ada.work@y.com"});
    CHECK(u["identities"].size() == 2);
    CHECK(s.dir.liveIdentityCount() == idents);
    // Every email still finds the merged person
    CHECK(s.dir.findEmail("AL@z.com") == s.dir.slotOfId(std::stoul(a.substr(1))));
    CHECK(s.dir.findEmail("ada.work@y.com") == s.dir.slotOfId(std::stoul(a.substr(1))));
    // An import row with an alias email belongs to the merged person
    auto again = s.previewImport(csv, json{{"mode", "update"}});
    CHECK(again["counts"]["added"] == 0);

    REQUIRE(s.undo());
    CHECK(s.snapshot() == before);   // ids, emails, aliases, accounts, attributes all back
    REQUIRE(s.redo());
    CHECK(s.snapshot() == snap);
}

TEST_CASE("merging into a person without an email gives them the first merged email", "[collate][commands][merge]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    std::string a = uid(s, "Ada", "ada@x.com");
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada-gh"}}));
    auto r = cmd(s, {{"op", "splitIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada-gh"}});
    ok(r);
    std::string split = r["id"];
    ok(cmd(s, {{"op", "mergeUsers"}, {"into", split}, {"from", {a}}}));
    auto u = s.snapshot()["users"][0];
    CHECK(u["id"] == split);
    CHECK(u["email"] == "ada@x.com");
    CHECK(u["aliases"].empty());
}

TEST_CASE("setIdentityExcluded and bot patterns are undoable edits", "[collate][commands][bots]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    std::string csv = "Full_Name,Email,Integration: GitHub\ndependabot[bot],,dependabot[bot]\nPayroll Runner,,payroll-runner\n";
    REQUIRE(s.applyImport(csv, json{{"mode", "update"}})["applied"] == true);
    auto bots = [&]() {
        int n = 0;
        for (auto& l : s.lint()) n += l["code"] == "LIKELY_BOT";
        return n;
    };
    CHECK(bots() == 1);
    ok(cmd(s, {{"op", "addBotPattern"}, {"pattern", "*-RUNNER"}}));
    CHECK(bots() == 2);
    ok(cmd(s, {{"op", "setIdentityExcluded"}, {"integration", "github"}, {"accountId", "dependabot[bot]"}, {"excluded", true}}));
    CHECK(bots() == 1);
    CHECK(code(cmd(s, {{"op", "setIdentityExcluded"}, {"integration", "github"}, {"accountId", "x"}, {"excluded", true}})) == "NOT_FOUND");
    CHECK(code(cmd(s, {{"op", "setIdentityExcluded"}, {"integration", "github"}, {"accountId", "x"}})) == "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "removeBotPattern"}, {"pattern", "nope"}})) == "NOT_FOUND");
    s.undo();
    CHECK(bots() == 2);
    s.undo();
    CHECK(bots() == 1);
    ok(cmd(s, {{"op", "addBotPattern"}, {"pattern", "*-runner"}}));
    ok(cmd(s, {{"op", "removeBotPattern"}, {"pattern", "*-RUNNER"}}));
    CHECK(bots() == 1);
}

// ------------------------------------------------------------------ suggestions

namespace {

json findSuggestion(const json& sug, const std::string& kind, std::set<std::string> ids) {
    for (auto& x : sug) {
        std::set<std::string> xs(x["ids"].begin(), x["ids"].end());
        if (x["kind"] == kind && xs == ids) return x;
    }
    return json();
}

bool anyReason(const json& x, const std::string& part) {
    for (auto& r : x["reasons"])
        if (r.get<std::string>().find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("suggestions: noreply login, same name, local part = account id, scored and explained", "[collate][suggest]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "PagerDuty"}}));
    std::string ada = uid(s, "Ada Lovelace", "ada@acme.com");
    ok(cmd(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "ada-gh"}}));
    std::string adaNoreply = uid(s, "A. King", "12345+Ada-GH@users.noreply.github.com");
    std::string jose1 = uid(s, "José Álvarez", "jose@acme.com");
    std::string jose2 = uid(s, "alvarez, jose", "jalvarez@acme.com");
    std::string bob = uid(s, "Bob Stone", "bstone@acme.com");
    std::string other = uid(s, "Carl Weiss", "carl@other.org");
    std::string csv = "Full_Name,Email,Integration: GitHub,Integration: PagerDuty\n"
                      "bstone,,bstone,\n"
                      "Carl Weiss,,,PXYZ\n"
                      "dependabot[bot],,dependabot[bot],\n"
                      "Stranger Danger,,strange,\n";
    REQUIRE(s.applyImport(csv, json{{"mode", "update"}})["applied"] == true);
    auto sug = s.suggestions();
    INFO(sug.dump(2));

    json m1 = findSuggestion(sug, "merge", {ada, adaNoreply});
    REQUIRE(m1.is_object());
    CHECK(m1["ids"][0] == ada);   // the record with a real email is kept
    CHECK(m1["score"].get<double>() >= 0.8);
    CHECK(anyReason(m1, "noreply"));
    CHECK(anyReason(m1, "ada-gh"));

    json m2 = findSuggestion(sug, "merge", {jose1, jose2});
    REQUIRE(m2.is_object());
    CHECK(anyReason(m2, "Same name"));
    CHECK(anyReason(m2, "same email domain"));
    CHECK(m2["score"].get<double>() < m1["score"].get<double>());

    json a1 = findSuggestion(sug, "assign", {bob});
    REQUIRE(a1.is_object());
    CHECK(a1["identity"]["accountId"] == "bstone");
    CHECK(anyReason(a1, "local part"));
    json a2 = findSuggestion(sug, "assign", {other});
    REQUIRE(a2.is_object());
    CHECK(a2["identity"]["integration"] == "PagerDuty");
    CHECK(anyReason(a2, "display name"));

    // best first; bots and strangers never suggested
    for (size_t i = 1; i < sug.size(); ++i) CHECK(sug[i - 1]["score"].get<double>() >= sug[i]["score"].get<double>());
    for (auto& x : sug) {
        if (x.contains("identity")) {
            CHECK(x["identity"]["accountId"] != "dependabot[bot]");
            CHECK(x["identity"]["accountId"] != "strange");
        }
        CHECK(x["score"].get<double>() > 0);
        CHECK(x["score"].get<double>() <= 1);
        CHECK(!x["reasons"].empty());
    }
    CHECK(sug.size() == 4);

    // Accepting is one command each
    ok(cmd(s, {{"op", "mergeUsers"}, {"into", ada}, {"from", {adaNoreply}}}));
    ok(cmd(s, {{"op", "assignIdentity"}, {"id", bob}, {"integration", "GitHub"}, {"accountId", "bstone"}}));
    auto after = s.suggestions();
    CHECK(after.size() == 2);
    CHECK(s.snapshot()["users"][0]["aliases"] == json::array({"12345+Ada-GH@users.noreply.github.com"}));
}

TEST_CASE("an excluded account is never suggested", "[collate][suggest][bots]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    std::string bob = uid(s, "Bob Stone", "bstone@acme.com");
    REQUIRE(s.applyImport("Full_Name,Email,Integration: GitHub\nBob Stone,,bstone\n", json{{"mode", "update"}})["applied"] == true);
    CHECK(s.suggestions().size() == 1);
    ok(cmd(s, {{"op", "setIdentityExcluded"}, {"integration", "GitHub"}, {"accountId", "bstone"}, {"excluded", true}}));
    CHECK(s.suggestions().empty());
    s.undo();
    CHECK(s.suggestions().size() == 1);
}

TEST_CASE("rejected suggestions stay rejected: undo, reload and re-import", "[collate][suggest][reject]") {
    Session s;
    const std::string csv = "Full_Name,Email,Integration: GitHub\n"
                            "Ada Lovelace,ada@acme.com,ada-gh\n"
                            "Ada Lovelace,12345+ada-gh@users.noreply.github.com,\n"
                            "Bob Stone,bstone@acme.com,\n"
                            "Bob S,,bstone\n";
    REQUIRE(s.applyImport(csv, json{{"mode", "update"}})["applied"] == true);
    auto sug = s.suggestions();
    REQUIRE(sug.size() == 2);
    json merge = sug[0]["kind"] == "merge" ? sug[0] : sug[1];
    json assign = sug[0]["kind"] == "assign" ? sug[0] : sug[1];
    CHECK(code(cmd(s, {{"op", "rejectSuggestion"}, {"ids", {merge["ids"][0]}}})) == "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "rejectSuggestion"}, {"ids", merge["ids"]}, {"identity", {{"integration", "GitHub"}, {"accountId", "bstone"}}}})) ==
          "INVALID_ARGUMENT");
    CHECK(code(cmd(s, {{"op", "rejectSuggestion"}, {"ids", {"u77", "u78"}}})) == "NOT_FOUND");
    ok(cmd(s, {{"op", "rejectSuggestion"}, {"ids", merge["ids"]}}));
    ok(cmd(s, {{"op", "rejectSuggestion"}, {"ids", assign["ids"]}, {"identity", assign["identity"]}}));
    CHECK(s.suggestions().empty());
    bool found = false;
    for (auto& r : s.dir.rejected()) found |= r.alive && s.dir.s(r.key) == "assign|github|bstone|bstone@acme.com";
    CHECK(found);
    s.undo();
    CHECK(s.suggestions().size() == 1);
    s.redo();
    CHECK(s.suggestions().empty());

    // Persisted in the manifest: a fresh session loading the store still has them.
    char tmpl[] = "/tmp/roster-collate-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    Store st(dir);
    REQUIRE(st.save(s.dir).ok);
    Session t;
    Store st2(dir);
    REQUIRE(st2.load(t.dir).ok);
    CHECK(t.suggestions().empty());
    // Re-importing the same file (update and replace) does not bring them back.
    REQUIRE(t.applyImport(csv, json{{"mode", "update"}})["applied"] == true);
    CHECK(t.suggestions().empty());
    REQUIRE(t.applyImport(csv, json{{"mode", "replace"}})["applied"] == true);
    CHECK(t.suggestions().empty());
    st2.wipe();
    // A fresh directory with other ids but the same people: still rejected (keys are emails).
    Session u;
    uid(u, "Zed", "zed@acme.com");
    for (auto& r : t.dir.rejected())
        if (r.alive) u.dir.loadRejected(t.dir.s(r.key));
    REQUIRE(u.applyImport(csv, json{{"mode", "update"}})["applied"] == true);
    CHECK(u.suggestions().empty());
}

TEST_CASE("the engine is incremental: small steps give the same results as one run", "[collate][suggest]") {
    Session s = sampleSession();
    SuggestionEngine all;
    all.runToCompletion(s.dir);
    REQUIRE(all.done());
    CHECK(all.results().size() >= 15);
    SuggestionEngine inc;
    double last = 0;
    int steps = 0;
    while (!inc.step(s.dir, 1e9, 50)) {
        CHECK(inc.progress() >= last);
        CHECK(inc.progress() < 1.0);
        last = inc.progress();
        ++steps;
    }
    CHECK(steps > 10);
    CHECK(inc.progress() == 1.0);
    REQUIRE(inc.results().size() == all.results().size());
    for (size_t i = 0; i < all.results().size(); ++i) {
        CHECK(inc.results()[i].slots == all.results()[i].slots);
        CHECK(inc.results()[i].score == all.results()[i].score);
    }
    // An edit restarts it by itself.
    uid(s, "Someone New", "new@acme-corp.com");
    CHECK_FALSE(inc.step(s.dir, 1e9, 5));
    CHECK(inc.revision() == s.dir.revision());
    inc.runToCompletion(s.dir);
    CHECK(inc.results().size() == all.results().size());
}

TEST_CASE("the sample's hygiene cases are found", "[collate][suggest][sample]") {
    Session s = sampleSession();
    auto sug = s.suggestions();
    int noreply = 0, sameName = 0, accent = 0, assign = 0;
    for (auto& x : sug) {
        if (x["kind"] == "assign") ++assign;
        if (anyReason(x, "noreply")) ++noreply;
        if (anyReason(x, "Same name")) ++sameName;
        if (anyReason(x, "apart from accents")) ++accent;
        for (auto& id : x["ids"]) {
            uint32_t n;
            REQUIRE(parseUserId(id.get<std::string>(), n));
            CHECK(s.dir.userAlive(s.dir.slotOfId(n)));
        }
        if (x.contains("identity")) CHECK(x["identity"]["accountId"].get<std::string>().find("bot") == std::string::npos);
    }
    CHECK(noreply >= 2);
    CHECK(sameName >= 8);
    CHECK(accent >= 1);
    CHECK(assign >= 5);
}

// ------------------------------------------------------------------ blocking at scale

TEST_CASE("200k people: suggestions by blocking keys, never all pairs", "[collate][suggest][scale]") {
    Directory d;
    Tx tx(d);
    uint32_t gh = tx.createIntegration("GitHub", IntegKind::Scm);
    static const char* firsts[] = {"Ada", "Bob", "Carla", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivan", "José", "Kemal", "Lena",
                                   "Marta", "Nils", "Olu", "Priya", "Quinn", "Rui", "Sara", "Tomás", "Uma", "Vera", "Wen", "Xavi",
                                   "Yara", "Zoë"};
    std::mt19937 rng(7);
    const uint32_t N = 200000;
    d.reserveUsers(N + 10);
    for (uint32_t i = 0; i < N; ++i) {
        // 26 first names × ~8000 surnames: a realistic handful of namesakes per name
        std::string last = "Surname" + std::to_string(rng() % 8000);
        std::string name = std::string(firsts[rng() % 26]) + " " + last;
        std::string email = "p" + std::to_string(i) + "@corp" + std::to_string(i % 7) + ".com";
        uint32_t slot = tx.createUser(name, email);
        tx.createIdentity(gh, "gh-" + std::to_string(i), "", slot);
    }
    // Planted: a noreply twin of person 123 and an unassigned account named like person 456's local part.
    tx.createUser("Someone Else", "999+gh-123@users.noreply.github.com");
    tx.createIdentity(gh, "p456", "", kNone);
    tx.take();

    auto t0 = std::chrono::steady_clock::now();
    SuggestionEngine e;
    size_t steps = 0;
    while (!e.step(d, 20)) ++steps;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO("pairs scored " << e.pairsScored() << ", " << secs << " s, " << steps << " steps");
    CHECK(e.pairsScored() < uint64_t(N) * 40);   // all pairs would be 2e10
    CHECK(secs < 60);
    bool noreply = false, assign = false;
    for (const Suggestion& s : e.results()) {
        if (s.kind == Suggestion::Merge && s.slots.size() == 2 && (s.slots[0] == 123 || s.slots[1] == 123) && s.score >= 0.8) noreply = true;
        if (s.kind == Suggestion::Assign && s.slots[0] == 456) assign = true;
    }
    CHECK(noreply);
    CHECK(assign);
    CHECK(steps > 5);   // spread over frames
}

// ------------------------------------------------------------------ invariants

TEST_CASE("merge/split/assign/move/undo/redo never lose an account or give it two owners", "[collate][invariants]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "Jira"}}));
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        ids.push_back(uid(s, "Person " + std::to_string(i), "p" + std::to_string(i) + "@x.com"));
        for (const char* integ : {"GitHub", "Jira"})
            ok(cmd(s, {{"op", "addIdentity"}, {"id", ids.back()}, {"integration", integ}, {"accountId", std::string(integ) + "-" + std::to_string(i)}}));
    }
    for (int i = 0; i < 6; ++i) {
        auto r = s.applyImport("Full_Name,Email,Integration: GitHub\nX,,free-" + std::to_string(i) + "\n", json{{"mode", "update"}});
        REQUIRE(r["applied"] == true);
    }
    s.history.clear();   // the loop's undo/redo start from here
    const uint32_t liveIdents = s.dir.liveIdentityCount();
    const json initial = s.snapshot();
    auto check = [&]() {
        const Directory& d = s.dir;
        REQUIRE(d.liveIdentityCount() == liveIdents);
        uint32_t live = 0, owned = 0, unowned = 0;
        for (uint32_t ii = 0; ii < d.identities().size(); ++ii) {
            const Identity& id = d.identities()[ii];
            if (!id.alive) continue;
            ++live;
            REQUIRE(d.findIdentity(id.integ, d.s(id.account)) == ii);   // one record per account
            if (id.owner == kNone) ++unowned;
            else {
                REQUIRE(d.userAlive(id.owner));   // never owned by a removed person
                ++owned;
            }
        }
        REQUIRE(live == liveIdents);
        // Every owned account is listed under exactly one person
        uint32_t listed = 0;
        for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
            if (!d.userAlive(slot)) continue;
            uint32_t n = 0;
            d.identitiesOf(slot, n);
            listed += n;
        }
        REQUIRE(listed == owned);
        auto snap = s.snapshot();
        REQUIRE(snap["unassigned"].size() == unowned);
        // and every alias points to a live person
        for (const Alias& a : d.aliases())
            if (a.alive) REQUIRE(d.userAlive(a.owner));
    };
    std::mt19937 rng(12345);
    int applied = 0;
    for (int step = 0; step < 600; ++step) {
        auto snap = s.snapshot();
        auto& users = snap["users"];
        auto pickUser = [&]() { return users[rng() % users.size()]["id"].get<std::string>(); };
        int op = rng() % 8;
        json r;
        if (op == 0 && users.size() >= 2) {
            std::string into = pickUser(), from = pickUser();
            json c = {{"op", "mergeUsers"}, {"into", into}, {"from", {from}}};
            json conf = mergeConflictsJson(s.dir, c);
            json values = json::object();
            for (auto& x : conf) values[x["key"].get<std::string>()] = x["values"][0];
            c["values"] = values;
            r = cmd(s, c);
        } else if (op == 1) {
            auto u = users[rng() % users.size()];
            if (!u["identities"].empty()) {
                auto idn = u["identities"][rng() % u["identities"].size()];
                r = cmd(s, {{"op", "splitIdentity"}, {"id", u["id"]}, {"integration", idn["integration"]}, {"accountId", idn["accountId"]}});
                if (r["ok"] == true) CHECK(s.snapshot()["users"].size() == users.size() + 1);
            }
        } else if (op == 2 && !snap["unassigned"].empty()) {
            auto un = snap["unassigned"][rng() % snap["unassigned"].size()];
            r = cmd(s, {{"op", "assignIdentity"}, {"id", pickUser()}, {"integration", un["integration"]}, {"accountId", un["accountId"]}});
        } else if (op == 3) {
            auto u = users[rng() % users.size()];
            if (!u["identities"].empty()) {
                auto idn = u["identities"][rng() % u["identities"].size()];
                std::string to = pickUser();
                r = cmd(s, {{"op", rng() % 3 ? "moveIdentity" : "unassignIdentity"}, {"integration", idn["integration"]}, {"accountId", idn["accountId"]}, {"to", to}});
            }
        } else if (op == 4) {
            // two-owner attempt: always refused
            auto u = users[rng() % users.size()];
            if (!u["identities"].empty()) {
                auto idn = u["identities"][0];
                std::string other = pickUser();
                if (other != u["id"]) {
                    r = cmd(s, {{"op", "addIdentity"}, {"id", other}, {"integration", idn["integration"]}, {"accountId", idn["accountId"]}});
                    CHECK(code(r) == "ACCOUNT_CONFLICT");
                    r = cmd(s, {{"op", "assignIdentity"}, {"id", other}, {"integration", idn["integration"]}, {"accountId", idn["accountId"]}});
                    CHECK(code(r) == "ACCOUNT_ALREADY_ASSIGNED");
                }
            }
        } else if (op == 5) {
            s.undo();
        } else if (op == 6) {
            s.redo();
        } else if (op == 7 && users.size() > 3) {
            r = cmd(s, {{"op", "removeUsers"}, {"ids", {pickUser()}}});
        }
        if (r.is_object() && r["ok"] == true) ++applied;
        INFO("step " << step << " op " << op << " " << (r.is_object() ? r.dump() : std::string()));
        check();
    }
    CHECK(applied > 150);
    while (s.undo()) check();
    CHECK(s.snapshot() == initial);
    while (s.redo()) check();
}

// ------------------------------------------------------------------ lint

TEST_CASE("lint: LIKELY_BOT, POSSIBLE_OVERMERGE, NO_SCM_ACCOUNT (only with an scm integration)", "[collate][lint]") {
    Session s;
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "Jira"}}));
    std::string a = uid(s, "Ada Lovelace", "ada@x.com");
    std::string n = uid(s, "Build", "noreply@x.com");
    auto codes = [&]() {
        std::map<std::string, int> c;
        for (auto& l : s.lint()) c[l["code"]]++;
        return c;
    };
    CHECK(codes()["NO_SCM_ACCOUNT"] == 0);   // no scm integration yet
    CHECK(codes()["LIKELY_BOT"] == 1);       // noreply@
    ok(cmd(s, {{"op", "addIntegration"}, {"name", "GitHub"}}));
    CHECK(codes()["NO_SCM_ACCOUNT"] == 2);
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada-gh"}, {"name", "Ada Lovelace"}}));
    CHECK(codes()["NO_SCM_ACCOUNT"] == 1);
    CHECK(codes()["POSSIBLE_OVERMERGE"] == 0);
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "Jira"}, {"accountId", "j-1"}, {"name", "Grace Hopper"}}));
    auto lint = s.lint();
    bool over = false;
    for (auto& l : lint)
        if (l["code"] == "POSSIBLE_OVERMERGE") {
            over = true;
            CHECK(l["userIds"] == json::array({a}));
            CHECK(l["message"].get<std::string>().find("Grace Hopper") != std::string::npos);
            CHECK(l["identities"][0]["accountId"] == "j-1");
        }
    CHECK(over);
    ok(cmd(s, {{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "dependabot[bot]"}}));
    lint = s.lint();
    bool bot = false;
    for (auto& l : lint)
        if (l["code"] == "LIKELY_BOT" && l.contains("identities")) {
            bot = true;
            CHECK(l["identities"][0]["accountId"] == "dependabot[bot]");
            CHECK(l["userIds"] == json::array({a}));
        }
    CHECK(bot);
    for (auto& l : lint) CHECK(l["code"] != "NO_EMAIL");   // another feature's
    (void)n;
}

TEST_CASE("typed account commands do what their JSON ops do", "[collate][commands][typed]") {
    // The same edits through the JSON door and through the typed constructors the UI uses.
    auto run = [](bool typed) {
        Session s;
        std::string a = uid(s, "Ada Lovelace", "ada@example.com");
        std::string b = uid(s, "Ada L.", "ada@users.noreply.github.com");
        uint32_t ia = 0, ib = 0;
        REQUIRE(parseUserId(a, ia));
        REQUIRE(parseUserId(b, ib));
        REQUIRE(s.command({{"op", "addIntegration"}, {"name", "GitHub"}})["ok"] == true);
        auto step = [&](const json& j, Command&& c) {
            if (typed) {
                CmdResult r = s.execute(c);
                INFO(j.dump() << " -> " << r.error.code << " " << r.error.message);
                REQUIRE(r.ok);
            } else {
                json r = s.command(j);
                INFO(j.dump() << " -> " << r.dump());
                REQUIRE(r["ok"] == true);
            }
        };
        step({{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada"}}, IdentityCmd::add(ia, "GitHub", "ada"));
        step({{"op", "addIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada-bot"}}, IdentityCmd::add(ia, "GitHub", "ada-bot"));
        step({{"op", "setIdentityExcluded"}, {"integration", "GitHub"}, {"accountId", "ada-bot"}, {"excluded", true}},
             IdentityCmd::setExcluded("GitHub", "ada-bot", true));
        step({{"op", "moveIdentity"}, {"integration", "GitHub"}, {"accountId", "ada"}, {"to", b}}, IdentityCmd::move("GitHub", "ada", ib));
        step({{"op", "unassignIdentity"}, {"integration", "GitHub"}, {"accountId", "ada"}}, IdentityCmd::unassign("GitHub", "ada"));
        step({{"op", "assignIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada"}}, IdentityCmd::assign(ia, "GitHub", "ada"));
        step({{"op", "splitIdentity"}, {"id", a}, {"integration", "GitHub"}, {"accountId", "ada-bot"}}, IdentityCmd::split(ia, "GitHub", "ada-bot"));
        step({{"op", "rejectSuggestion"}, {"ids", {a, b}}}, RejectSuggestionCmd::merge({ia, ib}));
        step({{"op", "mergeUsers"}, {"into", a}, {"from", {b}}}, MergeUsersCmd(ia, {ib}, {}));
        const std::string undoLabel = s.history.undoLabel();
        return std::make_pair(s.snapshot(), undoLabel);
    };
    auto viaJson = run(false);
    auto viaTyped = run(true);
    CHECK(viaJson.first == viaTyped.first);
    CHECK(viaJson.second == viaTyped.second);
}

TEST_CASE("typed account commands refuse with the codes of their JSON ops", "[collate][commands][typed]") {
    Session s;
    std::string a = uid(s, "Ada Lovelace", "ada@example.com");
    uint32_t ia = 0;
    REQUIRE(parseUserId(a, ia));
    REQUIRE(s.command({{"op", "addIntegration"}, {"name", "GitHub"}})["ok"] == true);
    IdentityCmd noInteg = IdentityCmd::add(ia, "Jira", "ada");
    CHECK(s.execute(noInteg).error.code == s.command({{"op", "addIdentity"}, {"id", a}, {"integration", "Jira"}, {"accountId", "ada"}})["error"]["code"]);
    IdentityCmd noUser = IdentityCmd::assign(ia + 100, "GitHub", "ada");
    CHECK(s.execute(noUser).error.code == "NOT_FOUND");
    RejectSuggestionCmd noAccount = RejectSuggestionCmd::assign(ia, "GitHub", "nobody");
    CHECK(s.execute(noAccount).error.code == "NOT_FOUND");
    s.readOnly = true;
    IdentityCmd add = IdentityCmd::add(ia, "GitHub", "ada");
    CHECK(s.execute(add).error.code == "READ_ONLY");
}
