#include "lz.h"

#include "lz4.h"

namespace roster {

bool lzCompress(const char* src, size_t n, std::string& out) {
    if (n > size_t(LZ4_MAX_INPUT_SIZE)) return false;
    const size_t at = out.size();
    out.resize(at + size_t(LZ4_compressBound(int(n))));
    const int z = LZ4_compress_default(src, &out[at], int(n), int(out.size() - at));
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
