#pragma once
// The codec of stored chunks' sections (format 3, storage_codec_v3.cpp): lz4's block format through
// lz4 itself (Debian's lz4 source package, third_party/lz4, see scripts/lib.sh). Chosen over zstd
// and Roster's earlier hand-written LZ (lz_legacy.h) by bench/codec-probe on the 1M directory:
// the fastest to decode, hence to load, and written by LZ4HC level 4 for smaller chunks at the same
// decoding speed (lz.cpp; docs/bench.md, "Storage codec").
// Decoding (LZ4_decompress_safe) checks every bound: damaged input yields false, never a read or
// write out of range.
#include <cstddef>
#include <string>

namespace roster {

// How hard the encoder works. Both write the same block format, decoded at the same speed.
//   Small: LZ4HC level 4, ~18 % smaller, ~8x slower to encode: chunks encoded ahead in the
//          background after an import (Store::preEncode), which the cold reload reads.
//   Fast:  LZ4_compress_default: the chunks a save encodes while the person waits (an edit, the
//          version kept before an import: a 300 KB chunk in ~5 ms instead of ~40).
enum class Packing : unsigned char { Small, Fast };

// Appends the lz4 block of src[0, n) to out. False (out unchanged) when n is beyond lz4's limit
// (LZ4_MAX_INPUT_SIZE, ~2 GB): store such a section uncompressed.
bool lzCompress(const char* src, size_t n, std::string& out, Packing packing = Packing::Small);
// Decodes exactly dstLen bytes into dst from the lz4 block src[0, srcLen). False when the input is
// damaged (does not decode to exactly dstLen bytes using exactly srcLen bytes).
bool lzDecompress(const char* src, size_t srcLen, char* dst, size_t dstLen);

}  // namespace roster
