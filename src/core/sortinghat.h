#pragma once
// GrimoireLab SortingHat's JSON (the `sortinghat export` / `load` layout, as corpus
// sortinghat_valid.json): the writer; the reader goes here too.
//
// {"time", "source": null, "blacklist": [], "organizations": {name: []}, "uidentities": {uuid: {uuid,
//  profile: {uuid, name, email, gender: null, gender_acc: null, country: null, is_bot},
//  identities: [{id, uuid, name, email, username, source}], enrollments: [{organization, start, end, uuid}]}}}
//
// One uidentity per person; its uuid is sortinghatUuid("roster:" + user id), 40 hex like SortingHat's
// own. Identities: the person's email (source "roster"), each alias (source "roster"), each account
// (source: the integration's name lower-cased; an email-like account in `email`, any other in
// `username`). An identity's id is SortingHat's own: the SHA-1 of "source:email:name:username"
// (absent parts as "None"). Enrollments: one per org unit the person is a member of, from
// 1900-01-01T00:00:00 to 2100-01-01T00:00:00 (SortingHat's defaults); organizations: every unit's
// name, with no domains. is_bot: every account of the person is marked excluded (bot / service).
// SortingHat has no tree and no typed attributes: parents and attributes are not held.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model.h"

namespace roster {

// The SHA-1 of `text` as 40 lower-case hex digits.
std::string sha1Hex(std::string_view text);
// `time` is written as the export's "time" ("2026-12-03 10:00:00").
nlohmann::json writeSortingHat(const Directory& d, const std::string& time);

}  // namespace roster
