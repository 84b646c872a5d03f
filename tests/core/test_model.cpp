// Model, commands, undo/redo and validation.
#include <catch2/catch.hpp>

#include "commands.h"
#include "session.h"
#include "text.h"

using namespace roster;

static uint32_t addUser(Session& s, const std::string& name, const std::string& email) {
    auto r = s.command({{"op", "addUser"}, {"name", name}, {"email", email}});
    REQUIRE(r["ok"] == true);
    uint32_t id = 0;
    REQUIRE(parseUserId(r["id"].get<std::string>(), id));
    return id;
}

TEST_CASE("email validation", "[model]") {
    CHECK(isValidEmail("ada@example.com"));
    CHECK(isValidEmail("Ada.Lovelace+tag@Sub.Example.co.uk"));
    CHECK(isValidEmail("12345+adalove@users.noreply.github.com"));
    CHECK_FALSE(isValidEmail(""));
    CHECK_FALSE(isValidEmail("nope"));
    CHECK_FALSE(isValidEmail("a@b"));
    CHECK_FALSE(isValidEmail("a b@example.com"));
    CHECK_FALSE(isValidEmail("a@@example.com"));
    CHECK_FALSE(isValidEmail("@example.com"));
    CHECK_FALSE(isValidEmail("a@-example.com"));
    CHECK_FALSE(isValidEmail("a..b@example.com"));
    CHECK_FALSE(isValidEmail("a@example..com"));
}

TEST_CASE("addUser assigns increasing ids and keeps the email as typed", "[commands]") {
    Session s;
    uint32_t a = addUser(s, "Ada Lovelace", "Ada@Example.com");
    uint32_t b = addUser(s, "Grace Hopper", "grace@example.com");
    CHECK(b > a);
    CHECK(s.dir.userCount() == 2);
    auto snap = s.snapshot();
    REQUIRE(snap["users"].size() == 2);
    CHECK(snap["users"][0]["email"] == "Ada@Example.com");
    CHECK(snap["users"][0]["id"] == "u" + std::to_string(a));
    CHECK(s.dir.findEmail("ada@example.COM") == s.dir.slotOfId(a));
}

TEST_CASE("invalid and duplicate emails are refused and change nothing", "[commands]") {
    Session s;
    addUser(s, "Ada", "ada@example.com");
    uint64_t rev = s.dir.revision();
    auto r = s.command({{"op", "addUser"}, {"name", "X"}, {"email", "not-an-email"}});
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "INVALID_EMAIL");
    r = s.command({{"op", "addUser"}, {"name", "Ada 2"}, {"email", "  ADA@example.com "}});
    CHECK(r["error"]["code"] == "DUPLICATE_EMAIL");
    CHECK(s.dir.userCount() == 1);
    CHECK(s.history.undoDepth() == 1);
    CHECK(s.dir.revision() >= rev);
    CHECK(s.snapshot()["users"].size() == 1);
}

