#pragma once
// Apache DevLake's org plugin files (issue 17): the writer; the reader goes here too.
//
// users.csv                 Id,Name,Email,TeamIds          (Id: the Roster user id "u12"; TeamIds: the
//                           ';'-separated ids of the org units the person is a member of, tree order)
// teams.csv                 Id,Name,Alias,ParentId,SortingIndex   (Id: the unit's id "o3"; ParentId
//                           its parent's id, blank at the top; SortingIndex: the depth-first position)
// user_account_mapping.csv  Id,Email,FullName,UserName,AvatarUrl,Organization,CreatedDate,Status,UserId
//                           (DevLake's download layout; its upload reads Id and UserId). Id: the
//                           account's domain id "<plugin>:<Kind>:1:<account>" where the integration
//                           maps to a plugin (connection id 1 assumed), else "<integration>:<account>".
// Headers are written exactly as DevLake's templates (case-sensitive).
#include <string>
#include <string_view>

#include "model.h"

namespace roster {

std::string writeDevlakeUsers(const Directory& d);
std::string writeDevlakeTeams(const Directory& d);
std::string writeDevlakeAccounts(const Directory& d);
// The DevLake domain id of an account of an integration named `integration` ("GitHub", "jira"...).
std::string devlakeAccountId(std::string_view integration, std::string_view account);

}  // namespace roster
