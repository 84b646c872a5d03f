// Relations between people: cycles (long ones and self-management), references that match
// nobody, people without a manager outside the roots, people without an email.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>

#include "reporting_lines.h"
#include "lint.h"
#include "session.h"

using namespace roster;

namespace {

struct Org {
    Session s;
    std::vector<std::string> ids;
    explicit Org(int n, const char* key = "manager_email") {
        REQUIRE(s.command({{"op", "addAttribute"}, {"key", key}, {"type", "email"}})["ok"] == true);
        for (int i = 0; i < n; ++i) {
            auto r = s.command({{"op", "addUser"}, {"name", "P" + std::to_string(i)}, {"email", email(i)}});
            REQUIRE(r["ok"] == true);
            ids.push_back(r["id"]);
        }
    }
    static std::string email(int i) { return "p" + std::to_string(i) + "@example.com"; }
    void manage(int who, const std::string& value, const char* key = "manager_email") {
        json r = s.command({{"op", "setAttribute"}, {"ids", {ids[size_t(who)]}}, {"key", key}, {"value", value}});
        INFO(r.dump());
        REQUIRE(r["ok"] == true);
    }
    void manage(int who, int boss) { manage(who, email(boss)); }
    std::vector<json> issues(const std::string& code) {
        std::vector<json> out;
        for (auto& i : s.lint())
            if (i["code"] == code) out.push_back(i);
        return out;
    }
    std::set<std::string> people(const std::string& code) {
        std::set<std::string> out;
        for (auto& i : issues(code))
            for (auto& id : i["userIds"]) out.insert(id.get<std::string>());
        return out;
    }
    std::set<std::string> idSet(std::initializer_list<int> who) {
        std::set<std::string> out;
        for (int w : who) out.insert(ids[size_t(w)]);
        return out;
    }
};

}  // namespace

TEST_CASE("a tree has no problems, a lone person without a manager is NO_MANAGER", "[lint]") {
    Org o(6);
    // 0 is the root: 1 and 2 report to 0, 3 and 4 to 1. 5 has no manager and no reports.
    o.manage(1, 0);
    o.manage(2, 0);
    o.manage(3, 1);
    o.manage(4, "P1@EXAMPLE.COM");   // emails compare case-insensitively
    CHECK(o.issues("CIRCULAR_REFERENCE").empty());
    CHECK(o.issues("MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS").empty());
    CHECK(o.people("NO_MANAGER") == o.idSet({5}));
    auto i = o.issues("NO_MANAGER")[0];
    CHECK(i["severity"] == "warning");
    CHECK(i["message"].get<std::string>().find("P5") != std::string::npos);
    // Several trees: every top of a tree is a root.
    o.manage(5, "");
    RelationGraph g;
    buildRelation(o.s.dir, 0, g);
    CHECK(g.roots.size() == 1);
    CHECK(g.withValue == 4);
}

TEST_CASE("a relation nobody has filled in is not checked", "[lint]") {
    Org o(3);
    CHECK(o.issues("NO_MANAGER").empty());
    o.manage(1, 0);
    CHECK(o.people("NO_MANAGER") == o.idSet({2}));
}

TEST_CASE("self-management is a cycle of one", "[lint]") {
    Org o(3);
    o.manage(1, 1);
    o.manage(2, 0);
    auto cyc = o.issues("CIRCULAR_REFERENCE");
    REQUIRE(cyc.size() == 1);
    CHECK(cyc[0]["userIds"] == json{o.ids[1]});
    CHECK(cyc[0]["severity"] == "error");
    CHECK(cyc[0]["message"].get<std::string>().find("P1") != std::string::npos);
    // P1 is not also reported as having no manager; P0 heads P2's tree.
    CHECK(o.people("NO_MANAGER").empty());
}

TEST_CASE("cycles name everyone in them, people hanging off a cycle are not in it", "[lint]") {
    Org o(7);
    o.manage(0, 1);
    o.manage(1, 2);
    o.manage(2, 0);   // 0 -> 1 -> 2 -> 0
    o.manage(3, 0);   // hangs off the cycle
    o.manage(4, 5);
    o.manage(5, 4);   // a second cycle
    auto cyc = o.issues("CIRCULAR_REFERENCE");
    REQUIRE(cyc.size() == 2);
    std::set<std::string> first, second;
    for (auto& id : cyc[0]["userIds"]) first.insert(id);
    for (auto& id : cyc[1]["userIds"]) second.insert(id);
    CHECK(first == o.idSet({0, 1, 2}));
    CHECK(second == o.idSet({4, 5}));
    CHECK(o.people("NO_MANAGER") == o.idSet({6}));
    // Breaking the cycle (and undoing that) follows.
    o.manage(2, "");
    CHECK(o.issues("CIRCULAR_REFERENCE").size() == 1);
    REQUIRE(o.s.undo());
    CHECK(o.issues("CIRCULAR_REFERENCE").size() == 2);
}

