// The git .mailmap import (issue 17 part 3) through the real Session door: previewImport,
// applyImport, snapshot, suggestions, undo. The rules (mailmap.h): other addresses become aliases of
// the person with the proper email (created when new, named by the line's proper name); a name line
// names a nameless person only; an address two people claim stays with the first (ALIAS_CONFLICT);
// a line tying two people together is a merge suggestion, never a merge.
//
// The corpus (../shared/corpus, or ROSTER_CORPUS) is read in place; when it is absent the corpus
// cases warn and pass.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include "corpus_test_util.h"
#include "foreign.h"
#include "git_test_util.h"
#include "mailmap.h"
#include "normalize.h"
#include "session_test_util.h"
#include "text.h"

using namespace roster;
using roster::test::corpusDir;
using roster::test::ok;
using roster::test::run;
using roster::test::shellQuote;
namespace fs = std::filesystem;

namespace {

// The corpus file's bytes, or "" after a warning when it is absent.
std::string corpusOrWarn(const std::string& rel) {
    const fs::path p = fs::path(corpusDir()) / rel;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        WARN("The corpus file " << p.string() << " is absent: skipped");
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const json update = json{{"mode", "update"}};

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return s;
}

// The live user with this email (folded), or null.
json userByEmail(const json& snap, const std::string& email) {
    for (const json& u : snap["users"])
        if (equalsFolded(u["email"].get<std::string>(), email)) return u;
    return nullptr;
}

std::set<std::string> aliasesOf(const json& u) {
    std::set<std::string> out;
    for (const json& a : u["aliases"]) out.insert(toLowerAscii(a.get<std::string>()));
    return out;
}

size_t aliasCount(const json& snap) {
    size_t n = 0;
    for (const json& u : snap["users"]) n += u["aliases"].size();
    return n;
}

// The warnings of a plan with this code, as (line, message).
std::vector<std::pair<int, std::string>> warningsOf(const json& plan, const std::string& code) {
    std::vector<std::pair<int, std::string>> out;
    for (const json& w : plan["warnings"])
        if (w["code"] == code) out.emplace_back(w.value("line", 0), w["message"].get<std::string>());
    return out;
}

std::string describeWarnings(const json& plan) {
    std::string s;
    for (const json& w : plan["warnings"]) s += w.dump() + "\n";
    return s;
}

// `git check-mailmap --stdin` over a .mailmap file: each "<address>" in, the person git shows out.
std::vector<std::string> gitCheckMailmap(const std::string& mailmap, const std::vector<std::string>& addresses) {
    const fs::path dir = fs::temp_directory_path() / ("roster-mailmap-import-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    { std::ofstream(dir / "mm", std::ios::binary) << mailmap; }
    {
        std::ofstream in(dir / "in", std::ios::binary);
        for (const auto& a : addresses) in << "<" << a << ">\n";
    }
    std::vector<std::string> out;
    if (!run("git init -q " + shellQuote(dir.string()) + " 2>&1").empty()) return out;
    const std::string text = run("git -C " + shellQuote(dir.string()) + " -c mailmap.file=" + shellQuote((dir / "mm").string()) +
                                 " check-mailmap --stdin < " + shellQuote((dir / "in").string()) + " 2>&1");
    std::istringstream ss(text);
    for (std::string l; std::getline(ss, l);) out.push_back(l);
    fs::remove_all(dir);
    return out;
}

}  // namespace

TEST_CASE("Mailmap import: linux.mailmap and git.mailmap into an empty directory", "[mailmap][import][corpus]") {
    struct Case { const char* file; size_t people, aliases, nameless, aliasConflicts; };
    // people: the distinct proper emails (expected.json stats.distinct_emails: 445 and 219). Every
    // line's proper email is a person, name lines included; other addresses are aliases only.
    // aliases: the other addresses, each once, that differ from their line's proper email (linux:
    // 3 lines map a proper email to itself for the commit name, 1 line repeats another; git: 16 such
    // lines for names only, 2 repeats, and gitgitgadget@gmail.com is claimed by three people, see below).
    for (const Case& c : {Case{"mailmap/linux.mailmap", 445, 519, 6, 0}, Case{"mailmap/git.mailmap", 219, 226, 1, 2}}) {
        const std::string text = corpusOrWarn(c.file);
        if (text.empty()) {
            SUCCEED("skipped");
            continue;
        }
        INFO(c.file);
        Session s;
        const json before = s.snapshot();
        const json plan = s.previewImport(text, update);
        INFO(describeWarnings(plan));
        REQUIRE(plan["ok"] == true);
        CHECK(plan["format"] == "mailmap");
        CHECK(plan["formatLabel"] == "git .mailmap");
        CHECK(plan["counts"]["added"] == c.people);
        CHECK(plan["counts"]["aliases"] == c.aliases);
        CHECK(plan["counts"]["suggestions"] == 0);   // no line ties two people of these files together
        CHECK(warningsOf(plan, "ALIAS_CONFLICT").size() == c.aliasConflicts);
        CHECK(warningsOf(plan, "MAILMAP_LINE_IGNORED").empty());

        const json r = s.applyImport(text, update);
        REQUIRE(r["applied"] == true);
        const json snap = s.snapshot();
        CHECK(snap["users"].size() == c.people);
        CHECK(aliasCount(snap) == c.aliases);
        size_t nameless = 0;
        for (const json& u : snap["users"]) nameless += u["name"].get<std::string>().empty();
        CHECK(nameless == c.nameless);   // expected.json rows_with_empty_Full_Name: people no line names
        // No hint: the suggestions (if any) are the engine's own, from names and addresses.
        for (const json& x : s.suggestions())
            for (const json& why : x["reasons"]) CHECK(why.get<std::string>().find("git .mailmap") == std::string::npos);

        if (std::string(c.file) == "mailmap/linux.mailmap") {
            // The largest person of expected.json: 7 rows for willy@infradead.org, 7 lines each with
            // another address (the file has no name line for him).
            const json willy = userByEmail(snap, "willy@infradead.org");
            REQUIRE(willy.is_object());
            CHECK(willy["name"] == "Matthew Wilcox");
            CHECK(willy["aliases"].size() == 7);
            // socketcan@esd.eu is given two names (expected.json emails_shared_by_different_names):
            // the first line's is kept and the other reported.
            CHECK(userByEmail(snap, "socketcan@esd.eu")["name"] == "Matthias Fuchs");
            CHECK(warningsOf(plan, "CONFLICTING_VALUES").size() == 1);
        } else {
            // gitgitgadget@gmail.com is mapped by three lines to three people (git tells them apart
            // by the commit name "<Name> via GitGitGadget"; Roster's aliases are addresses): it stays
            // with the first line's person and the two later lines are reported with their lines.
            const auto conflicts = warningsOf(plan, "ALIAS_CONFLICT");
            REQUIRE(conflicts.size() == 2);
            CHECK(conflicts[0].first == 115);
            CHECK(conflicts[1].first == 125);
            CHECK(conflicts[0].second.find("gitgitgadget@gmail.com") != std::string::npos);
            CHECK(conflicts[0].second.find("commit name") != std::string::npos);
            CHECK(aliasesOf(userByEmail(snap, "stolee@gmail.com")).count("gitgitgadget@gmail.com") == 1);
            CHECK(aliasesOf(userByEmail(snap, "jn.avila@free.fr")).count("gitgitgadget@gmail.com") == 0);
            CHECK(userByEmail(snap, "gitster@pobox.com")["name"] == "Junio C Hamano");
        }

        // The whole import is one undo step.
        REQUIRE(s.undo());
        CHECK(s.snapshot() == before);
    }
}

TEST_CASE("Mailmap import: every rule on a small file over an existing directory", "[mailmap][import]") {
    Session s;
    const std::string ada = ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}})["id"];
    const std::string nameless = ok(s, {{"op", "addUser"}, {"name", ""}, {"email", "nameless@x.org"}})["id"];
    const std::string bob = ok(s, {{"op", "addUser"}, {"name", "Bob"}, {"email", "bob@x.org"}})["id"];
    const std::string bobOld = ok(s, {{"op", "addUser"}, {"name", "Bob"}, {"email", "bob.old@y.org"}})["id"];
    ok(s, {{"op", "mergeUsers"}, {"into", bob}, {"from", {bobOld}}});   // bob.old@y.org: Bob's alias
    const std::string carol = ok(s, {{"op", "addUser"}, {"name", "Carol"}, {"email", "carol@x.org"}})["id"];
    const json before = s.snapshot();

    const std::string mm =
        "# rules\n"                                              // 1
        "Ada Byron <ada@x.org> <ada@home.example>\n"            // 2 alias of Ada; Ada keeps her name
        "Nameless Named <nameless@x.org>\n"                      // 3 names the nameless person
        "New Person <new@x.org> <new.old@y.org>\n"               // 4 a new person with an alias
        "Second Name <NEW@x.org>\n"                              // 5 a second name for new@x.org: reported, first kept
        "Ada Lovelace <ada@x.org> <bob.old@y.org>\n"             // 6 ties Ada to Bob (Bob's alias): a suggestion
        "Other One <other@x.org> <ada@home.example>\n"           // 7 claimed by line 2: ALIAS_CONFLICT
        "Carol <carol@x.org> <new@x.org>\n"                      // 8 ties Carol to line 4's person: a suggestion
        "Ada Lovelace <ADA@x.org> Ada L <Ada@X.org>\n"           // 9 the proper email itself: nothing
        "no email on this line\n"                                // 10 MAILMAP_LINE_IGNORED
        "Bob <bob@x.org> <BOB.OLD@y.org>\n"                      // 11 already Bob's: nothing
        "Dave <dave@x.org> Dave D <carol@x.org>\n"               // 12 ties a new person to Carol: a suggestion
        "Ada Lovelace <ada@x.org> <ada@home.example>\n";         // 13 the same alias again: nothing

    const json plan = s.previewImport(mm, update);
    INFO(describeWarnings(plan));
    REQUIRE(plan["ok"] == true);
    CHECK(plan["format"] == "mailmap");
    CHECK(plan["counts"]["added"] == 3);        // new, other, dave
    CHECK(plan["counts"]["updated"] == 1);      // the nameless person named
    CHECK(plan["counts"]["aliases"] == 2);      // ada@home.example, new.old@y.org
    CHECK(plan["counts"]["suggestions"] == 3);  // lines 6, 8, 12
    REQUIRE(plan["changes"].size() == 1);
    CHECK(plan["changes"][0]["email"] == "nameless@x.org");

    const auto conflict = warningsOf(plan, "ALIAS_CONFLICT");
    REQUIRE(conflict.size() == 1);
    CHECK(conflict[0].first == 7);
    CHECK(conflict[0].second.find("line 2") != std::string::npos);
    CHECK(conflict[0].second.find("<ada@home.example>") != std::string::npos);
    const auto ignored = warningsOf(plan, "MAILMAP_LINE_IGNORED");
    REQUIRE(ignored.size() == 1);
    CHECK(ignored[0].first == 10);
    const auto names = warningsOf(plan, "CONFLICTING_VALUES");
    REQUIRE(names.size() == 1);
    CHECK(names[0].first == 5);
    CHECK(names[0].second.find("New Person") != std::string::npos);
    CHECK(plan["warnings"].size() == 3);

    const json r = s.applyImport(mm, update);
    REQUIRE(r["applied"] == true);
    const json snap = s.snapshot();
    CHECK(snap["users"].size() == 7);   // no merge applied
    const json A = userByEmail(snap, "ada@x.org");
    CHECK(A["name"] == "Ada Lovelace");   // never renamed
    CHECK(aliasesOf(A) == std::set<std::string>{"ada@home.example"});
    CHECK(userByEmail(snap, "nameless@x.org")["name"] == "Nameless Named");
    const json N = userByEmail(snap, "new@x.org");
    REQUIRE(N.is_object());
    CHECK(N["name"] == "New Person");
    CHECK(aliasesOf(N) == std::set<std::string>{"new.old@y.org"});
    CHECK(aliasesOf(userByEmail(snap, "other@x.org")).empty());
    CHECK(userByEmail(snap, "other@x.org")["name"] == "Other One");
    CHECK(aliasesOf(userByEmail(snap, "bob@x.org")) == std::set<std::string>{"bob.old@y.org"});
    CHECK(aliasesOf(userByEmail(snap, "carol@x.org")).empty());
    CHECK(userByEmail(snap, "dave@x.org")["name"] == "Dave");

    // The ties are suggestions: a merge of the two people, with the line in words first.
    const json sugg = s.suggestions();
    auto findMerge = [&](const std::string& a, const std::string& b) -> json {
        for (const json& x : sugg)
            if (x["kind"] == "merge" && x["ids"].size() == 2 &&
                ((x["ids"][0] == a && x["ids"][1] == b) || (x["ids"][0] == b && x["ids"][1] == a)))
                return x;
        return nullptr;
    };
    const json adaBob = findMerge(ada, bob);
    REQUIRE(adaBob.is_object());
    CHECK(adaBob["reasons"][0] == "git .mailmap line 6 maps <bob.old@y.org> to <ada@x.org>");
    const json carolNew = findMerge(carol, N["id"].get<std::string>());
    REQUIRE(carolNew.is_object());
    CHECK(carolNew["reasons"][0] == "git .mailmap line 8 maps <new@x.org> to <carol@x.org>");
    const json daveCarol = findMerge(userByEmail(snap, "dave@x.org")["id"].get<std::string>(), carol);
    REQUIRE(daveCarol.is_object());
    CHECK(daveCarol["reasons"][0] == "git .mailmap line 12 maps <carol@x.org> to <dave@x.org>");

    // Imported again: nothing left to do (aliases and hints already there, names kept).
    const json again = s.previewImport(mm, update);
    CHECK(again["counts"]["added"] == 0);
    CHECK(again["counts"]["updated"] == 0);
    CHECK(again["counts"]["aliases"] == 0);
    CHECK(again["counts"]["suggestions"] == 0);

    // One undo takes back everything the import made: people, names, aliases, suggestions.
    REQUIRE(s.undo());
    CHECK(s.snapshot() == before);
    for (const json& x : s.suggestions())
        for (const json& why : x["reasons"]) CHECK(why.get<std::string>().find("git .mailmap") == std::string::npos);
}

