#pragma once
// Inputs for one attribute value, by type: text, a yes/no choice, a date with a calendar popup,
// a number, a person (email) with a search popup. Used by the editor pane, the bulk edit and the
// panels that edit values.
#include <string>

#include "model.h"
#include "session.h"

namespace roster::ui {

const char* attrTypeLabel(AttrType t);   // "Text", "Yes / no", "Date", "Number", "Person (email)"
// An input for one attribute value. Returns true when the person commits a value (Enter, leaving
// the field after an edit, picking a date / a person / a boolean). `buf` holds the text.
bool attrValueInput(const char* id, const Session& s, AttrType type, std::string& buf, float width);
// A small calendar popup for YYYY-MM-DD text; returns true when a day was picked.
bool datePickerButton(const char* id, std::string& buf);
// A person picker popup (search by name or email) writing the chosen person's email into buf.
bool personPickerButton(const char* id, const Session& s, std::string& buf);
// The name shown for an attribute (its label, else its key).
std::string attrDisplayName(const Directory& d, uint32_t attr);

}  // namespace roster::ui
