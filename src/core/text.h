#pragma once
// Small text helpers shared by the core: trimming, ASCII case folding, email checks, hashing.
#include <cstdint>
#include <string>
#include <string_view>

namespace roster {

// Strips ASCII whitespace and UTF-8 non-breaking spaces at both ends. The common case (nothing to
// strip) is decided inline from the first and last byte.
std::string_view trimSlow(std::string_view s);
inline std::string_view trim(std::string_view s) {
    if (s.empty()) return s;
    const unsigned char f = (unsigned char)s.front(), l = (unsigned char)s.back();
    if (f > 0x20 && f != 0xC2 && l > 0x20 && l != 0xA0) return s;
    return trimSlow(s);
}
std::string toLowerAscii(std::string_view s);
// At most n bytes of s, cut before a UTF-8 sequence and followed by "…" when cut (for messages).
std::string clipText(std::string_view s, size_t n = 80);
bool equalsFolded(std::string_view a, std::string_view b);   // ASCII case-insensitive
// A header as compared on import: trimmed, ASCII lower-cased, every run of spaces, '_', '-' and
// '.' one '_' (`Full Name` = `full_name` = `Full-Name`), without one at either end.
std::string foldHeader(std::string_view h);
// An attribute's key from a header: trimmed, ASCII lower-cased, each run of spaces, '-' and '.'
// written as '_' (`Sub Role` -> `sub_role`, `Team_name` -> `team_name`). Keys never hold spaces.
std::string attrKeyOf(std::string_view header);
// Hash of the ASCII-lower-cased, trimmed text, 8 bytes at a time. Never stored: indexes are rebuilt
// on load, so the function may change between builds.
uint64_t hashFolded(std::string_view s);
// A practical email check: one '@', a non-empty local part without spaces, a domain with a dot,
// labels of letters/digits/hyphens (or any non-ASCII for IDN), no spaces or control characters.
bool isValidEmail(std::string_view s);
uint32_t crc32(const void* data, size_t n, uint32_t crc = 0);
std::string jsonEscapeless(std::string_view s);  // replaces invalid UTF-8 with U+FFFD (for JSON output)

}  // namespace roster
