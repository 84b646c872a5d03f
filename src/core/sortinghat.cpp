#include "sortinghat.h"

#include <cstdint>

#include "commands.h"
#include "orgunits.h"
#include "text.h"

namespace roster {

std::string sha1Hex(std::string_view text) {
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    std::string msg(text);
    const uint64_t bits = uint64_t(msg.size()) * 8;
    msg += char(0x80);
    while (msg.size() % 64 != 56) msg += char(0);
    for (int i = 7; i >= 0; --i) msg += char((bits >> (i * 8)) & 0xFF);
    auto rol = [](uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
    for (size_t off = 0; off < msg.size(); off += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(uint8_t(msg[off + 4 * i])) << 24 | uint32_t(uint8_t(msg[off + 4 * i + 1])) << 16 |
                   uint32_t(uint8_t(msg[off + 4 * i + 2])) << 8 | uint32_t(uint8_t(msg[off + 4 * i + 3]));
        for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], e4 = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            uint32_t f, k;
            if (i < 20) f = (b & c) | (~b & e4), k = 0x5A827999u;
            else if (i < 40) f = b ^ c ^ e4, k = 0x6ED9EBA1u;
            else if (i < 60) f = (b & c) | (b & e4) | (c & e4), k = 0x8F1BBCDCu;
            else f = b ^ c ^ e4, k = 0xCA62C1D6u;
            const uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = e4, e4 = c, c = rol(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += e4, h[4] += e;
    }
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (uint32_t x : h)
        for (int i = 7; i >= 0; --i) out += hex[(x >> (i * 4)) & 0xF];
    return out;
}

namespace {

nlohmann::json orNull(std::string_view v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(jsonEscapeless(v)); }

nlohmann::json identity(const std::string& uuid, const std::string& source, std::string_view email, std::string_view name,
                        std::string_view username) {
    auto part = [](std::string_view v) { return v.empty() ? std::string("None") : std::string(v); };
    const std::string id = sha1Hex(source + ":" + part(email) + ":" + part(name) + ":" + part(username));
    return {{"id", id}, {"uuid", uuid}, {"name", orNull(name)}, {"email", orNull(email)}, {"username", orNull(username)}, {"source", source}};
}

}  // namespace

nlohmann::json writeSortingHat(const Directory& d, const std::string& time) {
    using nlohmann::json;
    const std::vector<OrgUnitRow> tree = orgUnitTree(d);
    std::vector<std::vector<uint8_t>> masks(tree.size());
    json orgs = json::object();
    for (size_t i = 0; i < tree.size(); ++i) {
        orgUnitMemberMask(d, tree[i].unit, masks[i]);
        orgs[jsonEscapeless(d.s(d.orgUnits()[tree[i].unit].name))] = json::array();
    }
    json uids = json::object();
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        const std::string uuid = sha1Hex("roster:" + formatUserId(d.userId(slot)));
        const std::string_view name = trim(d.userName(slot)), email = trim(d.userEmail(slot));
        json ids = json::array();
        if (!email.empty()) ids.push_back(identity(uuid, "roster", email, name, {}));
        for (uint32_t ai : d.aliasesOf(slot)) {
            const std::string_view a = trim(d.s(d.aliases()[ai].email));
            if (!a.empty()) ids.push_back(identity(uuid, "roster", a, name, {}));
        }
        uint32_t n = 0, excluded = 0, accounts = 0;
        const uint32_t* idx = d.identitiesOf(slot, n);
        for (uint32_t k = 0; k < n; ++k) {
            const Identity& id = d.identities()[idx[k]];
            const std::string_view account = trim(d.s(id.account));
            if (account.empty()) continue;
            ++accounts;
            if (id.flags & kIdentExcluded) ++excluded;
            std::string_view shown = trim(d.s(id.display));
            if (shown.empty()) shown = name;
            const std::string source = toLowerAscii(trim(d.s(d.integrations()[id.integ].name)));
            const bool emailLike = account.find('@') != std::string_view::npos;
            ids.push_back(identity(uuid, source, emailLike ? account : std::string_view(), shown, emailLike ? std::string_view() : account));
        }
        json enrollments = json::array();
        for (size_t i = 0; i < tree.size(); ++i)
            if (masks[i][slot])
                enrollments.push_back({{"organization", jsonEscapeless(d.s(d.orgUnits()[tree[i].unit].name))},
                                       {"start", "1900-01-01T00:00:00"}, {"end", "2100-01-01T00:00:00"}, {"uuid", uuid}});
        json profile = {{"uuid", uuid}, {"name", orNull(name)}, {"email", orNull(email)}, {"gender", nullptr},
                        {"gender_acc", nullptr}, {"country", nullptr}, {"is_bot", accounts > 0 && excluded == accounts}};
        uids[uuid] = {{"uuid", uuid}, {"profile", std::move(profile)}, {"identities", std::move(ids)}, {"enrollments", std::move(enrollments)}};
    }
    return {{"time", time}, {"source", nullptr}, {"blacklist", json::array()}, {"organizations", std::move(orgs)}, {"uidentities", std::move(uids)}};
}

}  // namespace roster

// ---- import (issue 17 part 3)
#include "foreign.h"
namespace roster {
bool readSortingHatImport(const Directory&, const std::vector<ImportFile>&, ForeignTable&) { return false; }   // (being written)
}  // namespace roster
