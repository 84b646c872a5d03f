#pragma once
// Identity collation beyond the commands (those are in identities.h): the suggestions query's
// JSON form and the bot check of an account. The identity checks of the lint are declared in
// lint.h; the suggestion engine is suggest.h.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model.h"
#include "suggest.h"

namespace roster {

// One suggestion as the API answers it: {kind, ids, identity?, score, reasons}.
nlohmann::json suggestionJson(const Directory& d, const Suggestion& s);

// Is this account a likely bot / service account (patterns included)? Excluded accounts still answer true/false on the text.
bool identityLooksLikeBot(const Directory& d, uint32_t ii, const std::vector<std::string>& patterns);

}  // namespace roster
