#pragma once
// Small text helpers shared by the core: trimming, ASCII case folding, email checks, hashing.
#include <cstdint>
#include <string>
#include <string_view>

namespace roster {

std::string_view trim(std::string_view s);
std::string toLowerAscii(std::string_view s);
bool equalsFolded(std::string_view a, std::string_view b);   // ASCII case-insensitive
uint64_t hashFolded(std::string_view s);                      // hash of the ASCII-lower-cased, trimmed text
// A practical email check: one '@', a non-empty local part without spaces, a domain with a dot,
// labels of letters/digits/hyphens (or any non-ASCII for IDN), no spaces or control characters.
bool isValidEmail(std::string_view s);
uint32_t crc32(const void* data, size_t n, uint32_t crc = 0);
std::string jsonEscapeless(std::string_view s);  // replaces invalid UTF-8 with U+FFFD (for JSON output)

}  // namespace roster