TEST_CASE("Mailmap import: which files are a .mailmap", "[mailmap][import]") {
    const Directory d;
    auto reads = [&](const std::vector<ImportFile>& files) {
        ForeignTable t;
        const bool yes = readMailmapImport(d, files, t);
        if (!yes) CHECK(t.rows.empty());   // refused: nothing touched
        return yes;
    };
    const std::string mm = "Ada <ada@x.org> <ada@old.org>\n";
    CHECK(reads({ImportFile{"", mm}}));                          // by content
    CHECK(reads({ImportFile{".mailmap", "# only comments\n"}}));  // by name
    CHECK(reads({ImportFile{"git.MAILMAP", mm}}));
    CHECK_FALSE(reads({ImportFile{"people.csv", "Full_Name,Email\nAda,ada@x.org\n"}}));
    CHECK_FALSE(reads({ImportFile{".mailmap", mm}, ImportFile{"people.csv", "Full_Name,Email\nAda,ada@x.org\n"}}));
    // Only the start of an unnamed file is looked at: a CSV whose first 64 KB are CSV is refused
    // whatever follows.
    std::string big = "Full_Name,Email\n";
    while (big.size() < 70 * 1024) big += "Someone,someone@x.org\n";
    for (int i = 0; i < 5000; ++i) big += "Ada <ada@x.org> <ada" + std::to_string(i) + "@old.org>\n";
    CHECK_FALSE(reads({ImportFile{"people.csv", big}}));

    // Through the door: a CSV of people is still read as ever; a .mailmap beside it is no bundle of one format.
    Session s;
    CHECK(s.previewImport("Full_Name,Email\nAda,ada@x.org\n", update)["format"] == "sei");
    const json mixed = s.previewImport(encodeBundle({{".mailmap", mm}, {"people.csv", "Full_Name,Email\nAda,ada@x.org\n"}}), update);
    CHECK(mixed["ok"] == false);
    bool unknown = false;
    for (const json& e : mixed["errors"]) unknown = unknown || e["code"] == "UNKNOWN_FORMAT";
    CHECK(unknown);
}

