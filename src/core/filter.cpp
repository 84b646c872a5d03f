#include "filter.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>

#include "text.h"
#include "values.h"

namespace roster {

using json = nlohmann::json;

const char* const kFilterOpNames[kFilterOpCount] = {"equals", "notEquals", "contains", "beginsWith", "endsWith", "isEmpty",
                                                    "gt",     "gte",       "lt",       "lte",        "hasItem"};

const char* filterOpName(FilterOp op) { return kFilterOpNames[int(op)]; }

bool parseFilterOp(std::string_view s, FilterOp& out) {
    for (int i = 0; i < kFilterOpCount; ++i)
        if (s == kFilterOpNames[i]) { out = FilterOp(i); return true; }
    return false;
}

// ---------------------------------------------------------------- value parsing

bool parseNumberValue(std::string_view v, double& out) {
    v = trim(v);
    size_t i = 0, n = v.size();
    bool neg = false;
    if (i < n && (v[i] == '-' || v[i] == '+')) neg = v[i++] == '-';
    uint64_t mant = 0;
    int sig = 0, exp10 = 0;
    size_t digits = 0;
    while (i < n && v[i] >= '0' && v[i] <= '9') {
        if (sig < 19) { mant = mant * 10 + uint64_t(v[i] - '0'); if (mant) ++sig; }
        else ++exp10;
        ++i; ++digits;
    }
    if (i < n && v[i] == '.') {
        ++i;
        while (i < n && v[i] >= '0' && v[i] <= '9') {
            if (sig < 19) { mant = mant * 10 + uint64_t(v[i] - '0'); if (mant) ++sig; --exp10; }
            ++i; ++digits;
        }
    }
    if (!digits) return false;
    if (i < n && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        bool eneg = false;
        if (i < n && (v[i] == '-' || v[i] == '+')) eneg = v[i++] == '-';
        size_t ed = 0;
        int e = 0;
        while (i < n && v[i] >= '0' && v[i] <= '9') {
            if (e < 100000) e = e * 10 + (v[i] - '0');
            ++i; ++ed;
        }
        if (!ed) return false;
        exp10 += eneg ? -e : e;
    }
    if (i != n) return false;
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double r = double(mant);
    if (mant == 0) r = 0;
    else if (exp10 >= 0 && exp10 <= 22) r *= p10[exp10];
    else if (exp10 < 0 && exp10 >= -22) r /= p10[-exp10];
    else r *= std::pow(10.0, double(exp10));
    out = neg ? -r : r;
    return true;
}

bool parseDateValue(std::string_view v, int32_t& out) {
    v = trim(v);
    if (!isDateValue(v)) return false;
    auto num = [&](size_t a, size_t b) {
        int x = 0;
        for (size_t i = a; i < b; ++i) x = x * 10 + (v[i] - '0');
        return x;
    };
    out = num(0, 4) * 10000 + num(5, 7) * 100 + num(8, 10);
    return true;
}

void lowerUnicode(std::string_view s, std::string& out) {
    out.clear();
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t n = utf8proc_ssize_t(s.size()), i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            out.push_back((c >= 'A' && c <= 'Z') ? char(c + 32) : char(c));
            ++i;
            continue;
        }
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
        if (len <= 0) { out.push_back(char(c)); ++i; continue; }
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), buf);
        out.append(reinterpret_cast<const char*>(buf), size_t(w));
        i += len;
    }
}

// ---------------------------------------------------------------- text helpers (ASCII folding, needle already lower-case)

