#include <set>
#include <map>
// The org-unit filter evaluator: every operator on every type, nesting, case rules, blanks,
// aliases, and INVALID_FILTER for what does not parse.
#include <catch2/catch.hpp>

#include <chrono>

#include "orgunits.h"
#include "filter.h"
#include "normalize.h"
#include "session.h"

using namespace roster;

namespace {

// Gives a user an alias email (no op of this feature does that; mergeUsers belongs to collation).
class AddAliasCmd : public Command {
public:
    AddAliasCmd(uint32_t slot, std::string email) : slot_(slot), email_(std::move(email)) {}
    std::string label() const override { return "alias"; }
    CmdResult apply(Tx& tx) override { tx.createAlias(email_, slot_); return {}; }
private:
    uint32_t slot_;
    std::string email_;
};

struct Fixture {
    Session s;
    std::vector<std::string> ids;
    Fixture() {
        ok(s.command({{"op", "addAttribute"}, {"key", "Team"}, {"type", "text"}}));
        ok(s.command({{"op", "addAttribute"}, {"key", "level"}, {"type", "number"}}));
        ok(s.command({{"op", "addAttribute"}, {"key", "start"}, {"type", "date"}}));
        ok(s.command({{"op", "addAttribute"}, {"key", "active"}, {"type", "boolean"}}));
        ok(s.command({{"op", "addAttribute"}, {"key", "manager"}, {"label", "Manager"}, {"type", "email"}}));
        add("Ada Lovelace", "ada@example.com", "Platform", "3", "2020-01-15", "true", "grace@example.com");
        add("Grace Hopper", "Grace@Example.com", "platform core", "10", "2019-12-31", "false", "");
        add("Linus Torvalds", "linus@kernel.org", "", "", "", "", "nobody@example.com");
        add("Émile Zola", "emile@example.fr", "ÉDITION", "2.50", "2021-06-01", "yes", "ada@example.com");
        AddAliasCmd alias(s.dir.slotOfId(1), "ada.old@legacy.example.com");
        REQUIRE(s.execute(alias).ok);
    }
    static void ok(const json& r) { INFO(r.dump()); REQUIRE(r["ok"] == true); }
    void add(const std::string& name, const std::string& email, const std::string& team, const std::string& level,
             const std::string& start, const std::string& active, const std::string& manager) {
        auto r = s.command({{"op", "addUser"}, {"name", name}, {"email", email}});
        ok(r);
        std::string id = r["id"];
        ids.push_back(id);
        auto set = [&](const char* k, const std::string& v) {
            if (!v.empty()) ok(s.command({{"op", "setAttribute"}, {"ids", {id}}, {"key", k}, {"value", v}}));
        };
        set("team", team);
        set("level", level);
        set("start", start);
        set("active", active);
        set("manager", manager);
    }
    // Names of the matching users, in directory order.
    std::vector<std::string> q(const json& f) {
        json r = s.query(f);
        INFO(f.dump() << " -> " << r.dump());
        REQUIRE(r["ok"] == true);
        std::vector<std::string> names;
        for (auto& id : r["ids"]) {
            uint32_t n;
            REQUIRE(parseUserId(id.get<std::string>(), n));
            std::string name(s.dir.userName(s.dir.slotOfId(n)));
            name = name.substr(0, name.find(' '));
            names.push_back(name == "Émile" ? "Émi" : name.substr(0, 3));
        }
        return names;
    }
    std::vector<std::string> c(const std::string& key, const std::string& op, const std::string& value = "") {
        return q({{"attribute", key}, {"op", op}, {"value", value}});
    }
    std::string err(const json& f) {
        json r = s.query(f);
        return r["ok"] == false ? r["error"]["code"].get<std::string>() : "ok";
    }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("text operators ignore case and trim", "[filter]") {
    Fixture f;
    CHECK(f.c("team", "equals", "platform") == V{"Ada"});
    CHECK(f.c("team", "equals", "  PLATFORM ") == V{"Ada"});
    CHECK(f.c("team", "notEquals", "platform") == V{"Gra", "Lin", "Émi"});   // blanks match notEquals
    CHECK(f.c("team", "contains", "FORM") == V{"Ada", "Gra"});
    CHECK(f.c("team", "beginsWith", "plat") == V{"Ada", "Gra"});
    CHECK(f.c("team", "endsWith", "CORE") == V{"Gra"});
    CHECK(f.c("team", "isEmpty") == V{"Lin"});
    CHECK(f.c("team", "gt", "p") == V{"Ada", "Gra", "Émi"});   // text order; blank never matches
    CHECK(f.c("team", "lt", "q") == V{"Ada", "Gra"});
    CHECK(f.c("team", "gte", "platform") == V{"Ada", "Gra", "Émi"});
    CHECK(f.c("team", "lte", "platform") == V{"Ada"});
    // Non-ASCII letters compare case-insensitively too.
    CHECK(f.c("team", "equals", "édition") == V{"Émi"});
    CHECK(f.c("team", "contains", "diti") == V{"Émi"});
    CHECK(f.c("name", "beginsWith", "émile") == V{"Émi"});
    CHECK(f.c("name", "contains", "LOVE") == V{"Ada"});
    CHECK(f.c("name", "endsWith", "hopper") == V{"Gra"});
    CHECK(f.c("name", "isEmpty").empty());
    // An empty needle: contains/beginsWith match everyone, equals matches blanks.
    CHECK(f.c("team", "contains", "").size() == 4);
    CHECK(f.c("team", "equals", "") == V{"Lin"});
}

TEST_CASE("numbers compare as numbers, blanks and unparsable values never match gt..lte", "[filter]") {
    Fixture f;
    CHECK(f.c("level", "gt", "3") == V{"Gra"});            // 10 > 3 (not "10" < "3")
    CHECK(f.c("level", "gte", "3") == V{"Ada", "Gra"});
    CHECK(f.c("level", "lt", "3") == V{"Émi"});            // blank Linus never matches
    CHECK(f.c("level", "lte", "3.0") == V{"Ada", "Émi"});
    CHECK(f.c("level", "equals", "2.5") == V{"Émi"});      // "2.50" == 2.5
    CHECK(f.c("level", "equals", "3e0") == V{"Ada"});
    CHECK(f.c("level", "notEquals", "3") == V{"Gra", "Lin", "Émi"});
    CHECK(f.c("level", "isEmpty") == V{"Lin"});
    CHECK(f.c("level", "contains", "0") == V{"Gra", "Émi"});
    CHECK(f.c("level", "beginsWith", "1") == V{"Gra"});
    CHECK(f.c("level", "gt", "-1e3") == V{"Ada", "Gra", "Émi"});
    CHECK(f.err({{"attribute", "level"}, {"op", "gt"}, {"value", "ten"}}) == "INVALID_FILTER");
    // A JSON number as value is accepted.
    CHECK(f.q({{"attribute", "level"}, {"op", "gte"}, {"value", 10}}) == V{"Gra"});
    // Numbers in a text attribute compare as numbers when the filter value is a number.
    Fixture g;
    REQUIRE(g.s.command({{"op", "addAttribute"}, {"key", "floor"}, {"type", "text"}})["ok"] == true);
    REQUIRE(g.s.command({{"op", "setAttribute"}, {"ids", {g.ids[0]}}, {"key", "floor"}, {"value", "9"}})["ok"] == true);
    REQUIRE(g.s.command({{"op", "setAttribute"}, {"ids", {g.ids[1]}}, {"key", "floor"}, {"value", "12"}})["ok"] == true);
    REQUIRE(g.s.command({{"op", "setAttribute"}, {"ids", {g.ids[2]}}, {"key", "floor"}, {"value", "roof"}})["ok"] == true);
    CHECK(g.c("floor", "gt", "10") == V{"Gra"});
    CHECK(g.c("floor", "lt", "10") == V{"Ada"});   // "roof" is unparsable: never matches
}

TEST_CASE("dates compare as dates", "[filter]") {
    Fixture f;
    CHECK(f.c("start", "gt", "2020-01-01") == V{"Ada", "Émi"});
    CHECK(f.c("start", "gte", "2020/01/15") == V{"Ada", "Émi"});
    CHECK(f.c("start", "lt", "2020-01-15") == V{"Gra"});
    CHECK(f.c("start", "lte", "2020-01-15") == V{"Ada", "Gra"});
    CHECK(f.c("start", "equals", "2019/12/31") == V{"Gra"});
    CHECK(f.c("start", "notEquals", "2019-12-31") == V{"Ada", "Lin", "Émi"});
    CHECK(f.c("start", "beginsWith", "2020") == V{"Ada"});
    CHECK(f.c("start", "endsWith", "-01") == V{"Émi"});
    CHECK(f.c("start", "isEmpty") == V{"Lin"});
    CHECK(f.err({{"attribute", "start"}, {"op", "lt"}, {"value", "yesterday"}}) == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "start"}, {"op", "lt"}, {"value", "2020-02-30"}}) == "INVALID_FILTER");
    // A date-looking filter value on the name compares dates (and names never parse).
    CHECK(f.c("name", "gt", "2000-01-01").empty());
}