TEST_CASE("Mailmap import: two .mailmap files in one bundle are read in order as one", "[mailmap][import]") {
    const std::string a =
        "Ada Lovelace <ada@x.org> <ada@old.org>\n"
        "Bob <bob@x.org>\n";
    const std::string b =
        "# the second file\n"
        "Bob Builder <bob@x.org> <bob@old.org>\n"   // 2: Bob is already named by a.mailmap line 2
        "Eve <eve@x.org> <ada@old.org>\n"           // 3: taken by a.mailmap line 1
        "Eve <eve@x.org> <bob@x.org>\n";            // 4: ties Eve to Bob
    Session s;
    const std::string bundle = encodeBundle({{"a.mailmap", a}, {"b.mailmap", b}});
    const json plan = s.previewImport(bundle, update);
    INFO(describeWarnings(plan));
    REQUIRE(plan["ok"] == true);
    CHECK(plan["format"] == "mailmap");
    CHECK(plan["counts"]["added"] == 3);
    CHECK(plan["counts"]["aliases"] == 2);
    CHECK(plan["counts"]["suggestions"] == 1);
    const auto conflict = warningsOf(plan, "ALIAS_CONFLICT");
    REQUIRE(conflict.size() == 1);
    CHECK(conflict[0].first == 3);
    CHECK(conflict[0].second.rfind("b.mailmap: ", 0) == 0);          // the file named
    CHECK(conflict[0].second.find("line 1 of a.mailmap") != std::string::npos);
    const auto names = warningsOf(plan, "CONFLICTING_VALUES");
    REQUIRE(names.size() == 1);
    CHECK(names[0].first == 2);

    REQUIRE(s.applyImport(bundle, update)["applied"] == true);
    const json snap = s.snapshot();
    CHECK(snap["users"].size() == 3);
    CHECK(userByEmail(snap, "bob@x.org")["name"] == "Bob");
    CHECK(aliasesOf(userByEmail(snap, "bob@x.org")) == std::set<std::string>{"bob@old.org"});
    CHECK(aliasesOf(userByEmail(snap, "ada@x.org")) == std::set<std::string>{"ada@old.org"});
    const json sugg = s.suggestions();
    REQUIRE(sugg.size() == 1);
    CHECK(sugg[0]["reasons"][0] == "git .mailmap line 4 of b.mailmap maps <bob@x.org> to <eve@x.org>");
}