namespace {

inline char lowerA(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

inline bool eqLower(std::string_view hay, std::string_view lowNeedle) {
    if (hay.size() != lowNeedle.size()) return false;
    for (size_t i = 0; i < hay.size(); ++i)
        if (lowerA(hay[i]) != lowNeedle[i]) return false;
    return true;
}

inline bool startsLower(std::string_view hay, std::string_view lowNeedle) {
    return hay.size() >= lowNeedle.size() && eqLower(hay.substr(0, lowNeedle.size()), lowNeedle);
}

inline bool endsLower(std::string_view hay, std::string_view lowNeedle) {
    return hay.size() >= lowNeedle.size() && eqLower(hay.substr(hay.size() - lowNeedle.size()), lowNeedle);
}

inline bool containsLower(std::string_view hay, std::string_view lowNeedle) {
    if (lowNeedle.empty()) return true;
    if (lowNeedle.size() > hay.size()) return false;
    const char first = lowNeedle[0];
    const size_t last = hay.size() - lowNeedle.size();
    for (size_t i = 0; i <= last; ++i) {
        if (lowerA(hay[i]) != first) continue;
        size_t k = 1;
        while (k < lowNeedle.size() && lowerA(hay[i + k]) == lowNeedle[k]) ++k;
        if (k == lowNeedle.size()) return true;
    }
    return false;
}

// hasItem: the ';'-separated list `hay` holds an item equal to the (trimmed, lower-cased, non-blank)
// needle, items trimmed and compared ignoring case.
inline bool hasItemLower(std::string_view hay, std::string_view lowNeedle) {
    if (lowNeedle.empty()) return false;
    size_t start = 0;
    while (start <= hay.size()) {
        size_t end = hay.find(';', start);
        if (end == std::string_view::npos) end = hay.size();
        if (eqLower(trim(hay.substr(start, end - start)), lowNeedle)) return true;
        start = end + 1;
    }
    return false;
}

inline int compareLower(std::string_view hay, std::string_view lowNeedle) {
    size_t n = std::min(hay.size(), lowNeedle.size());
    for (size_t i = 0; i < n; ++i) {
        unsigned char x = (unsigned char)lowerA(hay[i]), y = (unsigned char)lowNeedle[i];
        if (x != y) return x < y ? -1 : 1;
    }
    return hay.size() < lowNeedle.size() ? -1 : hay.size() > lowNeedle.size() ? 1 : 0;
}

std::string valueText(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    return {};
}

bool isAscii(std::string_view s) {
    for (char c : s)
        if ((unsigned char)c >= 0x80) return false;
    return true;
}

}  // namespace

// ---------------------------------------------------------------- compile

static Diag filterError(const std::string& path, const std::string& msg) {
    return Diag{"INVALID_FILTER", (path.empty() ? std::string("filter") : path) + ": " + msg, 0, 0};
}

bool Filter::compileText(const Directory& d, std::string_view text, Diag& err) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) {
        valid_ = false;
        err = filterError("", "not valid JSON");
        return false;
    }
    return compile(d, j, err);
}

bool Filter::compile(const Directory& d, const json& j, Diag& err) {
    valid_ = false;
    usesEmail_ = false;
    nodes_.clear();
    kids_.clear();
    conds_.clear();
    keys_.clear();
    aliasRev_ = 0;
    uint32_t r = build(d, j, 0, "", err);
    if (r == kNone) return false;
    root_ = r;
    std::sort(keys_.begin(), keys_.end());
    keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
    valid_ = true;
    return true;
}

uint32_t Filter::build(const Directory& d, const json& j, int depth, std::string path, Diag& err) {
    if (depth > kMaxFilterDepth) {
        err = filterError(path, "nested deeper than " + std::to_string(kMaxFilterDepth) + " levels");
        return kNone;
    }
    if (!j.is_object()) {
        err = filterError(path, "expected an object like {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or "
                                "{\"attribute\": \"key\", \"op\": \"equals\", \"value\": \"...\"}");
        return kNone;
    }
    const bool hasAll = j.contains("all"), hasAny = j.contains("any"), hasNot = j.contains("not");
    const bool hasCond = j.contains("attribute") || j.contains("op");
    if (int(hasAll) + int(hasAny) + int(hasNot) + int(hasCond) != 1) {
        err = filterError(path, hasAll || hasAny || hasNot || hasCond
                                    ? "a node is exactly one of all, any, not or a condition"
                                    : "expected \"all\", \"any\", \"not\" or a condition with \"attribute\" and \"op\"");
        return kNone;
    }
    if (hasCond) {
        Cond c;
        if (!compileCond(d, j, path, c, err)) return kNone;
        conds_.push_back(std::move(c));
        nodes_.push_back(Node{Kind::Cond, uint32_t(conds_.size() - 1), 0});
        return uint32_t(nodes_.size() - 1);
    }
    if (hasNot) {
        uint32_t child = build(d, j["not"], depth + 1, path.empty() ? "not" : path + ".not", err);
        if (child == kNone) return kNone;
        kids_.push_back(child);
        nodes_.push_back(Node{Kind::Not, uint32_t(kids_.size() - 1), 1});
        return uint32_t(nodes_.size() - 1);
    }
    const char* key = hasAll ? "all" : "any";
    const json& arr = j[key];
    std::string here = path.empty() ? key : path + "." + key;
    if (!arr.is_array()) {
        err = filterError(here, "must be an array of filters");
        return kNone;
    }
    std::vector<uint32_t> children;
    children.reserve(arr.size());
    for (size_t i = 0; i < arr.size(); ++i) {
        uint32_t c = build(d, arr[i], depth + 1, here + "[" + std::to_string(i) + "]", err);
        if (c == kNone) return kNone;
        children.push_back(c);
    }
    uint32_t first = uint32_t(kids_.size());
    kids_.insert(kids_.end(), children.begin(), children.end());
    nodes_.push_back(Node{hasAll ? Kind::All : Kind::Any, first, uint32_t(children.size())});
    return uint32_t(nodes_.size() - 1);
}

