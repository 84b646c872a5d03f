#include "sortinghat.h"

#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "commands.h"
#include "foreign.h"
#include "foreign_util.h"
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
namespace roster {

namespace {

// Cheaply: a JSON object ('{' first) that names "uidentities" within its first megabyte (SortingHat's
// export writes "blacklist" and "organizations" first, which may be long), or starts with SortingHat's
// other keys.
bool looksLikeSortingHat(std::string_view data) {
    size_t i = 0;
    if (data.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < data.size() && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) ++i;
    if (i >= data.size() || data[i] != '{') return false;
    const std::string_view head = data.substr(i, 1 << 20);
    if (head.find("\"uidentities\"") != std::string_view::npos) return true;
    const std::string_view start = data.substr(i, 4096);
    return start.find("\"blacklist\"") != std::string_view::npos && start.find("\"organizations\"") != std::string_view::npos;
}

std::string str(const nlohmann::ordered_json& j, const char* key) {
    if (!j.is_object()) return "";
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return "";
    return std::string(trim(it->get_ref<const std::string&>()));
}

uint32_t lineAt(std::string_view data, size_t byte) {
    byte = std::min(byte, data.size());
    uint32_t line = 1;
    for (size_t i = 0; i < byte; ++i)
        if (data[i] == '\n') ++line;
    return line;
}

}  // namespace

// SortingHat's JSON: each uidentity a person (profile email, else the first identity email), its
// "roster" identities with other emails aliases, the others accounts of the integration its source
// names, its enrollments the person's teams (organizations as flat org units).
bool readSortingHatImport(const Directory& d, const std::vector<ImportFile>& files, ForeignTable& out) {
    using json = nlohmann::ordered_json;   // (in the file's order: each uidentity's line is found going forward)
    if (files.empty()) return false;
    for (const ImportFile& f : files)
        if (!looksLikeSortingHat(f.data)) return false;
    out = ForeignTable();
    out.format = "sortinghat";
    out.label = "SortingHat JSON";
    for (const ImportFile& f : files) out.files.push_back(f.name);

    const size_t cEmail = out.column("email"), cName = out.column("name");
    size_t cTeams = size_t(-1);
    std::unordered_set<std::string> units;                    // folded unit names added
    std::unordered_map<std::string, std::string> accountOwner;   // "integ\x1faccount" folded -> owner email ("" unassigned)
    std::unordered_map<std::string, size_t> integCol;
    auto addUnit = [&](const std::string& name) {
        if (!name.empty() && units.insert(toLowerAscii(name)).second) out.extras.units.push_back({name, "", "teams", name});
    };
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
        const std::string_view data = files[fi].data;
        json j;
        try {
            j = json::parse(data.begin(), data.end());
        } catch (const json::parse_error& e) {
            const uint32_t line = lineAt(data, e.byte ? e.byte - 1 : 0);
            std::string why = e.what();
            if (const size_t at = why.find(": "); at != std::string::npos) why = why.substr(at + 2);
            out.error("INVALID_JSON", "The SortingHat file is not valid JSON (line " + std::to_string(line) + "): " + why, fi, line);
            continue;
        }
        if (!j.is_object() || !j.contains("uidentities") || !(j["uidentities"].is_object() || j["uidentities"].is_array())) {
            out.error("INVALID_JSON", "The file is not SortingHat's JSON: it has no \"uidentities\"", fi, 0);
            continue;
        }
        // Organizations: units, also those nobody is enrolled in.
        if (j.contains("organizations") && j["organizations"].is_object())
            for (const auto& [name, domains] : j["organizations"].items()) addUnit(teamItemName(name));
        // Each uidentity's line: where its key is written, searched for after the previous one's.
        size_t at = data.find("\"uidentities\"");
        uint32_t atLine = at == std::string_view::npos ? 1 : lineAt(data, at);
        if (at == std::string_view::npos) at = 0;
        for (const auto& [key, u] : j["uidentities"].items()) {
            uint32_t line = 0;
            if (const size_t k = data.find("\"" + key + "\"", at); k != std::string_view::npos && j["uidentities"].is_object()) {
                for (size_t i = at; i < k; ++i) atLine += data[i] == '\n';
                at = k;
                line = atLine;
            }
            if (!u.is_object()) continue;
            const json& profile = u.contains("profile") ? u["profile"] : json();
            const json& ids = u.contains("identities") && u["identities"].is_array() ? u["identities"] : json::array();
            std::string uuid = str(u, "uuid");
            if (uuid.empty()) uuid = key;
            // The email: the profile's, else the first identity's that looks like an address, else
            // the first identity's at all (kept as written, as SortingHat does).
            std::string email = str(profile, "email"), name = str(profile, "name"), anyEmail;
            for (const json& id : ids) {
                const std::string e = str(id, "email");
                if (email.empty() && isValidEmail(e)) email = e;
                if (anyEmail.empty()) anyEmail = e;
                if (name.empty()) name = str(id, "name");
            }
            if (email.empty()) email = anyEmail;
            // Teams: the enrollments' organizations (their periods are not kept).
            std::vector<std::string> teams;
            if (u.contains("enrollments") && u["enrollments"].is_array())
                for (const json& e : u["enrollments"]) {
                    const std::string org = teamItemName(str(e, "organization"));
                    if (org.empty()) continue;
                    addUnit(org);
                    bool seen = false;
                    for (const std::string& x : teams) seen = seen || equalsFolded(x, org);
                    if (!seen) teams.push_back(org);
                }
            if (email.empty()) {
                bool any = false;
                for (const json& id : ids) any = any || !str(id, "username").empty() || (!str(id, "source").empty() && str(id, "source") != "roster");
                out.warning("NO_EMAIL", "The uidentity " + uuid + (name.empty() ? std::string() : " (" + clipText(name, 60) + ")") +
                                            " has no email: " + (any ? "its accounts are kept unassigned" : "left out"), fi, line);
            } else {
                auto& row = out.addRow(fi, line);
                row[cEmail] = email;
                row[cName] = name;
                if (!teams.empty()) {
                    if (cTeams == size_t(-1)) cTeams = out.column("attribute:teams");
                    std::string v;
                    for (const std::string& x : teams) v += (v.empty() ? "" : ";") + x;
                    out.rows.back()[cTeams] = v;
                }
            }
            for (const json& id : ids) {
                const std::string source = str(id, "source"), idEmail = str(id, "email"), username = str(id, "username");
                if (source == "roster") {   // Roster's own: the person's email, or an alias
                    if (!email.empty() && !idEmail.empty() && !equalsFolded(idEmail, email)) out.extras.aliases.push_back({email, idEmail});
                    continue;
                }
                const std::string account = username.empty() ? idEmail : username;
                if (account.empty() || source.empty()) continue;
                const std::string integ = integrationForTool(d, source);
                const std::string k = toLowerAscii(integ) + "\x1f" + toLowerAscii(account);
                if (auto it = accountOwner.find(k); it != accountOwner.end()) {
                    if (!equalsFolded(it->second, email))
                        out.warning("ACCOUNT_CONFLICT", "The " + integ + " account \"" + clipText(account) + "\" of the uidentity " + uuid +
                                                            " is also another's: it stays with " + (it->second.empty() ? std::string("the first (unassigned)") : it->second),
                                    fi, line);
                    continue;
                }
                accountOwner.emplace(k, email);
                size_t col;
                if (auto it = integCol.find(toLowerAscii(integ)); it != integCol.end()) col = it->second;
                else col = integCol[toLowerAscii(integ)] = out.column("integration:" + integ);
                auto& row = out.addRow(fi, line);
                row[col] = account;
                if (!email.empty()) row[cEmail] = email;
                else row[cName] = str(id, "name").empty() ? name : str(id, "name");
            }
        }
    }
    return true;
}

}  // namespace roster