TEST_CASE("Mailmap import: a directory written as .mailmap and read into an empty one", "[mailmap][import]") {
    Session s;
    ok(s, {{"op", "addIntegration"}, {"name", "GitHub"}, {"kind", "scm"}});
    ok(s, {{"op", "addIntegration"}, {"name", "Jira"}, {"kind", "issues"}});
    const std::string ada = ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}})["id"];
    const std::string old = ok(s, {{"op", "addUser"}, {"name", "Ada L"}, {"email", "ada.old@y.org"}})["id"];
    ok(s, {{"op", "mergeUsers"}, {"into", ada}, {"from", {old}}});
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "ada@users.noreply.github.com"}});
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "adalovelace"}});    // not an address
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "Jira"}, {"accountId", "ada@jira.example"}});  // not source code
    const std::string bob = ok(s, {{"op", "addUser"}, {"name", ""}, {"email", "bob@x.org"}})["id"];
    ok(s, {{"op", "addIdentity"}, {"id", bob}, {"integration", "GitHub"}, {"accountId", "Bob@Laptop.local"}});
    ok(s, {{"op", "addUser"}, {"name", "Carol Jones"}, {"email", "carol@x.org"}});
    ok(s, {{"op", "addUser"}, {"name", ""}, {"email", "dan@x.org"}});   // no name, no other address: nothing to write

    const std::string mm = writeMailmap(s.dir);
    Session t;
    const json r = t.applyImport(mm, update);
    INFO(r.dump());
    REQUIRE(r["applied"] == true);
    CHECK(r["format"] == "mailmap");
    const json snap = t.snapshot();
    // Everyone the format holds: the named, and the nameless with another address (not dan@x.org).
    std::map<std::string, std::pair<std::string, std::set<std::string>>> got;
    for (const json& u : snap["users"]) got[u["email"].get<std::string>()] = {u["name"].get<std::string>(), aliasesOf(u)};
    const std::map<std::string, std::pair<std::string, std::set<std::string>>> want{
        {"ada@x.org", {"Ada Lovelace", {"ada.old@y.org", "ada@users.noreply.github.com"}}},   // email-like GitHub account: an alias now
        {"bob@x.org", {"", {"bob@laptop.local"}}},
        {"carol@x.org", {"Carol Jones", {}}},
    };
    CHECK(got == want);
    CHECK(snap["integrations"].empty());   // a .mailmap holds addresses, not accounts
    // And written again, the same file.
    CHECK(writeMailmap(t.dir) == mm);
}