bool Filter::compileCond(const Directory& d, const json& j, const std::string& path, Cond& c, Diag& err) {
    auto at = j.find("attribute");
    if (at == j.end() || !at->is_string()) {
        err = filterError(path, "a condition needs a string \"attribute\" (an attribute key, \"name\" or \"email\")");
        return false;
    }
    auto opIt = j.find("op");
    if (opIt == j.end() || !opIt->is_string() || !parseFilterOp(opIt->get<std::string>(), c.op)) {
        std::string got = opIt == j.end() ? "none" : opIt->dump(-1, ' ', false, json::error_handler_t::replace);
        err = filterError(path, "unknown op " + got +
                                    " (use equals, notEquals, contains, beginsWith, endsWith, isEmpty, gt, gte, lt, lte, hasItem)");
        return false;
    }
    std::string key(trim(at->get<std::string>()));
    AttrType type = AttrType::Text;
    if (equalsFolded(key, "name")) {
        c.field = Field::Name;
    } else if (equalsFolded(key, "email")) {
        c.field = Field::Email;
        type = AttrType::Email;
        usesEmail_ = true;
    } else {
        c.attr = d.findAttr(key);
        if (c.attr == kNone) {
            err = filterError(path, "unknown attribute \"" + key.substr(0, 200) + "\"");
            return false;
        }
        c.field = Field::Attr;
        type = d.attrDefs()[c.attr].type;
        keys_.push_back(toLowerAscii(d.s(d.attrDefs()[c.attr].key)));   // the attribute's own key, however the filter spells it
    }
    std::string value;
    auto vIt = j.find("value");
    if (c.op != FilterOp::IsEmpty) {
        if (vIt == j.end() || !(vIt->is_string() || vIt->is_number() || vIt->is_boolean())) {
            err = filterError(path, std::string("the op ") + filterOpName(c.op) + " needs a string \"value\"");
            return false;
        }
        value = valueText(*vIt);
    }
    std::string_view v = trim(value);
    if (c.op == FilterOp::HasItem && v.find(';') != std::string_view::npos) {
        err = filterError(path, "hasItem looks for one item: \"" + std::string(v.substr(0, 100)) + "\" holds ';'");
        return false;
    }
    const bool ordered = c.op == FilterOp::Gt || c.op == FilterOp::Gte || c.op == FilterOp::Lt || c.op == FilterOp::Lte;
    const bool equality = c.op == FilterOp::Equals || c.op == FilterOp::NotEquals;
    c.mode = Mode::Text;
    bool numOk = parseNumberValue(v, c.num);
    bool dateOk = parseDateValue(v, c.date);
    if (type == AttrType::Number && (ordered || equality)) {
        if (numOk) c.mode = Mode::Number;
        else if (ordered) {
            err = filterError(path, "\"" + std::string(v.substr(0, 100)) + "\" is not a number");
            return false;
        }
    } else if (type == AttrType::Date && (ordered || equality)) {
        if (dateOk) c.mode = Mode::Date;
        else if (ordered) {
            err = filterError(path, "\"" + std::string(v.substr(0, 100)) + "\" is not a date (YYYY-MM-DD)");
            return false;
        }
    } else if (ordered) {
        c.mode = numOk ? Mode::Number : dateOk ? Mode::Date : Mode::Text;
    }
    std::string needle(v);
    if (type == AttrType::Boolean && equality) {
        std::string norm;
        if (normalizeValue(AttrType::Boolean, v, norm)) needle = norm;
    }
    if (c.field == Field::Email && c.op == FilterOp::NotEquals) {   // none of the person's emails equals the value
        c.op = FilterOp::Equals;
        c.negateAny = true;
    }
    c.unicode = !isAscii(needle);
    if (c.unicode) lowerUnicode(needle, c.needle);
    else c.needle = toLowerAscii(needle);
    return true;
}

// ---------------------------------------------------------------- evaluation

