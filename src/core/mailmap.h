#pragma once
// git's .mailmap, both ways (issue 17).
//
// Reading follows git's own parser (mailmap.c, read_mailmap_line): a line starting with '#' is a
// comment; otherwise the first "<…>" is the proper email, the text before it the proper name, and
// an optional second "[Commit Name] <commit@email>" the address commits carry. Whatever follows
// the last '>' is ignored (a trailing comment). Lines without an email are ignored by git; Roster
// reports each (MAILMAP_LINE_IGNORED) with its line.
//
// Writing: one line per address of a person other than their email (their aliases and the
// email-like accounts of their source-code integrations): "Proper Name <primary> <other>", and a
// name line "Proper Name <primary>" for every named person, so that `git shortlog`, `log` and
// `blame` (and `git check-mailmap`) show each address as the person. Sorted as git's own .mailmap
// is: by the line, case-insensitively.
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"
#include "model.h"

namespace roster {

struct MailmapEntry {
    std::string properName, properEmail;   // properEmail never empty
    std::string commitName, commitEmail;   // commitEmail empty: a name line ("Name <email>")
    std::string rest;                      // what follows the last "<…>" git read (trimmed): git ignores it
    uint32_t line = 0;
};

struct MailmapParse {
    std::vector<MailmapEntry> entries;
    std::vector<Diag> warnings;   // MAILMAP_LINE_IGNORED
    uint32_t lines = 0, comments = 0;
};

MailmapParse parseMailmap(std::string_view text);

// Whether a file reads as a .mailmap rather than a CSV or JSON: most of its non-blank,
// non-comment lines are "… <…>" entries, and none looks like a CSV header.
bool looksLikeMailmap(std::string_view text);

// The .mailmap import (foreign.h readMailmapImport, mailmap.cpp) ties the addresses git sees to
// people: every other address of a line becomes an alias of the person with the proper email
// (created when new, named by the line's proper name); a name line names a person who has no name
// yet; an address two people claim stays with the first (ALIAS_CONFLICT); a line that would tie two
// people together (its other address is already someone else's, or another line's proper email)
// becomes a merge suggestion hint, never an automatic merge.

struct MailmapWriteStats { uint32_t people = 0, lines = 0, skipped = 0; };
// `skipped`: addresses or names a .mailmap cannot hold ('<', '>' or a line break in them).
std::string writeMailmap(const Directory& d, MailmapWriteStats* stats = nullptr);

}  // namespace roster
