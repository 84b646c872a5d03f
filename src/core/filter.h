#pragma once
// Org-unit filters: {"all":[F...]}, {"any":[F...]}, {"not":F} or a condition
// {"attribute": KEY, "op": OP, "value": "..."} with KEY an attribute key, "name" or "email".
//
// A Filter is compiled once against the directory's attribute definitions (attribute index and
// type resolved, needles lower-cased, numbers and dates parsed), then evaluated per user without
// allocating. Semantics (see docs/automation-api.md):
// - text comparisons ignore case (ASCII fast path; a needle with non-ASCII letters compares the
//   Unicode-lower-cased value);
// - equals/notEquals on a number attribute compare numbers ("1.0" equals "1"), on a date attribute
//   dates (the filter value may be written YYYY/MM/DD), on a boolean attribute booleans ("yes" = "true");
// - gt/gte/lt/lte compare numbers on number attributes and dates on date attributes (the filter
//   value must then be a number / a date, else INVALID_FILTER); on other keys the filter value
//   decides: a number compares numbers, a date compares dates, anything else compares text
//   (case-insensitive). They never match a blank or unparsable value;
// - notEquals is the negation of equals, so it matches blanks; isEmpty ignores "value";
// - hasItem: the value is a list split on ';' (items trimmed, blank items ignored) that holds the
//   filter value, compared as text ignoring case ("Core;Platform" has the item "platform"); the
//   filter value is one item: blank matches nobody, one holding ';' is INVALID_FILTER;
// - the "email" key matches the primary email or any alias (isEmpty: no primary email);
// - {"all":[]} matches everyone, {"any":[]} nobody;
// - an unknown key or op, a missing value, or a malformed node is INVALID_FILTER.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"
#include "model.h"

namespace roster {

constexpr int kMaxFilterDepth = 200;

enum class FilterOp : uint8_t { Equals, NotEquals, Contains, BeginsWith, EndsWith, IsEmpty, Gt, Gte, Lt, Lte, HasItem };
constexpr int kFilterOpCount = 11;
const char* filterOpName(FilterOp op);
bool parseFilterOp(std::string_view s, FilterOp& out);
extern const char* const kFilterOpNames[kFilterOpCount];

// A filter as a tree of values (what the org-unit builder edits): a group matching all / any of
// its children, or a condition; any node may be negated ({"not": ...}). filterTreeToJson() gives
// the stored form; filterTreeFromJson() reads a stored filter back, false when it is not of this
// shape (a condition without a string attribute or a known op, a group that is not an array...).
struct FilterTree {
    bool group = true;
    bool any = false;
    bool negate = false;
    std::vector<FilterTree> kids;
    std::string key = "name";
    FilterOp op = FilterOp::Equals;
    std::string value;   // ignored by isEmpty
};
bool filterTreeFromJson(const nlohmann::json& j, FilterTree& out);
nlohmann::json filterTreeToJson(const FilterTree& t);
// The filter as an org unit stores it (compact JSON text, as SaveOrgUnitCmd writes it).
std::string filterTreeText(const FilterTree& t);

class Filter {
public:
    // Compiles a filter against d's live attribute definitions. Returns false and sets err
    // (INVALID_FILTER, with a message saying where) when the filter is malformed.
    bool compile(const Directory& d, const nlohmann::json& j, Diag& err);
    bool compileText(const Directory& d, std::string_view jsonText, Diag& err);
    // The same for a tree (the same checks and messages as its stored form).
    bool compile(const Directory& d, const FilterTree& t, Diag& err) { return compile(d, filterTreeToJson(t), err); }
    bool valid() const { return valid_; }

    // Does the live user in `slot` match? (The directory must be the one compiled against, with
    // the same attribute definitions; recompile after an attribute's type changes.)
    bool matches(const Directory& d, uint32_t slot) const;
    // Every live matching user slot, in directory order.
    void matchAll(const Directory& d, std::vector<uint32_t>& out) const;
    // One byte per slot: 1 when the live user matches.
    void matchMask(const Directory& d, std::vector<uint8_t>& out) const;

    // Attribute keys (lower-cased) the filter refers to (for "this attribute is used by a unit").
    const std::vector<std::string>& attributeKeys() const { return keys_; }

private:
    enum class Kind : uint8_t { All, Any, Not, Cond };
    enum class Field : uint8_t { Name, Email, Attr };
    enum class Mode : uint8_t { Text, Number, Date, Boolean, EmailText };
    struct Node {
        Kind kind;
        uint32_t first = 0, count = 0;   // children in kids_ (All/Any/Not) or the condition index
    };
    struct Cond {
        Field field = Field::Name;
        uint32_t attr = kNone;
        FilterOp op = FilterOp::Equals;
        Mode mode = Mode::Text;          // how equals / gt.. compare
        bool negateAny = false;          // email notEquals: evaluated as "no email equals"
        bool unicode = false;            // needle has non-ASCII bytes: compare Unicode-lower-cased text
        std::string needle;              // trimmed, lower-cased filter value
        double num = 0;
        int32_t date = 0;
        // Text equality on an attribute in a whole-directory match (prepareCodes): the attribute's
        // value codes and the needle's code (kNone: no value equals it).
        mutable std::shared_ptr<const AttrCodes> codes;
        mutable uint32_t needleCode = 0;
    };

    uint32_t build(const Directory& d, const nlohmann::json& j, int depth, std::string path, Diag& err);
    bool compileCond(const Directory& d, const nlohmann::json& j, const std::string& path, Cond& c, Diag& err);
    bool eval(const Directory& d, uint32_t node, uint32_t slot) const;
    bool test(const Directory& d, const Cond& c, uint32_t slot) const;
    bool testValue(const Cond& c, std::string_view v) const;
    void prepare(const Directory& d) const;
    void prepareCodes(const Directory& d) const;

    bool valid_ = false;
    bool usesEmail_ = false;
    uint32_t root_ = 0;
    std::vector<Node> nodes_;
    std::vector<uint32_t> kids_;
    std::vector<Cond> conds_;
    std::vector<std::string> keys_;

    // Aliases by owner slot (CSR), rebuilt per directory revision when the filter uses "email".
    mutable uint64_t aliasRev_ = 0;
    mutable std::vector<uint32_t> aliasStart_, aliasList_;
    mutable std::string scratch_;   // Unicode-lower-cased value (slow path only)
};

// Value parsing shared with sorting and the UI.
bool parseNumberValue(std::string_view v, double& out);   // the grammar of isNumberValue; false when blank/unparsable
bool parseDateValue(std::string_view v, int32_t& out);    // YYYY-MM-DD or YYYY/MM/DD -> yyyymmdd
void lowerUnicode(std::string_view s, std::string& out);  // simple Unicode lower-casing (utf8proc); invalid bytes kept

}  // namespace roster