TEST_CASE("Mailmap import: git check-mailmap maps the imported linux addresses to their person", "[mailmap][import][corpus]") {
    const std::string text = corpusOrWarn("mailmap/linux.mailmap");
    if (text.empty()) {
        SUCCEED("skipped");
        return;
    }
    if (!roster::test::haveGit()) {
        WARN("git is not installed: git check-mailmap not run");
        SUCCEED("skipped");
        return;
    }
    Session s;
    REQUIRE(s.applyImport(text, update)["applied"] == true);
    const std::string mm = writeMailmap(s.dir);
    const json snap = s.snapshot();
    // Every alias of every person (all 519 of them, in one git run), upper-cased every other time:
    // git compares emails case-insensitively.
    std::vector<std::string> addresses, expected;
    for (const json& u : snap["users"]) {
        const std::string name = u["name"], email = u["email"];
        for (const json& a : u["aliases"]) {
            std::string addr = a;
            if (addresses.size() % 2) addr = upper(addr);
            addresses.push_back(addr);
            expected.push_back((name.empty() ? "" : name + " ") + "<" + email + ">");
        }
    }
    REQUIRE(addresses.size() == 519);
    const std::vector<std::string> got = gitCheckMailmap(mm, addresses);
    REQUIRE(got.size() == addresses.size());
    size_t mapped = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        INFO(addresses[i]);
        CHECK(got[i] == expected[i]);
        mapped += got[i] == expected[i];
    }
    CHECK(mapped == addresses.size());
    // The people's own emails: the kernel's file names only the addresses commits carry (it has no
    // "Matthew Wilcox <willy@infradead.org>" line), the written one names every named person.
    CHECK(gitCheckMailmap(text, {"willy@infradead.org"}) == std::vector<std::string>{"<willy@infradead.org>"});
    CHECK(gitCheckMailmap(mm, {"willy@infradead.org"}) == std::vector<std::string>{"Matthew Wilcox <willy@infradead.org>"});
}