TEST_CASE("booleans compare normalised", "[filter]") {
    Fixture f;
    CHECK(f.c("active", "equals", "true") == V{"Ada", "Émi"});   // "yes" was stored as true
    CHECK(f.c("active", "equals", "YES") == V{"Ada", "Émi"});
    CHECK(f.c("active", "equals", "0") == V{"Gra"});
    CHECK(f.c("active", "notEquals", "true") == V{"Gra", "Lin"});
    CHECK(f.c("active", "isEmpty") == V{"Lin"});
    CHECK(f.c("active", "contains", "RU") == V{"Ada", "Émi"});
    CHECK(f.c("active", "beginsWith", "f") == V{"Gra"});
    CHECK(f.c("active", "endsWith", "e") == V{"Ada", "Gra", "Émi"});
    CHECK(f.c("active", "gt", "false") == V{"Ada", "Émi"});
    CHECK(f.c("active", "gte", "false").size() == 3);
    CHECK(f.c("active", "lt", "true") == V{"Gra"});
    CHECK(f.c("active", "lte", "true").size() == 3);
}

TEST_CASE("email attributes and the email key (with aliases)", "[filter]") {
    Fixture f;
    CHECK(f.c("manager", "equals", "GRACE@example.com") == V{"Ada"});
    CHECK(f.c("manager", "notEquals", "grace@example.com") == V{"Gra", "Lin", "Émi"});
    CHECK(f.c("manager", "endsWith", "@EXAMPLE.COM") == V{"Ada", "Lin", "Émi"});
    CHECK(f.c("manager", "isEmpty") == V{"Gra"});
    CHECK(f.c("manager", "beginsWith", "no") == V{"Lin"});
    CHECK(f.c("manager", "contains", "ada") == V{"Émi"});
    CHECK(f.c("manager", "gt", "m") == V{"Lin"});
    CHECK(f.c("manager", "gte", "ada@example.com") == V{"Ada", "Lin", "Émi"});
    CHECK(f.c("manager", "lt", "b") == V{"Émi"});
    CHECK(f.c("manager", "lte", "grace@example.com") == V{"Ada", "Émi"});
    // The email key: primary, case-insensitive, and aliases.
    CHECK(f.c("email", "equals", "grace@example.com") == V{"Gra"});
    CHECK(f.c("EMAIL", "equals", "Ada.Old@legacy.example.com") == V{"Ada"});
    CHECK(f.c("email", "notEquals", "ada.old@legacy.example.com") == V{"Gra", "Lin", "Émi"});
    CHECK(f.c("email", "endsWith", "legacy.example.com") == V{"Ada"});
    CHECK(f.c("email", "contains", "@example.") == V{"Ada", "Gra", "Émi"});
    CHECK(f.c("email", "beginsWith", "ada.") == V{"Ada"});
    CHECK(f.c("email", "isEmpty").empty());
    CHECK(f.c("email", "gt", "h") == V{"Lin"});
    CHECK(f.c("email", "gte", "grace@example.com") == V{"Gra", "Lin"});
    CHECK(f.c("email", "lt", "b") == V{"Ada"});
    CHECK(f.c("email", "lte", "ada@example.com") == V{"Ada"});
    // Aliases follow undo: the alias is gone after undoing it.
    REQUIRE(f.s.undo());
    CHECK(f.c("email", "equals", "ada.old@legacy.example.com").empty());
}