TEST_CASE("a 1000-person cycle is one issue naming all of them", "[lint]") {
    const int n = 1000;
    Org o(n);
    std::vector<std::string> all;
    for (int i = 0; i < n; ++i) o.manage(i, (i + 1) % n);
    auto cyc = o.issues("CIRCULAR_REFERENCE");
    REQUIRE(cyc.size() == 1);
    CHECK(cyc[0]["userIds"].size() == size_t(n));
    std::set<std::string> got;
    for (auto& id : cyc[0]["userIds"]) got.insert(id);
    CHECK(got.size() == size_t(n));
    CHECK(cyc[0]["message"].get<std::string>().find("1000 people") != std::string::npos);
}

TEST_CASE("references that match nobody are grouped by email, aliases count as matches", "[lint]") {
    Org o(4);
    o.manage(0, "ghost@example.com");
    o.manage(1, "GHOST@example.com");
    o.manage(2, "other@example.com");
    auto miss = o.issues("MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS");
    REQUIRE(miss.size() == 2);
    CHECK(miss[0]["userIds"] == json{o.ids[0], o.ids[1]});
    CHECK(miss[0]["message"].get<std::string>().find("ghost@example.com") != std::string::npos);
    CHECK(miss[1]["userIds"] == json{o.ids[2]});
    // The missing person arrives: the references resolve.
    REQUIRE(o.s.command({{"op", "addUser"}, {"name", "Ghost"}, {"email", "ghost@example.com"}})["ok"] == true);
    CHECK(o.issues("MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS").size() == 1);
    // A removed person no longer matches.
    REQUIRE(o.s.command({{"op", "removeUsers"}, {"ids", {o.ids[3]}}})["ok"] == true);
    o.manage(0, Org::email(3));
    CHECK(o.people("MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS").count(o.ids[0]) == 1);
}

TEST_CASE("every email-typed attribute is checked on its own, text attributes are not", "[lint]") {
    Org o(3);
    REQUIRE(o.s.command({{"op", "addAttribute"}, {"key", "mentor"}, {"type", "email"}})["ok"] == true);
    REQUIRE(o.s.command({{"op", "addAttribute"}, {"key", "buddy"}, {"type", "text"}})["ok"] == true);
    o.manage(0, 1);
    o.manage(1, 2);
    o.manage(0, Org::email(1), "mentor");
    o.manage(1, Org::email(0), "mentor");   // a mentoring cycle
    REQUIRE(o.s.command({{"op", "setAttribute"}, {"ids", {o.ids[2]}}, {"key", "buddy"}, {"value", "p2@example.com"}})["ok"] == true);
    auto cyc = o.issues("CIRCULAR_REFERENCE");
    REQUIRE(cyc.size() == 1);
    CHECK(cyc[0]["message"].get<std::string>().find("mentor") != std::string::npos);
    CHECK(o.people("NO_MANAGER") == o.idSet({2}));   // P2 has no mentor and mentors nobody
}

TEST_CASE("NO_EMAIL for people without an email", "[lint]") {
    Org o(2);
    REQUIRE(o.s.command({{"op", "updateUser"}, {"id", o.ids[1]}, {"email", ""}})["ok"] == true);
    CHECK(o.people("NO_EMAIL") == o.idSet({1}));
}

TEST_CASE("lint of a million-person chain and cycle is fast and iterative", "[perf][.]") {
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "manager_email"}, {"type", "email"}})["ok"] == true);
    const uint32_t n = 1000000;
    s.dir.reserveUsers(n);
    for (uint32_t i = 0; i < n; ++i) {
        s.dir.loadUser(i + 1, true, "P" + std::to_string(i), "p" + std::to_string(i) + "@example.com");
        // A chain 0 <- 1 <- 2 ... and the last half one big cycle.
        uint32_t boss = i < n / 2 ? (i ? i - 1 : kNone) : (i + 1 < n ? i + 1 : n / 2);
        if (boss != kNone) s.dir.loadAttrValue(0, i, "p" + std::to_string(boss) + "@example.com");
    }
    auto t0 = std::chrono::steady_clock::now();
    std::vector<LintIssue> out = lintAll(s.dir);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    WARN("lint of 1M people in " << ms << " ms");
    REQUIRE(out.size() == 1);
    CHECK(out[0].code == "CIRCULAR_REFERENCE");
    CHECK(out[0].slots.size() == n / 2);
}

