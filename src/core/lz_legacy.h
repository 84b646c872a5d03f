#pragma once
// Roster's own LZ codec, which compressed format-3 chunks until lz4 replaced it (lz.h). Chunks it
// wrote (their header's flags without kLz4, storage_codec_v3.cpp) are read with lzDecompress below:
// the layout is LZ4's block format, but its encoder lets a match run into the block's last bytes,
// which LZ4's rules forbid, so lz4's decoder refuses most of these blocks (225 of the 282 sections
// of the 1M bench directory). lzCompress is kept only so that tests and bench/codec-probe can write
// chunks the way older versions did; nothing in the app calls it.
// The block layout (no code taken from anywhere):
//   sequence = token, [literal length bytes], literals, [offset u16 LE, [match length bytes]]
//   token    = (literal length, 4 bits, 15 = more bytes follow) << 4 | (match length - 4, 4 bits)
//   extra length bytes add 255 while they are 255, then their value.
// The last sequence ends after its literals (no offset). Offsets are 1..65535.
// Decoding checks every bound: damaged input yields false, never a read or write out of range.
#include <cstddef>
#include <cstdint>
#include <string>

namespace roster::legacy {

// Appends the compressed form of src[0, n) to out (tests and the bench only).
void lzCompress(const char* src, size_t n, std::string& out);
// Decodes exactly dstLen bytes into dst from src[0, srcLen). False when the input is damaged
// (does not decode to exactly dstLen bytes using exactly srcLen bytes).
bool lzDecompress(const char* src, size_t srcLen, char* dst, size_t dstLen);

}  // namespace roster::legacy