TEST_CASE("all / any / not nest to any depth", "[filter]") {
    Fixture f;
    json platform = {{"attribute", "team"}, {"op", "contains"}, {"value", "platform"}};
    json senior = {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}};
    CHECK(f.q({{"all", {platform, senior}}}) == V{"Gra"});
    CHECK(f.q({{"any", {platform, senior}}}) == V{"Ada", "Gra"});
    CHECK(f.q({{"not", {{"any", {platform, senior}}}}}) == V{"Lin", "Émi"});
    CHECK(f.q({{"all", {platform, {{"not", senior}}}}}) == V{"Ada"});
    CHECK(f.q({{"all", json::array()}}).size() == 4);
    CHECK(f.q({{"any", json::array()}}).empty());
    CHECK(f.q({{"not", {{"not", platform}}}}) == V{"Ada", "Gra"});
    // Deep nesting: 180 levels of alternating all/not.
    json deep = platform;
    for (int i = 0; i < 120; ++i) deep = i % 2 ? json{{"all", json::array({deep})}} : json{{"not", {{"not", deep}}}};
    CHECK(f.q(deep) == V{"Ada", "Gra"});
    // Too deep is refused, not a crash.
    json tooDeep = platform;
    for (int i = 0; i < kMaxFilterDepth + 5; ++i) tooDeep = json{{"all", json::array({tooDeep})}};
    CHECK(f.err(tooDeep) == "INVALID_FILTER");
}

