#pragma once
// A search box over people (name or email) with a short list of matches, used to pick the person
// an account moves or is assigned to.
#include <cstdint>
#include <string>
#include <vector>

#include "session.h"

namespace roster::ui {

struct PersonPicker {
    std::string query;
    std::vector<uint32_t> matches;
    std::string builtQuery;
    uint64_t builtRev = 0;
    bool focus = true;
};
// Returns the slot the admin picked this frame, else kNone. `exclude` is left out of the list
// (kNone: nobody).
uint32_t drawPersonPicker(const Session& s, PersonPicker& p, uint32_t exclude);

}  // namespace roster::ui