TEST_CASE("unknown ops and bad fields answer coded errors", "[commands]") {
    Session s;
    CHECK(s.command({{"op", "frobnicate"}})["error"]["code"] == "UNKNOWN_OP");
    CHECK(s.command(json::array())["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command({{"op", "addUser"}, {"name", 12}, {"email", "a@b.co"}})["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command({{"op", "addUser"}, {"name", "A"}})["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command({{"op", "updateUser"}, {"id", "u999"}, {"name", "x"}})["error"]["code"] == "NOT_FOUND");
    CHECK(s.command({{"op", "updateUser"}, {"id", "bogus"}, {"name", "x"}})["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command({{"op", "removeUsers"}, {"ids", json::array()}})["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(s.command({{"op", "removeUsers"}, {"ids", {"u5"}}})["error"]["code"] == "NOT_FOUND");
    CHECK(s.dir.userCount() == 0);
    CHECK_FALSE(s.history.canUndo());
}

TEST_CASE("updateUser changes name and email, undo and redo restore exactly", "[commands]") {
    Session s;
    uint32_t a = addUser(s, "Ada", "ada@example.com");
    addUser(s, "Grace", "grace@example.com");
    auto r = s.command({{"op", "updateUser"}, {"id", "u" + std::to_string(a)}, {"name", "Ada Lovelace"}, {"email", "ada.l@example.com"}});
    REQUIRE(r["ok"] == true);
    uint32_t slot = s.dir.slotOfId(a);
    CHECK(s.dir.userName(slot) == "Ada Lovelace");
    CHECK(s.dir.findEmail("ada@example.com") == kNone);
    CHECK(s.dir.findEmail("ADA.L@example.com") == slot);
    // Taking another person's email is refused.
    r = s.command({{"op", "updateUser"}, {"id", "u" + std::to_string(a)}, {"email", "Grace@example.com"}});
    CHECK(r["error"]["code"] == "DUPLICATE_EMAIL");
    // Changing only the case of one's own email is fine.
    r = s.command({{"op", "updateUser"}, {"id", "u" + std::to_string(a)}, {"email", "Ada.L@example.com"}});
    CHECK(r["ok"] == true);
    REQUIRE(s.undo());
    REQUIRE(s.undo());
    CHECK(s.dir.userName(slot) == "Ada");
    CHECK(s.dir.userEmail(slot) == "ada@example.com");
    CHECK(s.dir.findEmail("ada@example.com") == slot);
    CHECK(s.dir.findEmail("ada.l@example.com") == kNone);
    REQUIRE(s.redo());
    CHECK(s.dir.userName(slot) == "Ada Lovelace");
    CHECK(s.dir.findEmail("ada.l@example.com") == slot);
}

TEST_CASE("removeUsers, undo brings users back with their ids, redo removes them again", "[commands]") {
    Session s;
    uint32_t a = addUser(s, "A", "a@example.com");
    uint32_t b = addUser(s, "B", "b@example.com");
    uint32_t c = addUser(s, "C", "c@example.com");
    auto r = s.command({{"op", "removeUsers"}, {"ids", {"u" + std::to_string(a), "u" + std::to_string(c)}}});
    REQUIRE(r["ok"] == true);
    CHECK(s.dir.userCount() == 1);
    CHECK(s.snapshot()["users"][0]["id"] == "u" + std::to_string(b));
    // The email of a removed user is free again.
    uint32_t d = addUser(s, "A again", "A@example.com");
    CHECK(d > c);   // ids are never reused
    REQUIRE(s.undo());   // undo the add
    REQUIRE(s.undo());   // undo the removal
    auto snap = s.snapshot();
    REQUIRE(snap["users"].size() == 3);
    CHECK(snap["users"][0]["id"] == "u" + std::to_string(a));
    CHECK(snap["users"][2]["id"] == "u" + std::to_string(c));
    CHECK(s.dir.findEmail("a@example.com") == s.dir.slotOfId(a));
    REQUIRE(s.redo());
    CHECK(s.dir.userCount() == 1);
    CHECK_FALSE(s.undo() == false);
}

TEST_CASE("a new command clears the redo stack, undo at the bottom answers false", "[history]") {
    Session s;
    CHECK_FALSE(s.undo());
    CHECK_FALSE(s.redo());
    addUser(s, "A", "a@example.com");
    REQUIRE(s.undo());
    CHECK(s.history.canRedo());
    addUser(s, "B", "b@example.com");
    CHECK_FALSE(s.history.canRedo());
    CHECK_FALSE(s.redo());
}

TEST_CASE("history is bounded by steps", "[history]") {
    Session s;
    s.history.maxSteps = 5;
    for (int i = 0; i < 12; ++i) addUser(s, "U", "u" + std::to_string(i) + "@example.com");
    int undone = 0;
    while (s.undo()) ++undone;
    CHECK(undone == 5);
    CHECK(s.dir.userCount() == 7);
}

TEST_CASE("a removed user's accounts become unassigned, undo gives them back", "[commands]") {
    Session s;
    uint32_t a = addUser(s, "A", "a@example.com");
    Directory& d = s.dir;
    // Build an account through a Tx as import will.
    struct AddAccount : Command {
        uint32_t slot;
        explicit AddAccount(uint32_t sl) : slot(sl) {}
        std::string label() const override { return "add account"; }
        CmdResult apply(Tx& tx) override {
            uint32_t integ = tx.createIntegration("GitHub", IntegKind::Scm);
            tx.createIdentity(integ, "ada-gh", "Ada", slot);
            return {};
        }
    } add(d.slotOfId(a));
    REQUIRE(s.execute(add).ok);
    CHECK(s.snapshot()["users"][0]["identities"].size() == 1);
    REQUIRE(s.command({{"op", "removeUsers"}, {"ids", {"u" + std::to_string(a)}}})["ok"] == true);
    auto snap = s.snapshot();
    REQUIRE(snap["unassigned"].size() == 1);
    CHECK(snap["unassigned"][0]["accountId"] == "ada-gh");
    CHECK(snap["unassigned"][0]["integration"] == "GitHub");
    REQUIRE(s.undo());
    snap = s.snapshot();
    CHECK(snap["unassigned"].size() == 0);
    CHECK(snap["users"][0]["identities"][0]["accountId"] == "ada-gh");
    CHECK(d.findIdentity(d.findIntegration("github"), "ADA-GH") != kNone);
}

TEST_CASE("string pool stores many strings without moving earlier ones", "[model]") {
    StringPool p;
    std::vector<Str> refs;
    for (int i = 0; i < 200000; ++i) refs.push_back(p.add("value-" + std::to_string(i) + std::string(size_t(i % 50), 'x')));
    for (int i = 0; i < 200000; i += 997)
        CHECK(p.get(refs[size_t(i)]) == "value-" + std::to_string(i) + std::string(size_t(i % 50), 'x'));
}

TEST_CASE("a hundred thousand users: lookups by email and id stay exact", "[model]") {
    Session s;
    struct Bulk : Command {
        std::string label() const override { return "bulk"; }
        CmdResult apply(Tx& tx) override {
            for (int i = 0; i < 100000; ++i) tx.createUser("User " + std::to_string(i), "user" + std::to_string(i) + "@example.com");
            return {};
        }
    } bulk;
    REQUIRE(s.execute(bulk).ok);
    CHECK(s.dir.userCount() == 100000);
    for (int i = 0; i < 100000; i += 4999) {
        uint32_t slot = s.dir.findEmail("USER" + std::to_string(i) + "@example.com");
        REQUIRE(slot != kNone);
        CHECK(s.dir.userName(slot) == "User " + std::to_string(i));
        CHECK(s.dir.slotOfId(s.dir.userId(slot)) == slot);
    }
    REQUIRE(s.undo());
    CHECK(s.dir.userCount() == 0);
    CHECK(s.dir.findEmail("user5@example.com") == kNone);
}