TEST_CASE("lint in slices finds what one run finds, in the same order", "[lint]") {
    // Every kind of finding, spread over more people than one slice (1024) so that every phase is
    // cut and resumed: cycles, references to nobody (grouped), NO_MANAGER, NO_EMAIL, bot accounts
    // and bot emails, over-merges and people without a source-control account.
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "manager_email"}, {"type", "email"}})["ok"] == true);
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "mentor"}, {"type", "email"}})["ok"] == true);
    const uint32_t n = 6000;
    s.dir.loadIntegration("GitHub", IntegKind::Scm, true);
    s.dir.loadIntegration("Jira", IntegKind::Issues, true);
    s.dir.reserveUsers(n);
    auto email = [](uint32_t i) { return "p" + std::to_string(i) + "@example.com"; };
    for (uint32_t i = 0; i < n; ++i) {
        std::string e = i % 997 == 5 ? "" : i % 1301 == 7 ? "noreply" + std::to_string(i) + "@example.com" : email(i);
        s.dir.loadUser(i + 1, i % 2003 != 11, "Person " + std::to_string(i), e);
    }
    for (uint32_t i = 0; i < n; ++i) {
        if (i % 7 == 0) continue;   // blank: a root or NO_MANAGER
        std::string v = i % 11 == 0 ? "Ghost" + std::to_string(i % 5) + "@Nowhere.com"
                      : i % 13 == 0 ? email(i)
                                    : email((i * 31 + 7) % n);
        s.dir.loadAttrValue(0, i, v);
        if (i % 3 == 0) s.dir.loadAttrValue(1, i, email((i + 1) % n));   // mentors: one long cycle and tails
    }
    for (uint32_t i = 0; i < n; ++i) {
        if (i % 3 != 0) s.dir.loadIdentity(i, 0, true, 0, "gh" + std::to_string(i), "Person " + std::to_string(i));
        if (i % 5 == 0) s.dir.loadIdentity(i, 1, true, 0, "j" + std::to_string(i), "Other Human" + std::to_string(i));
        if (i % 17 == 0) s.dir.loadIdentity(i, 0, true, 0, "renovate-bot" + std::to_string(i), "");
    }
    s.dir.finishLoad();

    const std::vector<LintIssue> whole = lintAll(s.dir);
    std::map<std::string, size_t> codes;
    for (const LintIssue& i : whole) ++codes[i.code];
    for (const char* c : {"CIRCULAR_REFERENCE", "MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS", "NO_MANAGER", "NO_EMAIL", "LIKELY_BOT",
                          "POSSIBLE_OVERMERGE", "NO_SCM_ACCOUNT"}) {
        INFO(c);
        CHECK(codes[c] > 0);
    }
    size_t ghosts = 0;   // five distinct emails that match nobody, each one issue for all who name it
    for (const LintIssue& i : whole) ghosts += i.message.find("@Nowhere.com") != std::string::npos;
    CHECK(ghosts == 5);

    LintRun run(s.dir);
    int steps = 0;
    while (!run.step(LintRun::Clock::now())) {   // a deadline already past: one slice a step
        ++steps;
        REQUIRE(steps < 1000);
    }
    CHECK(steps >= 10);
    CHECK(run.done());
    CHECK(run.revision() == s.dir.revision());
    const std::vector<LintIssue> sliced = run.take();
    REQUIRE(sliced.size() == whole.size());
    for (size_t i = 0; i < whole.size(); ++i) {
        INFO(i << ": " << whole[i].message);
        CHECK(sliced[i].code == whole[i].code);
        CHECK(sliced[i].severity == whole[i].severity);
        CHECK(sliced[i].message == whole[i].message);
        CHECK(sliced[i].slots == whole[i].slots);
        CHECK(sliced[i].identities == whole[i].identities);
    }
}

TEST_CASE("a very long name is cut to 80 characters in a finding's message", "[lint]") {
    Org o(1);
    const std::string longName(300, 'x');
    REQUIRE(o.s.command({{"op", "updateUser"}, {"id", o.ids[0]}, {"name", longName}})["ok"] == true);
    o.manage(0, 0);   // self-management: a cycle of one, named by personLabel()
    auto is = o.issues("CIRCULAR_REFERENCE");
    REQUIRE(is.size() == 1);
    const std::string msg = is[0]["message"];
    CHECK(msg.find(std::string(80, 'x')) != std::string::npos);
    CHECK(msg.find(std::string(81, 'x')) == std::string::npos);
}
