// git's .mailmap: the reader against git's own rules and the real files in ../shared/corpus/mailmap,
// the writer checked by git itself (`git check-mailmap`).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "git_test_util.h"
#include "mailmap.h"
#include "session_test_util.h"
#include "text.h"

using namespace roster;
using roster::test::ok;
using roster::test::run;
using roster::test::shellQuote;
namespace fs = std::filesystem;

namespace {

std::string corpusFile(const std::string& rel) {
    fs::path p = fs::path(ROSTER_SOURCE_DIR) / ".." / "shared" / "corpus" / rel;
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("Mailmap reader: the four forms of a line, comments and ignored lines", "[mailmap]") {
    const std::string text =
        "# a comment <not@an.entry>\n"
        "Proper Name <proper@x.org>\n"
        "<proper2@x.org> <commit2@x.org>\n"
        "Proper Three <p3@x.org> <c3@x.org>   # trailing words are ignored\n"
        "Proper Four <p4@x.org> Commit Four <c4@x.org>\r\n"
        "\n"
        "no email on this line\n"
        "Empty <>\n";
    MailmapParse p = parseMailmap(text);
    REQUIRE(p.entries.size() == 4);
    CHECK(p.comments == 1);
    CHECK(p.entries[0].properName == "Proper Name");
    CHECK(p.entries[0].properEmail == "proper@x.org");
    CHECK(p.entries[0].commitEmail.empty());
    CHECK(p.entries[0].line == 2);
    CHECK(p.entries[1].properName.empty());
    CHECK(p.entries[1].properEmail == "proper2@x.org");
    CHECK(p.entries[1].commitEmail == "commit2@x.org");
    CHECK(p.entries[2].properName == "Proper Three");
    CHECK(p.entries[2].commitEmail == "c3@x.org");
    CHECK(p.entries[2].commitName.empty());
    CHECK(p.entries[3].commitName == "Commit Four");
    CHECK(p.entries[3].commitEmail == "c4@x.org");
    REQUIRE(p.warnings.size() == 2);
    CHECK(p.warnings[0].code == "MAILMAP_LINE_IGNORED");
    CHECK(p.warnings[0].line == 7);
    CHECK(p.warnings[1].line == 8);
    CHECK(looksLikeMailmap(text));
    CHECK_FALSE(looksLikeMailmap("Full_Name,Email\nAda,<ada@x.org>\n"));
    CHECK_FALSE(looksLikeMailmap("{\"uidentities\": []}"));
}

TEST_CASE("Mailmap reader: the linux and git .mailmap files of the corpus", "[mailmap][corpus]") {
    for (const char* name : {"mailmap/linux.mailmap", "mailmap/git.mailmap"}) {
        const std::string text = corpusFile(name);
        if (text.empty()) {
            WARN("../shared/corpus/" << name << " is absent: skipped");
            continue;
        }
        INFO(name);
        MailmapParse p = parseMailmap(text);
        CHECK(looksLikeMailmap(text));
        CHECK(p.warnings.empty());
        // Every non-comment, non-blank line is an entry (git reads them all).
        size_t expected = 0;
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);)
            if (!l.empty() && l[0] != '#' && l.find_first_not_of(" \t\r") != std::string::npos) ++expected;
        CHECK(p.entries.size() == expected);
        std::set<std::string> proper;
        for (const MailmapEntry& e : p.entries) proper.insert(toLowerAscii(e.properEmail));
        // The people git knows by their proper email (PROVENANCE.md / expected.json: 445 and 219).
        CHECK(proper.size() == (std::string(name) == "mailmap/linux.mailmap" ? 445u : 219u));
    }
}

TEST_CASE("Mailmap writer: sorted lines, git check-mailmap maps every other address to its person", "[mailmap]") {
    Session s;
    ok(s, {{"op", "addIntegration"}, {"name", "GitHub"}, {"kind", "scm"}});
    ok(s, {{"op", "addIntegration"}, {"name", "Jira"}, {"kind", "issues"}});
    const std::string ada = ok(s, {{"op", "addUser"}, {"name", "Ada Lovelace"}, {"email", "ada@x.org"}})["id"];
    const std::string old = ok(s, {{"op", "addUser"}, {"name", "Ada L"}, {"email", "ada.old@y.org"}})["id"];
    ok(s, {{"op", "mergeUsers"}, {"into", ada}, {"from", {old}}});   // ada.old@y.org becomes Ada's alias
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "ada@users.noreply.github.com"}});
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "GitHub"}, {"accountId", "adalovelace"}});    // not an address
    ok(s, {{"op", "addIdentity"}, {"id", ada}, {"integration", "Jira"}, {"accountId", "ada@jira.example"}});  // not scm
    const std::string bob = ok(s, {{"op", "addUser"}, {"name", ""}, {"email", "bob@x.org"}})["id"];
    ok(s, {{"op", "addIdentity"}, {"id", bob}, {"integration", "GitHub"}, {"accountId", "Bob@Laptop.local"}});
    ok(s, {{"op", "addIdentity"}, {"id", bob}, {"integration", "GitHub"}, {"accountId", "BOB@x.org"}});   // his own email again
    ok(s, {{"op", "addUser"}, {"name", "Carol <admin>"}, {"email", "carol@x.org"}});                    // a name a .mailmap cannot hold

    MailmapWriteStats st;
    const std::string mm = writeMailmap(s.dir, &st);
    const std::string body = mm.substr(mm.find("\n<") + 1);   // after the two comment lines
    CHECK(body ==
          "<bob@x.org> <Bob@Laptop.local>\n"
          "Ada Lovelace <ada@x.org>\n"
          "Ada Lovelace <ada@x.org> <ada.old@y.org>\n"
          "Ada Lovelace <ada@x.org> <ada@users.noreply.github.com>\n");
    CHECK(st.people == 2);
    CHECK(st.lines == 4);
    CHECK(st.skipped == 1);

    if (!roster::test::haveGit()) {
        WARN("git is not installed: git check-mailmap not run");
        return;
    }
    const fs::path dir = fs::temp_directory_path() / ("roster-mailmap-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    { std::ofstream(dir / "mm") << mm; }
    REQUIRE(run("git init -q " + shellQuote(dir.string()) + " 2>&1").empty());
    auto check = [&](const std::string& addr) {
        return run("git -C " + shellQuote(dir.string()) + " -c mailmap.file=" + shellQuote((dir / "mm").string()) + " check-mailmap " +
                   shellQuote("<" + addr + ">") + " 2>&1");
    };
    CHECK(check("ada.old@y.org") == "Ada Lovelace <ada@x.org>\n");
    CHECK(check("ADA.OLD@Y.ORG") == "Ada Lovelace <ada@x.org>\n");   // git compares emails case-insensitively
    CHECK(check("ada@users.noreply.github.com") == "Ada Lovelace <ada@x.org>\n");
    CHECK(check("bob@laptop.local") == "<bob@x.org>\n");
    CHECK(check("ada@jira.example") == "<ada@jira.example>\n");       // not mapped: not a source-code account
    CHECK(check("nobody@x.org") == "<nobody@x.org>\n");
    fs::remove_all(dir);
}
