#include "lz_legacy.h"

#include <cstring>
#include <vector>

namespace roster::legacy {

namespace {

constexpr size_t kMinMatch = 4;
constexpr size_t kMaxOffset = 65535;
constexpr int kHashBits = 14;

inline uint32_t load32(const unsigned char* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint32_t hash4(uint32_t v) { return (v * 2654435761u) >> (32 - kHashBits); }

inline void putLength(std::string& out, size_t n) {   // the part of a length beyond 15
    while (n >= 255) { out.push_back(char(255)); n -= 255; }
    out.push_back(char(n));
}

void emit(std::string& out, const unsigned char* lit, size_t litLen, size_t offset, size_t matchLen) {
    const size_t ml = matchLen ? matchLen - kMinMatch : 0;
    out.push_back(char(((litLen < 15 ? litLen : 15) << 4) | (ml < 15 ? ml : 15)));
    if (litLen >= 15) putLength(out, litLen - 15);
    out.append(reinterpret_cast<const char*>(lit), litLen);
    if (!matchLen) return;
    out.push_back(char(offset & 0xFF));
    out.push_back(char(offset >> 8));
    if (ml >= 15) putLength(out, ml - 15);
}

}  // namespace

void lzCompress(const char* srcChars, size_t n, std::string& out) {
    const unsigned char* src = reinterpret_cast<const unsigned char*>(srcChars);
    out.reserve(out.size() + n / 2 + 16);
    std::vector<uint32_t> table(size_t(1) << kHashBits, 0);   // position + 1 of the last 4 bytes with this hash
    size_t anchor = 0, i = 0;
    // A match may not run into the last bytes (kept as literals): simpler bounds for the search.
    const size_t limit = n > kMinMatch ? n - kMinMatch : 0;
    size_t misses = 0;
    while (i < limit) {
        const uint32_t v = load32(src + i);
        const uint32_t h = hash4(v);
        const size_t cand = table[h];
        table[h] = uint32_t(i + 1);
        if (cand && i - (cand - 1) <= kMaxOffset && load32(src + cand - 1) == v) {
            size_t m = cand - 1, len = kMinMatch;
            while (i + len < n && src[m + len] == src[i + len]) ++len;
            // Extend backwards over pending literals.
            while (i > anchor && m > 0 && src[i - 1] == src[m - 1]) { --i; --m; ++len; }
            emit(out, src + anchor, i - anchor, i - m, len);
            // Remember a couple of positions inside the match for later searches.
            const size_t end = i + len;
            if (end - 2 < limit) table[hash4(load32(src + end - 2))] = uint32_t(end - 2 + 1);
            i = anchor = end;
            misses = 0;
        } else {
            i += 1 + (misses++ >> 5);   // skip faster through data that does not compress
        }
    }
    emit(out, src + anchor, n - anchor, 0, 0);
}

bool lzDecompress(const char* srcChars, size_t srcLen, char* dstChars, size_t dstLen) {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(srcChars);
    const unsigned char* const se = s + srcLen;
    unsigned char* d = reinterpret_cast<unsigned char*>(dstChars);
    unsigned char* const d0 = d;
    unsigned char* const de = d + dstLen;
    // Fast paths copy fixed 8- or 16-byte blocks (plain loads and stores, also in WebAssembly) and
    // may copy a few bytes too many, so they run only where both buffers have 16 bytes to spare.
    while (s < se) {
        const unsigned token = *s++;
        size_t lit = token >> 4;
        if (lit == 15) {
            unsigned b;
            do {
                if (s >= se) return false;
                b = *s++;
                lit += b;
            } while (b == 255);
        }
        if (lit <= 16 && se - s >= 16 && de - d >= 16) {
            std::memcpy(d, s, 16);
            if (size_t(se - s) < lit) return false;
        } else {
            if (size_t(se - s) < lit || size_t(de - d) < lit) return false;
            if (lit) std::memcpy(d, s, lit);
        }
        d += lit;
        s += lit;
        if (s == se) break;   // the last sequence: literals only
        if (se - s < 2) return false;
        const size_t off = size_t(s[0]) | (size_t(s[1]) << 8);
        s += 2;
        size_t len = (token & 15);
        if (len == 15) {
            unsigned b;
            do {
                if (s >= se) return false;
                b = *s++;
                len += b;
            } while (b == 255);
        }
        len += kMinMatch;
        if (off == 0 || off > size_t(d - d0) || size_t(de - d) < len) return false;
        const unsigned char* m = d - off;
        if (off >= 8 && size_t(de - d) >= len + 8) {
            // Blocks of 8 in order: a block may read what the one before it wrote (off < len).
            for (size_t k = 0; k < len; k += 8) std::memcpy(d + k, m + k, 8);
            d += len;
        } else {
            while (len--) *d++ = *m++;
        }
    }
    return d == de && s == se;
}

}  // namespace roster::legacy
