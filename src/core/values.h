#pragma once
// Typed attribute values: checking, normalising and guessing types (text, boolean, date, number, email).
#include <string>
#include <string_view>

#include "model.h"

namespace roster {

bool isNumberValue(std::string_view v);        // -12, 3.5, 1e6
bool isIsoDate(std::string_view v);            // YYYY-MM-DD, a real calendar day
bool isDateValue(std::string_view v);          // YYYY-MM-DD or YYYY/MM/DD
bool isBooleanValue(std::string_view v);       // true/false, yes/no, 1/0 in any case
// Normalises a trimmed value for a type: dates to YYYY-MM-DD, booleans to true/false. Returns false
// when the value does not fit (INVALID_VALUE). Empty always fits.
bool normalizeValue(AttrType t, std::string_view v, std::string& out);
// Guesses a new column's type from its values (number, date, boolean, else text).
class TypeGuesser {
public:
    void add(std::string_view v);
    AttrType result() const;
    bool settled() const { return any_ && !number_ && !date_ && !boolean_; }   // Text whatever comes next
private:
    bool any_ = false, number_ = true, date_ = true, boolean_ = true;
};
// CSV spreadsheet-formula guard (OWASP CSV injection).
bool needsFormulaGuard(std::string_view v);      // matches ^'*[=+\-@\t\r]
std::string_view unguardFormula(std::string_view v);   // removes one leading ' when v matches ^'+[=+\-@\t\r]

}  // namespace roster