TEST_CASE("Mailmap import: SortingHat's mailmap test files, read as git reads them", "[mailmap][import][corpus]") {
    // mailmap_identities.txt. SortingHat (expected.json notes) reads a third "name <email>" pair on
    // the Jane Rae line and keeps one identity per (name, email), turning "Doe, J" into "Doe J".
    // Roster follows git: a line is a proper "Name <email>" and at most one other "[Name] <email>";
    // whatever follows is ignored (reported as MAILMAP_TEXT_IGNORED), and commit names are not kept
    // (an alias is an address). So the same three people (SortingHat's uuids j@doe.com,
    // jrae@nomail.net, jsmith@example.com), each with their one other address as an alias.
    {
        const std::string text = corpusOrWarn("sortinghat/mailmap_identities.txt");
        if (!text.empty()) {
            Session s;
            const json plan = s.previewImport(text, update);   // no name given: recognised by its lines
            INFO(describeWarnings(plan));
            REQUIRE(plan["ok"] == true);
            CHECK(plan["format"] == "mailmap");
            const auto ignored = warningsOf(plan, "MAILMAP_TEXT_IGNORED");
            REQUIRE(ignored.size() == 1);
            CHECK(ignored[0].first == 4);
            CHECK(ignored[0].second.find("Jane <jrae@example.net>") != std::string::npos);
            CHECK(plan["warnings"].size() == 1);   // line 7 repeats line 6's alias under another commit name: nothing
            REQUIRE(s.applyImport(text, update)["applied"] == true);
            const json snap = s.snapshot();
            CHECK(snap["users"].size() == 3);
            CHECK(userByEmail(snap, "jrae@nomail.net")["name"] == "Jane Rae");
            CHECK(aliasesOf(userByEmail(snap, "jrae@nomail.net")) == std::set<std::string>{"jrae@example.net"});
            CHECK(aliasesOf(userByEmail(snap, "jsmith@example.com")) == std::set<std::string>{"jsmith@example.net"});
            CHECK(aliasesOf(userByEmail(snap, "j@doe.com")) == std::set<std::string>{"jdoe@example.net"});
            CHECK(userByEmail(snap, "j@doe.com")["name"] == "John Doe");
        } else {
            SUCCEED("skipped");
        }
    }
    // mailmap_invalid.txt: "Jane Rae <jrae@nomail.net> This is an invalid identity >". SortingHat
    // refuses the file (InvalidFormatError); git reads the line as the name line "Jane Rae
    // <jrae@nomail.net>" and ignores the rest. Roster does as git and says which text it ignored,
    // naming the line.
    {
        const std::string text = corpusOrWarn("sortinghat/mailmap_invalid.txt");
        if (!text.empty()) {
            Session s;
            const json plan = s.previewImport(text, update);
            INFO(describeWarnings(plan));
            REQUIRE(plan["ok"] == true);
            CHECK(plan["format"] == "mailmap");
            const auto ignored = warningsOf(plan, "MAILMAP_TEXT_IGNORED");
            REQUIRE(ignored.size() == 1);
            CHECK(ignored[0].first == 4);
            CHECK(ignored[0].second.find("This is an invalid identity >") != std::string::npos);
            REQUIRE(s.applyImport(text, update)["applied"] == true);
            const json snap = s.snapshot();
            REQUIRE(snap["users"].size() == 1);
            CHECK(snap["users"][0]["name"] == "Jane Rae");
            CHECK(snap["users"][0]["email"] == "jrae@nomail.net");
            CHECK(snap["users"][0]["aliases"].empty());
        } else {
            SUCCEED("skipped");
        }
    }
}