TEST_CASE("malformed filters answer INVALID_FILTER", "[filter]") {
    Fixture f;
    CHECK(f.err({{"attribute", "shoe_size"}, {"op", "equals"}, {"value", "9"}}) == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "team"}, {"op", "like"}, {"value", "x"}}) == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "team"}, {"op", "EQUALS"}, {"value", "x"}}) == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "team"}, {"value", "x"}}) == "INVALID_FILTER");
    CHECK(f.err({{"op", "equals"}, {"value", "x"}}) == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "team"}, {"op", "equals"}}) == "INVALID_FILTER");   // value missing
    CHECK(f.err({{"attribute", 3}, {"op", "equals"}, {"value", "x"}}) == "INVALID_FILTER");
    CHECK(f.err({{"all", "nope"}}) == "INVALID_FILTER");
    CHECK(f.err({{"all", json::array()}, {"any", json::array()}}) == "INVALID_FILTER");
    CHECK(f.err({{"all", json::array({{{"attribute", "team"}, {"op", "bogus"}, {"value", "x"}}})}}) == "INVALID_FILTER");
    CHECK(f.err(json::object()) == "INVALID_FILTER");
    CHECK(f.err(json::array()) == "INVALID_FILTER");
    CHECK(f.err(nullptr) == "INVALID_FILTER");
    CHECK(f.err("team = x") == "INVALID_FILTER");
    CHECK(f.err({{"attribute", "team"}, {"op", "isEmpty"}}) == "ok");   // isEmpty needs no value
    // The message says where.
    json r = f.s.query({{"any", {{{"attribute", "team"}, {"op", "equals"}, {"value", "x"}}, {{"attribute", "nope"}, {"op", "equals"}, {"value", "x"}}}}});
    CHECK(r["error"]["message"].get<std::string>().find("any[1]") != std::string::npos);
    // A deleted attribute is unknown.
    REQUIRE(f.s.command({{"op", "deleteAttribute"}, {"key", "team"}})["ok"] == true);
    CHECK(f.err({{"attribute", "team"}, {"op", "isEmpty"}}) == "INVALID_FILTER");
}

TEST_CASE("results come in directory order, removed users excluded, and follow undo", "[filter]") {
    Fixture f;
    json platform = {{"attribute", "team"}, {"op", "contains"}, {"value", "platform"}};
    CHECK(f.q(platform) == V{"Ada", "Gra"});
    REQUIRE(f.s.command({{"op", "removeUsers"}, {"ids", {f.ids[0]}}})["ok"] == true);
    CHECK(f.q(platform) == V{"Gra"});
    REQUIRE(f.s.command({{"op", "setAttribute"}, {"ids", {f.ids[3], f.ids[2]}}, {"key", "team"}, {"value", "Platform"}})["ok"] == true);
    CHECK(f.q(platform) == V{"Gra", "Lin", "Émi"});
    REQUIRE(f.s.undo());
    CHECK(f.q(platform) == V{"Gra"});
    REQUIRE(f.s.undo());
    CHECK(f.q(platform) == V{"Ada", "Gra"});
}

