#include "csv.h"

#include <algorithm>
#include <cstring>

namespace roster {
namespace {

// Limit on the decoded text. Every text offset is <= n, and a table of n bytes has at most n + 1
// cells (each cell but the first follows a separator byte), so this keeps all of them in uint32_t.
constexpr uint64_t kMaxText = 4000000000ULL;
static_assert(kMaxText + 1 < UINT32_MAX, "offsets and cell counts must fit in uint32_t");
constexpr size_t kNpos = static_cast<size_t>(-1);
constexpr int kSniffRecords = 20;

Diag diag(const char* code, std::string message, uint32_t line = 0, uint32_t column = 0) {
    return Diag{code, std::move(message), line, column};
}

Diag tooLarge(const std::string& why) {
    return diag("FILE_TOO_LARGE", "The file is too large to import (" + why + ").");
}

// 1-based line of position `e` in [b, e): LF, CRLF and lone CR each end a line.
uint32_t lineAt(const char* b, const char* e) {
    uint64_t line = 1;
    for (const char* p = b; p < e; ++p) {
        if (*p == '\n') ++line;
        else if (*p == '\r' && (p + 1 >= e || p[1] != '\n')) ++line;
    }
    return static_cast<uint32_t>(std::min<uint64_t>(line, UINT32_MAX));
}

// Offset of the first byte that is not part of a well-formed UTF-8 sequence, or kNpos.
size_t firstInvalidUtf8(const unsigned char* s, size_t n) {
    size_t i = 0;
    while (i < n) {
        // ASCII fast path, 8 bytes at a time.
        while (i + 8 <= n) {
            uint64_t w;
            std::memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        while (i < n && s[i] < 0x80) ++i;
        if (i >= n) break;

        const unsigned c = s[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xBF;   // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) { len = 3; lo = 0xA0; }
        else if (c == 0xED) { len = 3; hi = 0x9F; }   // no UTF-16 surrogates
        else if (c >= 0xE1 && c <= 0xEF) len = 3;
        else if (c == 0xF0) { len = 4; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) { len = 4; hi = 0x8F; }   // <= U+10FFFF
        else return i;
        if (n - i < len) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k < len; ++k)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return kNpos;
}

char* putUtf8(char* o, uint32_t cp) {
    if (cp < 0x80) {
        *o++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *o++ = static_cast<char>(0xC0 | (cp >> 6));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = static_cast<char>(0xE0 | (cp >> 12));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *o++ = static_cast<char>(0xF0 | (cp >> 18));
        *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
}

// Windows-1252 0x80..0x9F; the five undefined bytes map to the C1 control of the same value.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

uint32_t cp1252(unsigned char b) {
    return (b >= 0x80 && b < 0xA0) ? kCp1252High[b - 0x80] : b;
}

// UTF-16 (after the BOM) -> UTF-8. A NUL code unit means a binary file.
bool decodeUtf16(const unsigned char* s, size_t n, bool bigEndian, std::string& out, Diag& err) {
    out.resize(n / 2 * 3 + 3);   // worst case: 3 UTF-8 bytes per code unit (+ U+FFFD for an odd byte)
    char* const base = out.data();
    char* o = base;
    auto unit = [&](size_t k) -> uint32_t {
        return bigEndian ? (uint32_t(s[k]) << 8 | s[k + 1]) : (s[k] | uint32_t(s[k + 1]) << 8);
    };
    size_t i = 0;
    while (i + 1 < n) {
        uint32_t u = unit(i);
        i += 2;
        if (u == 0) {
            err = diag("INVALID_CSV",
                       "The file contains a NUL character, so it looks like a binary file, not a CSV text file.",
                       lineAt(base, o));
            return false;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 < n) {
                const uint32_t u2 = unit(i);
                if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                    i += 2;
                    u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
                } else {
                    u = 0xFFFD;
                }
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        o = putUtf8(o, u);
    }
    if (i < n) o = putUtf8(o, 0xFFFD);   // odd trailing byte
    out.resize(static_cast<size_t>(o - base));
    return true;
}

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

int candidateIndex(char c) {
    switch (c) {
        case ',': return 0;
        case '\t': return 1;
        case ';': return 2;
        case '|': return 3;
        default: return -1;
    }
}

// Counts each candidate outside quotes per record over the first records; picks the one present on
// the header whose count repeats on the most records (then the larger count, then the order , \t ; |).
// A quote opens a quoted section at the start of a record or right after any candidate delimiter.
char sniffDelimiter(const char* p, const char* end) {
    static constexpr char kCand[4] = {',', '\t', ';', '|'};
    uint32_t counts[kSniffRecords][4] = {};
    int nrec = 0;
    while (p < end && nrec < kSniffRecords) {
        if (*p == '\n' || *p == '\r') { ++p; continue; }   // blank line
        uint32_t* cnt = counts[nrec++];
        bool inQuote = false, fieldStart = true;
        while (p < end) {
            const char c = *p;
            if (inQuote) {
                if (c == '"') {
                    if (p + 1 < end && p[1] == '"') { p += 2; continue; }
                    inQuote = false;
                }
                ++p;
                continue;
            }
            if (c == '\n' || c == '\r') {
                ++p;
                if (c == '\r' && p < end && *p == '\n') ++p;
                break;
            }
            if (c == '"' && fieldStart) {
                inQuote = true;
                fieldStart = false;
                ++p;
                continue;
            }
            const int k = candidateIndex(c);
            if (k >= 0) ++cnt[k];
            fieldStart = k >= 0;
            ++p;
        }
    }
    int best = -1;
    uint32_t bestConsistent = 0, bestCount = 0;
    for (int k = 0; k < 4; ++k) {
        const uint32_t h = counts[0][k];
        if (h == 0) continue;
        uint32_t consistent = 0;
        for (int r = 0; r < nrec; ++r) consistent += counts[r][k] == h;
        if (best < 0 || consistent > bestConsistent || (consistent == bestConsistent && h > bestCount)) {
            best = k;
            bestConsistent = consistent;
            bestCount = h;
        }
    }
    return best < 0 ? ',' : kCand[best];
}

// The state machine. `t.text` reserves the input size up front (cell text is never longer than the
// bytes it comes from), so appends never reallocate; appending rather than resizing avoids touching
// the memory twice (page faults dominate on large inputs).
// SWAR: does any byte of w equal the byte repeated in `mask`?
constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
constexpr uint64_t kCrMask = kOnes * '\r', kLfMask = kOnes * '\n', kQuoteMask = kOnes * '"';
inline uint64_t hasByte(uint64_t w, uint64_t mask) {
    const uint64_t v = w ^ mask;
    return (v - kOnes) & ~v & kHighs;
}

// Resumable: each call reads whole records until at least `maxBytes` more input is consumed (or
// the end); st.done is set at the end.
// With `inPlace` (the start of the buffer that holds [begin, end), owned by the reader) the cells'
// text is written over the input it comes from: the text is never longer than the bytes already
// read, so the write position stays behind the read position. No second buffer of the input's size
// is filled (at 160 MB that is 40,000 fresh pages), and the buffer then becomes the table's text.
bool parseBody(CsvBodyState& st, const char* const begin, const char* const end, const char delim, const bool skipBlank,
               CsvTable& t, Diag& err, size_t maxBytes, char* const inPlace) {
    const size_t n = static_cast<size_t>(end - begin);

    // Reserve from a sample: separators per byte in the first 64 KiB, extrapolated.
    if (!st.started) {
        st.started = true;
        st.p = begin;
        const size_t sample = std::min<size_t>(n, 1u << 16);
        uint64_t seps = 0, lines = 0;
        for (size_t i = 0; i < sample; ++i) {
            const char c = begin[i];
            seps += c == delim;
            lines += c == '\n';
        }
        if (lines == 0)
            for (size_t i = 0; i < sample; ++i) lines += begin[i] == '\r';
        const uint64_t scale = sample ? n / sample : 1;
        uint64_t estRows = (lines + 1) * scale, estCells = (seps + lines + 1) * scale;
        estRows = std::min<uint64_t>(estRows + estRows / 16 + 16, n + 1);
        estCells = std::min<uint64_t>(estCells + estCells / 16 + 16, n + 1);
        t.cellEnd.reserve(static_cast<size_t>(estCells));
        t.rowEnd.reserve(static_cast<size_t>(estRows));
        t.rowLine.reserve(static_cast<size_t>(estRows));
    }
    std::string& text = t.text;
    if (!inPlace && text.capacity() < n) text.reserve(n);
    char* w = inPlace ? inPlace + st.out : nullptr;
    auto put = [&](const char* src, size_t len) {
        if (w) {
            // Eight bytes at a time when the writer is at least a word behind: every store then
            // lands on input already read (the last one may spill up to 7 bytes past the cell, still
            // below the read position). A libc memmove per 14-byte cell costs more than the scan.
            if (static_cast<size_t>(src - w) >= 8 && static_cast<size_t>(end - src) >= ((len + 7) & ~size_t(7))) {
                for (size_t i = 0; i < len; i += 8) {
                    uint64_t x;
                    std::memcpy(&x, src + i, 8);
                    std::memcpy(w + i, &x, 8);
                }
            } else {
                std::memmove(w, src, len);
            }
            w += len;
        } else {
            text.append(src, len);
        }
    };
    auto outSize = [&]() { return w ? static_cast<size_t>(w - inPlace) : text.size(); };

    bool stopPlain[256] = {}, stopQuoted[256] = {};
    for (const char c : {delim, '\r', '\n'}) stopPlain[static_cast<unsigned char>(c)] = true;
    for (const char c : {'"', '\r', '\n'}) stopQuoted[static_cast<unsigned char>(c)] = true;

    const uint64_t delimMask = kOnes * static_cast<unsigned char>(delim);
    const char* p = st.p;
    uint32_t line = st.line;
    bool sawLF = st.sawLF, sawCRLF = st.sawCRLF, sawCR = st.sawCR;
    const char* const sliceEnd = size_t(end - p) > maxBytes ? p + maxBytes : end;

    auto eatNewline = [&] {   // p is at '\r' or '\n' outside quotes
        if (*p == '\n') {
            sawLF = true;
            ++p;
        } else if (p + 1 < end && p[1] == '\n') {
            sawCRLF = true;
            p += 2;
        } else {
            sawCR = true;
            ++p;
        }
        ++line;
    };

    while (p < sliceEnd) {
        if (skipBlank && (*p == '\n' || *p == '\r')) {
            eatNewline();
            continue;
        }
        t.rowLine.push_back(line);
        uint32_t field = 0;
        for (;;) {
            ++field;
            if (p < end && *p == '"') {
                const uint32_t openLine = line;
                ++p;
                for (;;) {
                    const char* s = p;
                    while (p + 8 <= end) {
                        uint64_t w;
                        std::memcpy(&w, p, 8);
                        if (hasByte(w, kQuoteMask) | hasByte(w, kCrMask) | hasByte(w, kLfMask)) break;
                        p += 8;
                    }
                    while (p < end && !stopQuoted[static_cast<unsigned char>(*p)]) ++p;
                    put(s, static_cast<size_t>(p - s));
                    if (p == end) {
                        err = diag("UNTERMINATED_QUOTE",
                                   "A quoted field starting on line " + std::to_string(openLine) + " (field " +
                                       std::to_string(field) + ") is never closed: a closing \" is missing.",
                                   openLine, field);
                        return false;
                    }
                    const char c = *p++;
                    if (c == '"') {
                        if (p < end && *p == '"') {   // "" -> "
                            put(p, 1);
                            ++p;
                            continue;
                        }
                        break;   // closing quote
                    }
                    // A line break inside quotes is cell text.
                    const char* lb = p - 1;
                    if (c == '\r' && p < end && *p == '\n') ++p;
                    put(lb, static_cast<size_t>(p - lb));
                    ++line;
                }
            }
            // Unquoted text, or (lenient) text between a closing quote and the delimiter: 8 bytes
            // at a time while none of them is the delimiter, CR or LF.
            const char* s = p;
            while (p + 8 <= end) {
                uint64_t w;
                std::memcpy(&w, p, 8);
                if (hasByte(w, delimMask) | hasByte(w, kCrMask) | hasByte(w, kLfMask)) break;
                p += 8;
            }
            while (p < end && !stopPlain[static_cast<unsigned char>(*p)]) ++p;
            put(s, static_cast<size_t>(p - s));
            t.cellEnd.push_back(static_cast<uint32_t>(outSize()));
            if (p == end) break;
            if (*p == delim) {
                ++p;
                continue;
            }
            eatNewline();
            break;
        }
        t.rowEnd.push_back(static_cast<uint32_t>(t.cellEnd.size()));
    }
    st.p = p;
    st.out = outSize();
    st.line = line;
    st.sawLF = sawLF;
    st.sawCRLF = sawCRLF;
    st.sawCR = sawCR;
    if (p < end) return true;
    st.done = true;

    const int kinds = int(sawLF) + int(sawCRLF) + int(sawCR);
    t.dialect.lineEnding = kinds > 1 ? "mixed" : sawCRLF ? "\r\n" : sawCR ? "\r" : "\n";
    return true;
}

}  // namespace

// Decoding, the NUL and size checks and sniffing: everything before the records.
void CsvReader::prepare() {
    const std::string_view bytes = owned_.empty() ? bytes_ : std::string_view(owned_);
    const CsvOptions& opt = opt_;
    CsvResult& r = r_;
    std::string& decoded = decoded_;
    std::string_view& text = text_;
    CsvDialect& d = r.table.dialect;
    if (opt.maxBytes && bytes.size() > opt.maxBytes) {
        r.error = tooLarge("it has " + std::to_string(bytes.size()) + " bytes; the limit is " +
                           std::to_string(opt.maxBytes));
        return;
    }
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();

    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const bool be = u[0] == 0xFE;
        d.bom = true;
        d.encoding = be ? "utf-16be" : "utf-16le";
        if (!decodeUtf16(u + 2, n - 2, be, decoded, r.error)) return;
        text = decoded;
    } else {
        std::string_view content = bytes;
        if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
            d.bom = true;
            content.remove_prefix(3);
        }
        if (const void* nul = std::memchr(content.data(), 0, content.size())) {
            r.error = diag("INVALID_CSV",
                           "The file contains a NUL byte, so it looks like a binary file, not a CSV text file.",
                           lineAt(content.data(), static_cast<const char*>(nul)));
            return;
        }
        const size_t bad = firstInvalidUtf8(reinterpret_cast<const unsigned char*>(content.data()), content.size());
        if (bad == kNpos && !owned_.empty()) {
            // The reader owns the bytes: they are parsed in place (see parseBody).
            const size_t skip = static_cast<size_t>(content.data() - bytes.data());
            decoded = std::move(owned_);
            owned_ = std::string();
            text = std::string_view(decoded).substr(skip);
        } else if (bad == kNpos) {
            text = content;
        } else {
            const uint32_t line = lineAt(content.data(), content.data() + bad);
            r.warnings.push_back(diag("ENCODING_FALLBACK",
                                      "The file is not valid UTF-8 (first invalid byte on line " +
                                          std::to_string(line) + "); it was read as Windows-1252.",
                                      line));
            d.encoding = "windows-1252";
            decoded = windows1252ToUtf8(content);
            text = decoded;
        }
    }
    if (!decoded.empty()) {   // transcoded: the original bytes are no longer needed
        owned_.clear();
        owned_.shrink_to_fit();
    }
    if (text.size() > kMaxText) {
        r.error = tooLarge("its text exceeds 4,000,000,000 bytes");
        return;
    }
    if (std::all_of(text.begin(), text.end(), isBlank)) {
        r.error = diag("EMPTY_CSV", "The file is empty: it contains no rows.", 1);
        return;
    }

    const char want = opt.delimiter;
    d.delimiter = (want && want != '"' && want != '\r' && want != '\n')
                      ? want
                      : sniffDelimiter(text.data(), text.data() + text.size());

    prepared_ = true;
}

bool CsvReader::step(size_t maxBytes) {
    if (finished_) return true;
    CsvResult& r = r_;
    try {
        if (!started_) {
            started_ = true;
            prepare();
            if (!prepared_) {
                finish();
                return true;
            }
            if (maxBytes != size_t(-1)) return false;   // decoding was this slice's work
        }
        char* const inPlace = decoded_.empty() ? nullptr : decoded_.data();
        if (!parseBody(body_, text_.data(), text_.data() + text_.size(), r.table.dialect.delimiter, opt_.skipBlankLines, r.table,
                       r.error, maxBytes, inPlace)) {
            finish();
            return true;
        }
        if (!body_.done) return false;
        if (inPlace) {   // the owned buffer, compacted, is the table's text
            decoded_.resize(body_.out);
            r.table.text = std::move(decoded_);
            decoded_ = std::string();
        }
        if (r.table.rows() == 0) {
            r.error = diag("EMPTY_CSV", "The file is empty: it contains no rows.", 1);
        } else {
            r.ok = true;
        }
    } catch (...) {   // std::bad_alloc / std::length_error: the only exceptions parseImpl can raise
        r.ok = false;
        CsvDialect d = std::move(r.table.dialect);
        r.table = CsvTable{};   // free the big buffers before building the message
        r.table.dialect = std::move(d);
        try {
            r.error = tooLarge("not enough memory");
        } catch (...) {   // still never throw; a short code fits the small-string buffer
            r.error = Diag{};
            r.error.code = "FILE_TOO_LARGE";
        }
    }
    finish();
    return true;
}

void CsvReader::finish() {
    finished_ = true;
    CsvResult& r = r_;
    if (!r.ok) {
        CsvDialect d = std::move(r.table.dialect);
        r.table = CsvTable{};
        r.table.dialect = std::move(d);
    }
    decoded_.clear();
    decoded_.shrink_to_fit();
}

size_t CsvReader::bytesDone() const {
    if (finished_) return bytes_.size();
    if (!body_.started || text_.empty()) return 0;
    // Progress through the decoded text, scaled to the input bytes.
    return size_t(double(body_.p - text_.data()) / double(text_.size()) * double(bytes_.size()));
}

CsvResult parseCsv(std::string_view bytes, const CsvOptions& opt) {
    CsvReader reader(bytes, opt);
    reader.step(size_t(-1));
    return reader.take();
}

// ---------------------------------------------------------------- writer

void appendCsvField(std::string& out, std::string_view field, char delimiter) {
    bool quote = false;
    if (!field.empty()) {
        const char first = field.front(), last = field.back();
        auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; };
        // Leading/trailing blanks (the reader's blank-line test counts \f and \v too), and a leading
        // U+FEFF, which a reader would take for a byte-order mark, are protected by quotes.
        quote = blank(first) || blank(last) || field.substr(0, 3) == "\xEF\xBB\xBF";
    }
    if (!quote) {
        for (const char c : field) {
            if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
                quote = true;
                break;
            }
        }
    }
    if (!quote) {
        out.append(field);
        return;
    }
    out.push_back('"');
    size_t start = 0;
    for (size_t q; (q = field.find('"', start)) != std::string_view::npos; start = q + 1) {
        out.append(field.substr(start, q + 1 - start));   // up to and including the quote
        out.push_back('"');                              // ... doubled
    }
    out.append(field.substr(start));
    out.push_back('"');
}

