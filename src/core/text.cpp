#include "text.h"

#include <array>
#include <cstring>

namespace roster {

static inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static inline char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

std::string_view trimSlow(std::string_view s) {
    // ASCII whitespace and UTF-8 non-breaking spaces (C2 A0: spreadsheets leave them) in any mix at
    // either end, so that trim(trim(s)) == trim(s): "x\u00A0 " and "x \u00A0" both give "x" (a value
    // kept with a space inside its trailing run would not import again as itself).
    size_t b = 0, e = s.size();
    for (;;) {
        if (b < e && isSpace(s[b])) ++b;
        else if (e - b >= 2 && (unsigned char)s[b] == 0xC2 && (unsigned char)s[b + 1] == 0xA0) b += 2;
        else break;
    }
    for (;;) {
        if (e > b && isSpace(s[e - 1])) --e;
        else if (e - b >= 2 && (unsigned char)s[e - 2] == 0xC2 && (unsigned char)s[e - 1] == 0xA0) e -= 2;
        else break;
    }
    return s.substr(b, e - b);
}

std::string clipText(std::string_view s, size_t n) {
    if (s.size() <= n) return std::string(s);
    size_t k = n;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) --k;   // never cut a UTF-8 sequence
    return std::string(s.substr(0, k)) + "…";
}

std::string toLowerAscii(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = lowerAscii(c);
    return r;
}

namespace {

// 8 bytes at a time (SWAR): ASCII 'A'..'Z' become 'a'..'z'; every other byte is unchanged.
inline uint64_t lower8(uint64_t x) {
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    const uint64_t heptets = x & ~kHigh;
    const uint64_t geA = heptets + kOnes * (0x80 - 'A');       // high bit set where the heptet >= 'A'
    const uint64_t gtZ = heptets + kOnes * (0x80 - 'Z' - 1);   // ... where the heptet > 'Z'
    const uint64_t upper = geA & ~gtZ & ~x & kHigh;            // ASCII bytes in 'A'..'Z'
    return x | (upper >> 2);                                   // 0x80 >> 2 == 0x20
}

inline uint64_t load8(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

inline uint64_t loadTail(const char* p, size_t n) {   // n < 8 bytes, zero-padded
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    return w;
}

}  // namespace

bool equalsFolded(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char *p = a.data(), *q = b.data();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const uint64_t x = load8(p + i), y = load8(q + i);
        if (x != y && lower8(x) != lower8(y)) return false;
    }
    if (i < n) {
        const uint64_t x = loadTail(p + i, n - i), y = loadTail(q + i, n - i);
        if (x != y && lower8(x) != lower8(y)) return false;
    }
    return true;
}

uint64_t hashFolded(std::string_view s) {
    s = trim(s);
    constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
    uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t(s.size()) * kMul);
    const char* p = s.data();
    const size_t n = s.size();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ lower8(load8(p + i))) * kMul;
        h ^= h >> 29;
    }
    if (i < n) {
        h = (h ^ lower8(loadTail(p + i, n - i))) * kMul;
        h ^= h >> 29;
    }
    h ^= h >> 32;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return h;
}

namespace {

enum : uint8_t { kBad = 1, kDomainOk = 2 };
struct EmailClasses {
    uint8_t c[256] = {};
    EmailClasses() {
        for (int u = 0; u < 256; ++u) {
            uint8_t k = 0;
            if (u <= 0x20 || u == 0x7F) k |= kBad;
            for (char b : std::string_view(",;<>()[]\\\"")) if (u == (unsigned char)b) k |= kBad;
            if (u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-') k |= kDomainOk;
            c[u] = k;
        }
    }
};
const EmailClasses kEmail;

}  // namespace

// One pass: the local part (no forbidden byte, no leading/trailing/double dot, at most 64 bytes),
// one '@', then dot-separated domain labels of 1..63 letters/digits/hyphens/non-ASCII bytes that
// neither start nor end with '-', at least two labels.
std::string foldHeader(std::string_view h) {
    h = trim(h);
    std::string out;
    out.reserve(h.size());
    bool sep = false;
    for (char c : h) {
        if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t') {
            sep = true;
            continue;
        }
        if (sep && !out.empty()) out.push_back('_');
        sep = false;
        out.push_back(c >= 'A' && c <= 'Z' ? char(c + 32) : c);
    }
    return out;
}

std::string attrKeyOf(std::string_view header) {
    header = trim(header);
    std::string out;
    out.reserve(header.size());
    bool run = false;
    for (char c : header) {
        if (c == ' ' || c == '-' || c == '.' || c == '\t') {
            if (!run) out.push_back('_');
            run = true;
            continue;
        }
        run = false;
        out.push_back(c >= 'A' && c <= 'Z' ? char(c + 32) : c);
    }
    return out;
}

bool isValidEmail(std::string_view s) {
    const size_t n = s.size();
    if (n == 0 || n > 254) return false;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
    if (p[0] == '.' || p[0] == '@') return false;
    size_t i = 0;
    for (; i < n; ++i) {
        const unsigned char c = p[i];
        if (kEmail.c[c] & kBad) return false;
        if (c == '@') break;
        if (c == '.' && p[i - 1] == '.') return false;   // i > 0: p[0] is not '.'
    }
    if (i == n || i > 64 || p[i - 1] == '.') return false;
    size_t labelStart = i + 1;
    if (labelStart == n) return false;
    bool dot = false;
    for (size_t k = labelStart; k <= n; ++k) {
        if (k == n || p[k] == '.') {
            const size_t len = k - labelStart;
            if (len == 0 || len > 63 || p[labelStart] == '-' || p[k - 1] == '-') return false;
            if (k < n) dot = true;
            labelStart = k + 1;
            continue;
        }
        if (!(kEmail.c[p[k]] & kDomainOk)) return false;
    }
    return dot;
}

static std::array<uint32_t, 256> makeCrcTable() {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}

uint32_t crc32(const void* data, size_t n, uint32_t crc) {
    static const std::array<uint32_t, 256> table = makeCrcTable();
    const unsigned char* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

std::string jsonEscapeless(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { out.push_back(char(c)); ++i; continue; }
        int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; ++k) ok = ((unsigned char)s[i + k] >> 6) == 2;
        if (ok && len == 2 && c < 0xC2) ok = false;
        if (ok && len == 3) {
            unsigned char c1 = (unsigned char)s[i + 1];
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) ok = false;
        }
        if (ok && len == 4) {
            unsigned char c1 = (unsigned char)s[i + 1];
            if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) ok = false;
        }
        if (ok) { out.append(s.substr(i, len)); i += len; }
        else { out.append("\xEF\xBF\xBD"); ++i; }
    }
    return out;
}

}  // namespace roster