TEST_CASE("value parsing helpers", "[filter]") {
    double x;
    CHECK((parseNumberValue("12", x) && x == 12));
    CHECK((parseNumberValue(" -3.5 ", x) && x == -3.5));
    CHECK((parseNumberValue("1e3", x) && x == 1000));
    CHECK((parseNumberValue("+.5", x) && x == 0.5));
    CHECK((parseNumberValue("0.1", x) && x == 0.1));
    CHECK((parseNumberValue("12345678901234567890123", x) && x > 1.2e22 && x < 1.3e22));
    CHECK_FALSE(parseNumberValue("", x));
    CHECK_FALSE(parseNumberValue("1.2.3", x));
    CHECK_FALSE(parseNumberValue("abc", x));
    CHECK_FALSE(parseNumberValue("1e", x));
    int32_t dt;
    CHECK((parseDateValue("2024-02-29", dt) && dt == 20240229));
    CHECK((parseDateValue("2024/02/29", dt) && dt == 20240229));
    CHECK_FALSE(parseDateValue("2023-02-29", dt));
    CHECK_FALSE(parseDateValue("29/02/2024", dt));
    std::string low;
    lowerUnicode("ÉCOLE Straße ÅNGSTRÖM", low);
    CHECK(low == "école straße ångström");
}

TEST_CASE("a million users are filtered quickly", "[perf][.]") {
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}})["ok"] == true);
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "level"}, {"type", "number"}})["ok"] == true);
    const uint32_t n = 1000000;
    s.dir.reserveUsers(n);
    const char* teams[] = {"Platform", "Payments", "Mobile", "Identity", "Checkout"};
    for (uint32_t i = 0; i < n; ++i) {
        s.dir.loadUser(i + 1, true, "Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com");
        s.dir.loadAttrValue(0, i, teams[i % 5]);
        s.dir.loadAttrValue(1, i, std::to_string(i % 12));
    }
    json pay = {{"attribute", "team"}, {"op", "contains"}, {"value", "pay"}};
    json senior = {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}};
    json seven = {{"attribute", "name"}, {"op", "endsWith"}, {"value", "7"}};
    json filter = {{"all", json::array({pay, {{"any", json::array({senior, seven})}}})}};
    Filter f;
    Diag err;
    REQUIRE(f.compile(s.dir, filter, err));
    std::vector<uint32_t> out;
    auto t0 = std::chrono::steady_clock::now();
    f.matchAll(s.dir, out);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    WARN("1M users filtered in " << ms << " ms, " << out.size() << " matched");
    CHECK(out.size() > 100000);
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
    CHECK(ms < 150);   // an optimised native build (sanitizers and debug builds only report the time)
#endif
}

TEST_CASE("filter: queryText writes exactly the JSON of query()", "[filter]") {
    Session s;
    for (int i = 0; i < 300; ++i) {
        json r = s.command(json{{"op", "addUser"}, {"name", "P" + std::to_string(i)}, {"email", "p" + std::to_string(i) + "@x.com"}});
        REQUIRE(r["ok"] == true);
    }
    for (const json& f : {json{{"attribute", "name"}, {"op", "contains"}, {"value", "1"}}, json{{"all", json::array()}},
                          json{{"any", json::array()}}, json{{"attribute", "name"}, {"op", "bogus"}, {"value", "1"}}}) {
        INFO(f.dump());
        CHECK(json::parse(s.queryText(f)) == s.query(f));
    }
    CHECK(json::parse(s.queryText(json{{"all", json::array()}}))["ids"].size() == 300);
}