void appendCsvRow(std::string& out, const std::vector<std::string_view>& fields, const CsvWriteOptions& o) {
    if (o.bom && out.empty()) out.append("\xEF\xBB\xBF");
    // A row of empty fields that would be a blank line (one field, or a tab delimiter: whitespace
    // only) is written with its first field as "", else it would be read back as no row at all.
    bool allEmpty = fields.size() == 1 || o.delimiter == '\t' || o.delimiter == ' ';
    for (std::string_view f : fields) allEmpty = allEmpty && f.empty();
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(o.delimiter);
        if (i == 0 && allEmpty) out.append("\"\"");
        else appendCsvField(out, fields[i], o.delimiter);
    }
    out.append(o.eol ? o.eol : "\r\n");
}

// ---------------------------------------------------------------- UTF-8 helpers

bool isValidUtf8(std::string_view s) {
    return firstInvalidUtf8(reinterpret_cast<const unsigned char*>(s.data()), s.size()) == kNpos;
}

std::string windows1252ToUtf8(std::string_view s) {
    size_t size = 0;
    for (const char ch : s) {
        const auto b = static_cast<unsigned char>(ch);
        size += b < 0x80 ? 1 : cp1252(b) < 0x800 ? 2 : 3;
    }
    std::string out(size, '\0');
    char* o = out.data();
    for (const char ch : s) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) *o++ = ch;
        else o = putUtf8(o, cp1252(b));
    }
    return out;
}

}  // namespace roster