void Filter::prepare(const Directory& d) const {
    if (!usesEmail_ || aliasRev_ == d.revision()) return;
    const auto& al = d.aliases();
    const uint32_t n = d.slotCount();
    aliasStart_.assign(size_t(n) + 1, 0);
    for (const Alias& a : al)
        if (a.alive && a.owner < n) ++aliasStart_[a.owner + 1];
    for (size_t i = 1; i < aliasStart_.size(); ++i) aliasStart_[i] += aliasStart_[i - 1];
    aliasList_.assign(aliasStart_.back(), 0);
    std::vector<uint32_t> fill(aliasStart_.begin(), aliasStart_.end() - 1);
    for (uint32_t i = 0; i < al.size(); ++i)
        if (al[i].alive && al[i].owner < n) aliasList_[fill[al[i].owner]++] = i;
    aliasRev_ = d.revision();
}

bool Filter::testValue(const Cond& c, std::string_view v) const {
    v = trim(v);
    if (c.op == FilterOp::IsEmpty) return v.empty();
    std::string_view hay = v;
    if (c.unicode && (c.mode == Mode::Text || c.op == FilterOp::Contains || c.op == FilterOp::BeginsWith || c.op == FilterOp::EndsWith ||
                      c.op == FilterOp::HasItem)) {
        lowerUnicode(v, scratch_);
        hay = scratch_;   // already lower-case: the ASCII-folding helpers below leave it as is
    }
    switch (c.op) {
        case FilterOp::Equals:
        case FilterOp::NotEquals: {
            bool eq;
            if (c.mode == Mode::Number) {
                double x;
                eq = parseNumberValue(v, x) && x == c.num;
            } else if (c.mode == Mode::Date) {
                int32_t x;
                eq = parseDateValue(v, x) && x == c.date;
            } else {
                eq = eqLower(hay, c.needle);
            }
            return c.op == FilterOp::Equals ? eq : !eq;
        }
        case FilterOp::Contains: return containsLower(hay, c.needle);
        case FilterOp::BeginsWith: return startsLower(hay, c.needle);
        case FilterOp::EndsWith: return endsLower(hay, c.needle);
        case FilterOp::HasItem: return hasItemLower(hay, c.needle);
        case FilterOp::IsEmpty: return v.empty();
        case FilterOp::Gt:
        case FilterOp::Gte:
        case FilterOp::Lt:
        case FilterOp::Lte: {
            if (v.empty()) return false;
            int cmp;
            if (c.mode == Mode::Number) {
                double x;
                if (!parseNumberValue(v, x)) return false;
                cmp = x < c.num ? -1 : x > c.num ? 1 : 0;
            } else if (c.mode == Mode::Date) {
                int32_t x;
                if (!parseDateValue(v, x)) return false;
                cmp = x < c.date ? -1 : x > c.date ? 1 : 0;
            } else {
                cmp = compareLower(hay, c.needle);
            }
            switch (c.op) {
                case FilterOp::Gt: return cmp > 0;
                case FilterOp::Gte: return cmp >= 0;
                case FilterOp::Lt: return cmp < 0;
                default: return cmp <= 0;
            }
        }
    }
    return false;
}

bool Filter::test(const Directory& d, const Cond& c, uint32_t slot) const {
    switch (c.field) {
        case Field::Name: return testValue(c, d.userName(slot));
        case Field::Attr: {
            if (c.codes && c.codes->owner == &d && c.codes->revision == d.revision() && slot < c.codes->code.size()) {
                const bool eq = c.codes->code[slot] == c.needleCode;
                return c.op == FilterOp::Equals ? eq : !eq;
            }
            const Str v = d.attrValueStr(c.attr, slot);
            if ((c.op == FilterOp::Equals || c.op == FilterOp::NotEquals) && c.mode == Mode::Text && !c.unicode && v.len <= c.needle.size()) {
                // Text equality decided from the length first: trimming only shortens a value, so a
                // shorter one never equals the (trimmed) needle, and one of the same length equals
                // it only as it is. Most values are never read (no cache miss into the pool).
                const bool eq = v.len == c.needle.size() && eqLower(d.s(v), c.needle);
                return c.op == FilterOp::Equals ? eq : !eq;
            }
            return testValue(c, d.s(v));
        }
        case Field::Email: {
            if (c.op == FilterOp::IsEmpty) return trim(d.userEmail(slot)).empty();
            bool any = testValue(c, d.userEmail(slot));
            if (!any && slot + 1 < aliasStart_.size()) {
                const auto& al = d.aliases();
                for (uint32_t k = aliasStart_[slot]; k < aliasStart_[slot + 1] && !any; ++k)
                    any = testValue(c, d.s(al[aliasList_[k]].email));
            }
            return c.negateAny ? !any : any;
        }
    }
    return false;
}

