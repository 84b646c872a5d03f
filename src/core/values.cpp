#include "values.h"

#include "text.h"

namespace roster {

bool isNumberValue(std::string_view v) {
    size_t i = 0, n = v.size();
    if (i < n && (v[i] == '-' || v[i] == '+')) ++i;
    size_t digits = 0;
    while (i < n && v[i] >= '0' && v[i] <= '9') { ++i; ++digits; }
    if (i < n && v[i] == '.') {
        ++i;
        while (i < n && v[i] >= '0' && v[i] <= '9') { ++i; ++digits; }
    }
    if (!digits) return false;
    if (i < n && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < n && (v[i] == '-' || v[i] == '+')) ++i;
        size_t ed = 0;
        while (i < n && v[i] >= '0' && v[i] <= '9') { ++i; ++ed; }
        if (!ed) return false;
    }
    return i == n;
}

static bool dateParts(std::string_view v, char sep) {
    if (v.size() != 10 || v[4] != sep || v[7] != sep) return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (v[i] < '0' || v[i] > '9') return false;
    int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    int m = (v[5] - '0') * 10 + (v[6] - '0');
    int d = (v[8] - '0') * 10 + (v[9] - '0');
    if (m < 1 || m > 12 || d < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int md = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) md = 29;
    return d <= md;
}

bool isIsoDate(std::string_view v) { return dateParts(v, '-'); }
bool isDateValue(std::string_view v) { return dateParts(v, '-') || dateParts(v, '/'); }

bool isBooleanValue(std::string_view v) {
    std::string l = toLowerAscii(v);
    return l == "true" || l == "false" || l == "yes" || l == "no" || l == "1" || l == "0";
}

bool normalizeValue(AttrType t, std::string_view v, std::string& out) {
    v = trim(v);
    out.assign(v.data(), v.size());
    if (v.empty()) return true;
    switch (t) {
        case AttrType::Text: return true;
        case AttrType::Number: return isNumberValue(v);
        case AttrType::Date:
            if (dateParts(v, '/')) { out[4] = '-'; out[7] = '-'; return true; }
            return dateParts(v, '-');
        case AttrType::Boolean: {
            std::string l = toLowerAscii(v);
            if (l == "true" || l == "yes" || l == "1") { out = "true"; return true; }
            if (l == "false" || l == "no" || l == "0") { out = "false"; return true; }
            return false;
        }
        case AttrType::Email: return isValidEmail(v);
    }
    return true;
}

void TypeGuesser::add(std::string_view v) {
    v = trim(v);
    if (v.empty()) return;
    any_ = true;
    if (number_ && !isNumberValue(v)) number_ = false;
    if (date_ && !isDateValue(v)) date_ = false;
    if (boolean_) {
        std::string l = toLowerAscii(v);
        if (!(l == "true" || l == "false" || l == "yes" || l == "no")) boolean_ = false;
    }
}

AttrType TypeGuesser::result() const {
    if (!any_) return AttrType::Text;
    if (number_) return AttrType::Number;
    if (date_) return AttrType::Date;
    if (boolean_) return AttrType::Boolean;
    return AttrType::Text;
}

bool needsFormulaGuard(std::string_view v) {
    size_t i = 0;
    while (i < v.size() && v[i] == '\'') ++i;
    if (i >= v.size()) return false;
    char c = v[i];
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

std::string_view unguardFormula(std::string_view v) {
    if (v.empty() || v[0] != '\'') return v;
    size_t i = 0;
    while (i < v.size() && v[i] == '\'') ++i;
    if (i >= v.size()) return v;
    char c = v[i];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') return v.substr(1);
    return v;
}

}  // namespace roster
