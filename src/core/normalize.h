#pragma once
// Text normalisation for identity collation: folded names (case, accents, punctuation and word
// order), email parts, GitHub noreply addresses and bot / service-account detection.
#include <string>
#include <string_view>
#include <vector>

namespace roster {

class Directory;

// Unicode fold: NFKD, marks stripped, case folded (utf8proc), plus the few Latin letters that do
// not decompose (ø→o, ł→l, đ→d, æ→ae, œ→oe, þ→th, ı→i). Invalid UTF-8 falls back to ASCII lower-casing.
std::string foldText(std::string_view s);
// The words of a folded text: runs of letters/digits (any non-ASCII byte counts as a letter).
std::vector<std::string> foldedWords(std::string_view s);
// A name's collation key: folded words sorted and joined by one space. "Álvarez, José" and
// "jose alvarez" both give "alvarez jose". Empty when the name has no letters or digits.
std::string normalizeName(std::string_view name);
// A name as a handle: folded words concatenated in order ("Søren Schulz" -> "sorenschulz").
std::string nameHandle(std::string_view name);
// Letters and digits of a folded identifier ("Soren.Schulz-1" -> "sorenschulz1").
std::string alnumFold(std::string_view s);

// Email parts, lower-cased and trimmed; the local part without a "+tag".
std::string emailLocal(std::string_view email);      // "Ada.L+x@Ex.com" -> "ada.l"
std::string emailDomain(std::string_view email);     // -> "ex.com"
std::string foldEmail(std::string_view email);       // trimmed, ASCII lower-cased
// GitHub noreply: "12345+login@users.noreply.github.com" or "login@users.noreply.github.com".
// Sets login (lower-cased) and answers true when the address is one.
bool parseNoreply(std::string_view email, std::string& login);

// Bot and service accounts: "[bot]", "-bot"/"_bot"/".bot" suffix, "bot-" prefix, noreply/no-reply,
// jenkins, dependabot, renovate, github-actions, ... and the admin's patterns (case-insensitive;
// a pattern with * or ? is a glob over the whole text, otherwise a substring).
bool looksLikeBot(std::string_view text, const std::vector<std::string>& patterns = {});
bool globMatchFolded(std::string_view pattern, std::string_view text);
// The directory's live bot patterns, lower-cased.
std::vector<std::string> botPatternList(const Directory& d);
// An email whose local part names a service (noreply@, no-reply@, builds@...) or matches a pattern.
bool emailLooksLikeBot(std::string_view email, const std::vector<std::string>& patterns = {});

}  // namespace roster