bool Filter::eval(const Directory& d, uint32_t node, uint32_t slot) const {
    const Node& n = nodes_[node];
    switch (n.kind) {
        case Kind::Cond: return test(d, conds_[n.first], slot);
        case Kind::Not: return !eval(d, kids_[n.first], slot);
        case Kind::All:
            for (uint32_t i = 0; i < n.count; ++i)
                if (!eval(d, kids_[n.first + i], slot)) return false;
            return true;
        case Kind::Any:
            for (uint32_t i = 0; i < n.count; ++i)
                if (eval(d, kids_[n.first + i], slot)) return true;
            return false;
    }
    return false;
}

bool Filter::matches(const Directory& d, uint32_t slot) const {
    if (!valid_ || !d.userAlive(slot)) return false;
    prepare(d);
    return eval(d, root_, slot);
}

// Whole-directory matches compare value codes for text equality on attributes (made once per
// directory revision and attribute, see Directory::attrCodes).
void Filter::prepareCodes(const Directory& d) const {
    for (const Cond& c : conds_) {
        if (c.field != Field::Attr || (c.op != FilterOp::Equals && c.op != FilterOp::NotEquals) || c.mode != Mode::Text || c.unicode) {
            c.codes.reset();
            continue;
        }
        if (c.codes && c.codes->owner == &d && c.codes->revision == d.revision() && c.codes->code.size() == d.slotCount()) continue;
        c.codes = d.attrCodes(c.attr);
        if (!c.codes) continue;
        c.needleCode = c.codes->find(c.needle);
    }
}

void Filter::matchAll(const Directory& d, std::vector<uint32_t>& out) const {
    out.clear();
    if (!valid_) return;
    prepare(d);
    prepareCodes(d);
    const uint32_t n = d.slotCount();
    for (uint32_t slot = 0; slot < n; ++slot)
        if (d.userAlive(slot) && eval(d, root_, slot)) out.push_back(slot);
}

void Filter::matchMask(const Directory& d, std::vector<uint8_t>& out) const {
    out.assign(d.slotCount(), 0);
    if (!valid_) return;
    prepare(d);
    prepareCodes(d);
    const uint32_t n = d.slotCount();
    for (uint32_t slot = 0; slot < n; ++slot) out[slot] = d.userAlive(slot) && eval(d, root_, slot);
}

// ---------------------------------------------------------------- FilterTree <-> JSON

bool filterTreeFromJson(const json& j, FilterTree& out) {
    if (!j.is_object()) return false;
    if (j.size() == 1 && j.contains("not")) {
        if (!filterTreeFromJson(j["not"], out)) return false;
        out.negate = !out.negate;
        return true;
    }
    if (j.size() == 1 && (j.contains("all") || j.contains("any"))) {
        const json& arr = j.contains("all") ? j["all"] : j["any"];
        if (!arr.is_array()) return false;
        out = FilterTree{};
        out.group = true;
        out.any = j.contains("any");
        for (const json& k : arr) {
            FilterTree c;
            if (!filterTreeFromJson(k, c)) return false;
            out.kids.push_back(std::move(c));
        }
        return true;
    }
    auto at = j.find("attribute"), opIt = j.find("op");
    if (at == j.end() || !at->is_string() || opIt == j.end() || !opIt->is_string()) return false;
    FilterOp op;
    if (!parseFilterOp(opIt->get<std::string>(), op)) return false;
    out = FilterTree{};
    out.group = false;
    out.key = at->get<std::string>();
    out.op = op;
    auto v = j.find("value");
    if (v != j.end()) out.value = v->is_string() ? v->get<std::string>() : v->is_null() ? "" : v->dump();
    return true;
}

json filterTreeToJson(const FilterTree& t) {
    json j;
    if (t.group) {
        json arr = json::array();
        for (const FilterTree& k : t.kids) arr.push_back(filterTreeToJson(k));
        j = json{{t.any ? "any" : "all", arr}};
    } else {
        j = json{{"attribute", t.key}, {"op", filterOpName(t.op)}};
        if (t.op != FilterOp::IsEmpty) j["value"] = t.value;
    }
    return t.negate ? json{{"not", j}} : j;
}

std::string filterTreeText(const FilterTree& t) { return filterTreeToJson(t).dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace roster
