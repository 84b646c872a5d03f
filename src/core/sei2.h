#pragma once
// SEI 2.0 developer records (the "Download developers" / upload CSV of Harness SEI 2.0):
//
//   Email,Manager Email,Full Name,Role,Site,Team,Sub Role,Department
//
// one row per person (unassigned accounts are not written: SEI 2.0 records people, not accounts).
// Email and Full Name are the person's own; each other field is filled from an attribute, by
// default the one keyed manager_email, role, site, team, sub_role, department; ExportOptions::fields
// chooses another one per field. Values are written as stored, formulas guarded as in the SEI
// export (never a number attribute's value).
//
// checkSei2() finds, in the file exportSei2() writes, what SEI 2.0's upload refuses, with SEI's own
// codes, each naming the people concerned: REQUIRED_VALUE_MISSING (a blank Full Name or Email),
// DUPLICATE_EMAIL (case-insensitive), CIRCULAR_REFERENCE (a reporting cycle through Manager Email,
// self-reference included), MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS (a Manager Email that is no
// row's Email). The file is written all the same: the findings are for the person to fix first.
#include <string>
#include <string_view>
#include <vector>

#include "model.h"
#include "sei.h"

namespace roster {

struct Sei2Field {
    const char* header;        // "Team"
    const char* defaultKey;    // "team"; nullptr for the person's own Email and Full Name
};
// The eight columns in file order.
const std::vector<Sei2Field>& sei2Fields();
std::string sei2Header();      // "Email,Manager Email,Full Name,Role,Site,Team,Sub Role,Department"

// The SEI 2.0 field a header names, compared as import compares headers (case, and spaces, '_',
// '-' and '.' alike: "sub_role" = "Sub Role"); nullptr when none. Email and Full Name are found too.
const Sei2Field* findSei2Field(std::string_view header);

// A live attribute by key, also when the stored key is spelled otherwise ("manager email",
// "Manager-Email" for manager_email): exact (case-insensitive) first, then folded as above.
uint32_t findAttrFolded(const Directory& d, std::string_view key);

// The attribute each field is filled from (kNone: the column stays blank), in sei2Fields() order;
// kNone for Email and Full Name. Overrides in o.fields win; an override naming no attribute, or
// "", leaves the column blank.
std::vector<uint32_t> sei2Attributes(const Directory& d, const ExportOptions& o);

std::string exportSei2(const Directory& d, const ExportOptions& o = {});

std::vector<ExportFinding> checkSei2(const Directory& d, const ExportOptions& o = {}, size_t cap = 1000);

}  // namespace roster