TEST_CASE("text equality over the whole directory (value codes) agrees with the one-person test, across edits", "[filter]") {
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}})["ok"] == true);
    const std::vector<std::string> values = {"Platform", " platform ", "PLATFORM", "Platform Core", "", "   ", "Ébène", "ébène",
                                             "Plat form", "platform\t", "platforms", "Pl"};
    // Loaded as stored (commands trim what they write; older data and files may not have been).
    std::vector<std::string> ids;
    s.dir.reserveUsers(300);
    for (uint32_t i = 0; i < 300; ++i) {
        s.dir.loadUser(i + 1, true, "P" + std::to_string(i), "p" + std::to_string(i) + "@x.com");
        s.dir.loadAttrValue(0, i, values[size_t(i * 7 + i / 13) % values.size()]);
        ids.push_back(formatUserId(i + 1));
    }
    s.dir.finishLoad();
    auto check = [&]() {
        std::vector<std::string> needles = values;
        needles.push_back("nobody");
        needles.push_back("PLATFORM CORE");
        for (const std::string& needle : needles)
            for (const char* op : {"equals", "notEquals"}) {
                const json fj = {{"attribute", "team"}, {"op", op}, {"value", needle}};
                Filter whole, one;
                Diag err;
                REQUIRE(whole.compile(s.dir, fj, err));
                REQUIRE(one.compile(s.dir, fj, err));
                std::vector<uint32_t> got, want;
                whole.matchAll(s.dir, got);   // codes
                for (uint32_t slot = 0; slot < s.dir.slotCount(); ++slot)
                    if (one.matches(s.dir, slot)) want.push_back(slot);   // each value's text
                INFO(op << " '" << needle << "'");
                CHECK(got == want);
                if (needle != "nobody") CHECK(!got.empty());
            }
    };
    check();
    auto before = s.dir.attrCodes(0);
    CHECK(before == s.dir.attrCodes(0));   // kept while the directory does not change
    // An edit (and its undo) moves the revision: the codes are made again.
    REQUIRE(s.command({{"op", "setAttribute"}, {"ids", {ids[0], ids[1], ids[2]}}, {"key", "team"}, {"value", "  Platform Core"}})["ok"] == true);
    CHECK(before != s.dir.attrCodes(0));
    check();
    REQUIRE(s.undo());
    check();
}

// The oracle for value codes: two slots share a code exactly when their values are equal trimmed
// and ASCII-folded, and find() names the code of every slot holding the value.
static void codesAgree(const Directory& d, const AttrCodes& c) {
    REQUIRE(c.code.size() == d.slotCount());
    std::map<std::string, uint32_t> codeOf;   // folded value -> code
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        std::string key = foldEmail(d.attrValue(0, slot));   // trimmed, ASCII lower-cased: the codes' equality
        auto [it, fresh] = codeOf.emplace(key, c.code[slot]);
        INFO("slot " << slot << " '" << d.attrValue(0, slot) << "'");
        CHECK(it->second == c.code[slot]);                     // equal values, one code
        CHECK(c.find(d.attrValue(0, slot)) == c.code[slot]);
    }
    std::set<uint32_t> codes;
    for (auto& [k, code] : codeOf) codes.insert(code);
    CHECK(codes.size() == codeOf.size());                      // different values, different codes
}

static void loadTeams(Session& s, uint32_t n, std::vector<std::string>& ids) {
    const std::vector<std::string> values = {"Platform", " platform ", "PLATFORM", "Core", "core ", "", "Ébène", "Mobile", "Growth"};
    s.dir.reserveUsers(n);
    for (uint32_t i = 0; i < n; ++i) {
        s.dir.loadUser(i + 1, true, "P" + std::to_string(i), "p" + std::to_string(i) + "@x.com");
        s.dir.loadAttrValue(0, i, values[(i * 5 + i / 7) % values.size()]);
        ids.push_back(formatUserId(i + 1));
    }
    s.dir.finishLoad();
}

