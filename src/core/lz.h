#pragma once
// A small, fast LZ77 byte codec for stored chunks (format 3, see storage_codec.h). Written for Roster;
// the block layout follows the well-known LZ4 idea (no code taken from anywhere):
//   sequence = token, [literal length bytes], literals, [offset u16 LE, [match length bytes]]
//   token    = (literal length, 4 bits, 15 = more bytes follow) << 4 | (match length - 4, 4 bits)
//   extra length bytes add 255 while they are 255, then their value.
// The last sequence ends after its literals (no offset). Offsets are 1..65535.
// Decoding checks every bound: damaged input yields false, never a read or write out of range.
#include <cstddef>
#include <cstdint>
#include <string>

namespace roster {

// Appends the compressed form of src[0, n) to out.
void lzCompress(const char* src, size_t n, std::string& out);
// Decodes exactly dstLen bytes into dst from src[0, srcLen). False when the input is damaged
// (does not decode to exactly dstLen bytes using exactly srcLen bytes).
bool lzDecompress(const char* src, size_t srcLen, char* dst, size_t dstLen);

}  // namespace roster
