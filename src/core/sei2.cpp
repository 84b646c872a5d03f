#include "sei2.h"

#include <algorithm>
#include <unordered_map>

#include "commands.h"
#include "csv.h"
#include "normalize.h"
#include "text.h"
#include "values.h"

namespace roster {

namespace {

// How a finding names a person: "Ada Lovelace <ada@example.com>", "<ada@example.com>",
// "Ada Lovelace (u7, no email)", "u7".
std::string who(const Directory& d, uint32_t slot) {
    const std::string name = clipText(trim(d.userName(slot)), 80);
    const std::string email = clipText(trim(d.userEmail(slot)), 120);
    if (!name.empty() && !email.empty()) return name + " <" + email + ">";
    if (!email.empty()) return "<" + email + ">";
    const std::string id = formatUserId(d.userId(slot));
    return name.empty() ? id : name + " (" + id + ", no email)";
}

// "A, B and C", at most 10 named, then "and N more".
std::string listOf(const Directory& d, const std::vector<uint32_t>& slots) {
    std::string out;
    const size_t shown = std::min<size_t>(slots.size(), 10);
    for (size_t i = 0; i < shown; ++i) {
        if (i) out += (i + 1 == shown && shown == slots.size()) ? " and " : ", ";
        out += who(d, slots[i]);
    }
    if (shown < slots.size()) out += " and " + std::to_string(slots.size() - shown) + " more";
    return out;
}

}  // namespace

const std::vector<Sei2Field>& sei2Fields() {
    static const std::vector<Sei2Field> fields = {
        {"Email", nullptr},       {"Manager Email", "manager_email"}, {"Full Name", nullptr}, {"Role", "role"},
        {"Site", "site"},         {"Team", "team"},                   {"Sub Role", "sub_role"}, {"Department", "department"},
    };
    return fields;
}

std::string sei2Header() {
    std::string h;
    for (const Sei2Field& f : sei2Fields()) h += std::string(h.empty() ? "" : ",") + f.header;
    return h;
}

const Sei2Field* findSei2Field(std::string_view header) {
    const std::string folded = foldHeader(header);
    for (const Sei2Field& f : sei2Fields())
        if (foldHeader(f.header) == folded) return &f;
    return nullptr;
}

uint32_t findAttrFolded(const Directory& d, std::string_view key) {
    if (trim(key).empty()) return kNone;
    const uint32_t exact = d.findAttr(trim(key));
    if (exact != kNone) return exact;
    const std::string folded = foldHeader(key);
    for (uint32_t a = 0; a < d.attrDefs().size(); ++a)
        if (d.attrDefs()[a].alive && foldHeader(d.s(d.attrDefs()[a].key)) == folded) return a;
    return kNone;
}

std::vector<uint32_t> sei2Attributes(const Directory& d, const ExportOptions& o) {
    const std::vector<Sei2Field>& fields = sei2Fields();
    std::vector<uint32_t> attrs(fields.size(), kNone);
    for (size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i].defaultKey) continue;
        std::string_view key = fields[i].defaultKey;
        for (const auto& [header, chosen] : o.fields)
            if (findSei2Field(header) == &fields[i]) key = chosen;
        attrs[i] = findAttrFolded(d, key);
    }
    return attrs;
}

std::string exportSei2(const Directory& d, const ExportOptions& o) {
    const std::vector<Sei2Field>& fields = sei2Fields();
    const std::vector<uint32_t> attrs = sei2Attributes(d, o);
    std::vector<bool> guardCol(fields.size(), true);
    for (size_t i = 0; i < fields.size(); ++i)
        if (attrs[i] != kNone && d.attrDefs()[attrs[i]].type == AttrType::Number) guardCol[i] = false;

    std::string out;
    out.reserve(size_t(d.userCount()) * 96 + 128);
    if (o.bom) out.append("\xEF\xBB\xBF");
    out += sei2Header();
    out += "\r\n";
    std::string guarded;
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot) {
        if (!d.userAlive(slot)) continue;
        for (size_t i = 0; i < fields.size(); ++i) {
            if (i) out.push_back(',');
            std::string_view v;
            if (i == 0) v = d.userEmail(slot);
            else if (i == 2) v = d.userName(slot);
            else if (attrs[i] != kNone) v = d.attrValue(attrs[i], slot);
            appendSpreadsheetField(out, v, guardCol[i] && o.formulaGuard, guarded);
        }
        out.append("\r\n");
    }
    return out;
}