TEST_CASE("value codes patched after edits equal codes made from scratch, holders keep their snapshot", "[filter]") {
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}})["ok"] == true);
    std::vector<std::string> ids;
    loadTeams(s, 6000, ids);
    auto agrees = [&](const AttrCodes& c) { codesAgree(s.dir, c); };
    agrees(*s.dir.attrCodes(0));
    const AttrCodes* first = s.dir.attrCodes(0).get();
    // One edit, nobody holding the codes: patched in place.
    REQUIRE(s.command({{"op", "setAttribute"}, {"ids", {ids[3]}}, {"key", "team"}, {"value", "Brand New"}})["ok"] == true);
    CHECK(s.dir.attrCodes(0).get() == first);
    agrees(*s.dir.attrCodes(0));
    // A holder keeps its snapshot; the directory's codes become a patched copy.
    auto held = s.dir.attrCodes(0);
    const std::vector<uint32_t> heldCodes = held->code;
    const uint64_t heldRev = held->revision;
    REQUIRE(s.command({{"op", "setAttribute"}, {"ids", {ids[3], ids[10], ids[11]}}, {"key", "team"}, {"value", " core"}})["ok"] == true);
    REQUIRE(s.command({{"op", "addUser"}, {"name", "New"}, {"email", "new@x.com"}})["ok"] == true);
    auto now = s.dir.attrCodes(0);
    CHECK(now != held);
    CHECK(held->code == heldCodes);
    CHECK(held->revision == heldRev);
    agrees(*now);
    CHECK(now->find("CORE") == now->code[3]);   // " core", "Core" and "core " are one value
    // An edit that changes no value of this attribute keeps the same codes (no copy for holders).
    REQUIRE(s.command({{"op", "updateUser"}, {"id", ids[20]}, {"name", "Renamed"}})["ok"] == true);
    CHECK(s.dir.attrCodes(0) == now);
    CHECK(now->revision == s.dir.revision());
    REQUIRE(s.undo());
    // Undo, redo, a removal, and an import that adds people in one range (their values were
    // filled while they were dead): every step agrees with codes made from scratch.
    REQUIRE(s.undo());
    agrees(*s.dir.attrCodes(0));
    REQUIRE(s.undo());
    agrees(*s.dir.attrCodes(0));
    REQUIRE(s.redo());
    agrees(*s.dir.attrCodes(0));
    REQUIRE(s.command({{"op", "removeUsers"}, {"ids", {ids[5]}}})["ok"] == true);
    agrees(*s.dir.attrCodes(0));
    json r = s.applyImport("Full_Name,Email,Team\nA,a1@y.com,Mobile\nB,b1@y.com, mobile\nC,c1@y.com,Quite New\nD,p7@x.com,Growth\n",
                           json{{"mode", "update"}});
    REQUIRE(r["applied"] == true);
    agrees(*s.dir.attrCodes(0));
    json q = s.query(json{{"attribute", "team"}, {"op", "equals"}, {"value", "MOBILE"}});
    size_t mobile = 0;
    for (uint32_t slot = 0; slot < s.dir.slotCount(); ++slot)
        mobile += s.dir.userAlive(slot) && foldEmail(s.dir.attrValue(0, slot)) == "mobile";
    CHECK(q["ids"].size() == mobile);
    CHECK(mobile >= 2);
    // A bulk change (past max(4096, a quarter of the slots)) codes everything again.
    std::vector<std::string> many(ids.begin() + 6, ids.begin() + 5006);
    REQUIRE(s.command({{"op", "setAttribute"}, {"ids", many}, {"key", "team"}, {"value", "Everyone"}})["ok"] == true);
    agrees(*s.dir.attrCodes(0));
    REQUIRE(s.undo());
    agrees(*s.dir.attrCodes(0));
}

TEST_CASE("value codes made ahead in slices, with edits between the slices, equal codes made at once", "[filter]") {
    Session s;
    REQUIRE(s.command({{"op", "addAttribute"}, {"key", "team"}, {"type", "text"}})["ok"] == true);
    std::vector<std::string> ids;
    loadTeams(s, 6000, ids);
    int slices = 0;
    while (!s.dir.prepareAttrCodes(0, 1000)) {
        ++slices;
        // An edit behind the slices made so far, one ahead of them, and a new person.
        const std::string behind = ids[size_t(slices) * 300 % 6000], ahead = ids[(size_t(slices) * 1000 + 2500) % 6000];
        REQUIRE(s.command({{"op", "setAttribute"}, {"ids", {behind, ahead}}, {"key", "team"}, {"value", " mobile" + std::string(slices % 2 ? "" : " X")}})["ok"] == true);
        REQUIRE(s.command({{"op", "addUser"}, {"name", "N"}, {"email", "n" + std::to_string(slices) + "@x.com"}})["ok"] == true);
        REQUIRE(slices < 20);
    }
    CHECK(slices >= 5);
    auto ready = s.dir.attrCodes(0);
    CHECK(s.dir.prepareAttrCodes(0, 1000));
    CHECK(s.dir.attrCodes(0) == ready);   // current: nothing left to make
    codesAgree(s.dir, *ready);
}