TEST_CASE("Mailmap import: a proper email that is already an alias", "[mailmap][import]") {
    Session s;
    const std::string ada = ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}})["id"];
    const std::string old = ok(s, {{"op", "addUser"}, {"name", "Ada L"}, {"email", "ada.old@y.org"}})["id"];
    ok(s, {{"op", "mergeUsers"}, {"into", ada}, {"from", {old}}});
    const json before = s.snapshot();
    const std::string mm =
        "Ada Old <ada.old@y.org>\n"
        "Ada Old <ada.old@y.org> <ada@laptop.local>\n"
        "Ada Lovelace <ada@x.org> <ADA.OLD@y.org>\n";
    const json plan = s.previewImport(mm, update);
    INFO(plan.dump());
    CHECK(plan["counts"]["added"] == 0);
    CHECK(plan["counts"]["updated"] == 0);
    CHECK(plan["counts"]["aliases"] == 1);
    CHECK(plan["counts"]["suggestions"] == 0);
    CHECK(plan["warnings"].empty());
    REQUIRE(s.applyImport(mm, update)["applied"] == true);
    const json A = userByEmail(s.snapshot(), "ada@x.org");
    CHECK(A["name"] == "Ada Lovelace");
    CHECK(aliasesOf(A) == std::set<std::string>{"ada.old@y.org", "ada@laptop.local"});
    CHECK(s.snapshot()["users"].size() == 1);
}

TEST_CASE("Mailmap import: replace mode never renames either", "[mailmap][import]") {
    Session s;
    ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}});
    ok(s, {{"op", "addUser"}, {"name", ""}, {"email", "bob@x.org"}});
    ok(s, {{"op", "addUser"}, {"name", "Carol"}, {"email", "carol@x.org"}});
    const std::string mm =
        "Ada Byron <ada@x.org> <ada@old.org>\n"
        "Bob Named <bob@x.org>\n";
    const json plan = s.previewImport(mm, json{{"mode", "replace"}});
    INFO(plan.dump());
    REQUIRE(plan["ok"] == true);
    CHECK(plan["counts"]["updated"] == 1);   // Bob named; Ada kept as she is
    CHECK(plan["counts"]["removed"] == 1);   // replace: Carol is not in the file
    REQUIRE(s.applyImport(mm, json{{"mode", "replace"}})["applied"] == true);
    const json snap = s.snapshot();
    CHECK(userByEmail(snap, "ada@x.org")["name"] == "Ada Lovelace");
    CHECK(aliasesOf(userByEmail(snap, "ada@x.org")) == std::set<std::string>{"ada@old.org"});
    CHECK(userByEmail(snap, "bob@x.org")["name"] == "Bob Named");
    CHECK(userByEmail(snap, "carol@x.org").is_null());
}
