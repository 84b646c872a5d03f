#include "lz.h"

#include "lz4.h"
#include "lz4hc.h"

namespace roster {

namespace {
// LZ4HC level 4 (docs/bench.md, "Storage codec"): decodes as fast as LZ4_compress_default's blocks
// (within noise, natively and in WebAssembly) and is 18 % smaller at 1M, so the cold reload reads
// fewer bytes; it encodes a whole 1M directory in WebAssembly in about the time the hand-written
// encoder took (2.4 vs 2.2 s; LZ4_compress_default: 0.37 s). Any level writes the same block format.
constexpr int kHcLevel = 4;
}  // namespace

bool lzCompress(const char* src, size_t n, std::string& out, Packing packing) {
    if (n > size_t(LZ4_MAX_INPUT_SIZE)) return false;
    const size_t at = out.size();
    out.resize(at + size_t(LZ4_compressBound(int(n))));
    const int z = packing == Packing::Fast ? LZ4_compress_default(src, &out[at], int(n), int(out.size() - at))
                                           : LZ4_compress_HC(src, &out[at], int(n), int(out.size() - at), kHcLevel);
    if (z <= 0) { out.resize(at); return false; }
    out.resize(at + size_t(z));
    return true;
}

bool lzDecompress(const char* src, size_t srcLen, char* dst, size_t dstLen) {
    if (srcLen > size_t(LZ4_MAX_INPUT_SIZE) || dstLen > size_t(LZ4_MAX_INPUT_SIZE)) return false;
    // LZ4_decompress_safe wants a valid pointer even for an empty output.
    char none = 0;
    return LZ4_decompress_safe(src, dstLen ? dst : &none, int(srcLen), int(dstLen)) == int(dstLen);
}

}  // namespace roster