TEST_CASE("a filter kept across a reload of the directory sees the new values (revisions count up across clear)", "[filter]") {
    // Two loads of the same size: without a revision that keeps counting, the second would look
    // like the first to everything kept per revision (here the filter's value codes).
    auto load = [](Directory& d, const char* team) {
        d.loadAttrDef("team", "Team", "Team", AttrType::Text, true);
        d.reserveUsers(100);
        for (uint32_t i = 0; i < 100; ++i) {
            d.loadUser(i + 1, true, "P" + std::to_string(i), "p" + std::to_string(i) + "@x.com");
            d.loadAttrValue(0, i, i < 10 ? team : "Other");
        }
        d.finishLoad();
    };
    Directory d;
    load(d, "Alpha");
    Filter f;
    Diag err;
    REQUIRE(f.compile(d, json{{"attribute", "team"}, {"op", "equals"}, {"value", "alpha"}}, err));
    std::vector<uint32_t> out;
    f.matchAll(d, out);
    CHECK(out.size() == 10);
    const uint64_t before = d.revision();
    d.clear();
    CHECK(d.revision() > before);
    load(d, "Beta");
    f.matchAll(d, out);
    CHECK(out.empty());
    CHECK(!f.matches(d, 0));
}

TEST_CASE("a filter tree reads and writes the stored form and compiles like it", "[filter][tree]") {
    Fixture f;
    const Directory& d = f.s.dir;
    const json stored = {{"all", json::array({{{"attribute", "team"}, {"op", "contains"}, {"value", "platform"}},
                                               {{"not", {{"any", json::array({{{"attribute", "email"}, {"op", "isEmpty"}},
                                                                               {{"attribute", "level"}, {"op", "gte"}, {"value", "5"}}})}}}}})}};
    FilterTree t;
    REQUIRE(filterTreeFromJson(stored, t));
    CHECK(t.group);
    CHECK_FALSE(t.any);
    REQUIRE(t.kids.size() == 2);
    CHECK(t.kids[0].key == "team");
    CHECK(t.kids[0].op == FilterOp::Contains);
    CHECK(t.kids[1].negate);
    CHECK(t.kids[1].any);
    CHECK(t.kids[1].kids[0].op == FilterOp::IsEmpty);
    CHECK(filterTreeToJson(t) == stored);
    CHECK(filterTreeText(t) == stored.dump());

    Filter a, b;
    Diag err;
    REQUIRE(a.compile(d, stored, err));
    REQUIRE(b.compile(d, t, err));
    std::vector<uint32_t> ma, mb;
    a.matchAll(d, ma);
    b.matchAll(d, mb);
    CHECK(ma == mb);
    CHECK(ma.size() == 1);   // Ada (Grace has level 10)

    // Not a tree: an unknown op, a non-string attribute, a group that is not an array.
    FilterTree bad;
    CHECK_FALSE(filterTreeFromJson(json{{"attribute", "team"}, {"op", "like"}, {"value", "x"}}, bad));
    CHECK_FALSE(filterTreeFromJson(json{{"attribute", 3}, {"op", "equals"}, {"value", "x"}}, bad));
    CHECK_FALSE(filterTreeFromJson(json{{"all", "x"}}, bad));
    // A tree naming a missing attribute does not compile, with the stored form's message.
    FilterTree missing;
    missing.group = false;
    missing.key = "nope";
    missing.value = "x";
    Diag e1, e2;
    CHECK_FALSE(a.compile(d, missing, e1));
    CHECK_FALSE(b.compile(d, filterTreeToJson(missing), e2));
    CHECK(e1.code == "INVALID_FILTER");
    CHECK(e1.message == e2.message);
}

TEST_CASE("an org unit saved from a tree stores its JSON form", "[filter][tree][orgunits]") {
    Fixture f;
    FilterTree t;
    FilterTree c;
    c.group = false;
    c.key = "team";
    c.op = FilterOp::Equals;
    c.value = "Platform";
    t.kids.push_back(c);
    SaveOrgUnitCmd cmd("Platform", t);
    REQUIRE(f.s.execute(cmd).ok);
    const Directory& d = f.s.dir;
    uint32_t u = d.findOrgUnit("Platform");
    REQUIRE(u != kNone);
    CHECK(d.s(d.orgUnits()[u].filter) == filterTreeText(t));
    json q = f.s.query(filterTreeToJson(t));
    CHECK(q["ids"].size() == 1);
}