std::vector<ExportFinding> checkSei2(const Directory& d, const ExportOptions& o, size_t cap) {
    std::vector<ExportFinding> out;
    const uint32_t managerAttr = sei2Attributes(d, o)[1];

    // The file's rows: live people in directory order.
    std::vector<uint32_t> rows;
    rows.reserve(d.userCount());
    for (uint32_t slot = 0; slot < d.slotCount(); ++slot)
        if (d.userAlive(slot)) rows.push_back(slot);

    // REQUIRED_VALUE_MISSING: a blank Full Name or Email.
    size_t n = 0;
    for (uint32_t slot : rows) {
        const bool noName = trim(d.userName(slot)).empty(), noEmail = trim(d.userEmail(slot)).empty();
        if (!noName && !noEmail) continue;
        if (n++ >= cap) continue;
        const char* what = noName && noEmail ? "Full Name and Email are blank" : noName ? "Full Name is blank" : "Email is blank";
        out.push_back({"REQUIRED_VALUE_MISSING", who(d, slot) + ": " + what + " (SEI 2.0 requires both)", {slot}});
    }

    // Rows by folded Email (the first row holding it is the one a Manager Email points at).
    std::unordered_map<std::string, std::vector<uint32_t>> byEmail;   // folded email -> row indexes
    std::vector<std::string> order;                                   // folded emails, first seen first
    for (uint32_t r = 0; r < rows.size(); ++r) {
        std::string e = foldEmail(d.userEmail(rows[r]));
        if (e.empty()) continue;
        auto [it, fresh] = byEmail.try_emplace(e);
        if (fresh) order.push_back(e);
        it->second.push_back(r);
    }

    // DUPLICATE_EMAIL: one finding per email held by several rows.
    n = 0;
    for (const std::string& e : order) {
        const std::vector<uint32_t>& rs = byEmail[e];
        if (rs.size() < 2 || n++ >= cap) continue;
        std::vector<uint32_t> slots;
        for (uint32_t r : rs) slots.push_back(rows[r]);
        out.push_back({"DUPLICATE_EMAIL", "The Email " + clipText(trim(d.userEmail(slots[0])), 120) + " is on " + std::to_string(slots.size()) +
                                              " rows: " + listOf(d, slots), slots});
    }

    if (managerAttr == kNone) return out;

    // Each row's manager row (kNone: blank, or no row has that Email).
    std::vector<uint32_t> next(rows.size(), kNone);
    std::unordered_map<std::string, std::vector<uint32_t>> missing;   // folded manager email -> rows naming it
    std::vector<std::string> missingOrder;
    for (uint32_t r = 0; r < rows.size(); ++r) {
        const std::string m = foldEmail(d.attrValue(managerAttr, rows[r]));
        if (m.empty()) continue;
        auto it = byEmail.find(m);
        if (it != byEmail.end()) {
            next[r] = it->second.front();
            continue;
        }
        auto [mit, fresh] = missing.try_emplace(m);
        if (fresh) missingOrder.push_back(m);
        mit->second.push_back(r);
    }

    // CIRCULAR_REFERENCE: walk the functional graph; a walk that meets itself closes a cycle.
    std::vector<uint32_t> walk(rows.size(), 0);   // 0 unvisited, else the walk that visited it
    n = 0;
    uint32_t walkId = 0;
    for (uint32_t start = 0; start < rows.size(); ++start) {
        if (walk[start]) continue;
        ++walkId;
        uint32_t r = start;
        while (r != kNone && !walk[r]) {
            walk[r] = walkId;
            r = next[r];
        }
        if (r == kNone || walk[r] != walkId) continue;   // ends at the top, or joins an earlier walk
        std::vector<uint32_t> cycle;
        uint32_t c = r;
        do {
            cycle.push_back(rows[c]);
            c = next[c];
        } while (c != r);
        if (n++ >= cap) continue;
        std::string chain;
        if (cycle.size() == 1) {
            chain = who(d, cycle[0]) + " is their own manager";
        } else {
            const size_t shown = std::min<size_t>(cycle.size(), 10);
            for (size_t i = 0; i < shown; ++i) chain += who(d, cycle[i]) + " -> ";
            chain += shown < cycle.size() ? "... (" + std::to_string(cycle.size() - shown) + " more) -> " + who(d, cycle[0]) : who(d, cycle[0]);
        }
        out.push_back({"CIRCULAR_REFERENCE",
                       "Reporting cycle of " + std::to_string(cycle.size()) + (cycle.size() == 1 ? " person" : " people") + " through Manager Email: " + chain,
                       std::move(cycle)});
    }

    // MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS: one finding per manager email that is no row's Email.
    n = 0;
    for (const std::string& m : missingOrder) {
        if (n++ >= cap) break;
        std::vector<uint32_t> slots;
        for (uint32_t r : missing[m]) slots.push_back(rows[r]);
        const std::string shown = clipText(trim(d.attrValue(managerAttr, slots[0])), 120);
        std::string msg = "The Manager Email " + shown + " of " + listOf(d, slots) + " is no developer's Email in the file";
        const uint32_t alias = d.findEmail(trim(d.attrValue(managerAttr, slots[0])));
        if (alias != kNone && d.userAlive(alias))
            msg += " (it is another email of " + who(d, alias) + ": write their Email instead)";
        else
            msg += " (add the manager as a person, or change the Manager Email)";
        out.push_back({"MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS", std::move(msg), std::move(slots)});
    }
    return out;
}

}  // namespace roster
