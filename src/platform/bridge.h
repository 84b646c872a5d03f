#pragma once
// window.roster -> C++ (roster_api): the table of API calls (bridge.cpp), the test-only UI actions
// of roster.ui({action}) (ui_actions.cpp), and stats() (stats.cpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "app.h"

namespace roster::platform {

// A call's input: the JSON argument and, for CSV and files, the bytes post.js wrote.
struct ApiInput {
    const json& arg;
    const uint8_t* bytes;
    size_t len;
    bool hasBytes;
};

json apiCall(App& a, const std::string& method, const json& arg, const uint8_t* bytes, size_t len, bool hasBytes);
json uiAction(App& a, const json& arg);   // roster.ui(action): not part of the contract
json statsJson(App& a);                   // roster.stats()

}  // namespace roster::platform
