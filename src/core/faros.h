#pragma once
// Faros AI's org import files (issue 17): the writer; the reader goes here too.
//
// employees.csv  employeeId,fullName,email,teamId,title,location,joinedAt,terminatedAt,inactive, then one
//                column per integration present with accounts, prefixed by its kind: scm → vcsId_<Name>,
//                issues → tmsId_<Name>, incidents → imsId_<Name>, ci → cicdId_<Name> (integrations of
//                kind "other" have no Faros column and are left out). employeeId: the Roster user id.
//                teamId: the deepest org unit the person belongs to (the first in tree order at equal
//                depth), blank when none. title/location/joinedAt/terminatedAt come from the attributes
//                of those names (title|designation|job title, location|site, start date|joined|joined at|
//                hire date, end date|terminated|terminated at|termination date; case, spaces, '_' and '-'
//                ignored; the first such attribute wins). inactive: "true" when terminatedAt is set.
//                A person with several accounts in one integration: the first in the column, the others
//                reported (ACCOUNTS_LEFT_OUT).
// teams.csv      teamId,teamName,parentTeamId,teamLeadId   (the org-unit tree; teamLeadId blank)
// Attributes without a Faros field are left out: one finding FIELDS_LEFT_OUT names them.
#include <string>
#include <vector>

#include "model.h"
#include "sei.h"

namespace roster {

std::string writeFarosEmployees(const Directory& d);
std::string writeFarosTeams(const Directory& d);
std::vector<ExportFinding> checkFaros(const Directory& d);

}  // namespace roster
