#pragma once
// CSV invariant checks shared by the libFuzzer target (tests/fuzz/fuzz_csv.cpp) and the Catch2
// test that replays the committed seeds and regressions (tests/core/test_fuzz_regressions.cpp).
//
// Input layout: byte 0 chooses the options, the remaining bytes are the file given to parseCsv.
//   bits 0-2  delimiter: 0 sniff, 1 ',', 2 ';', 3 '\t', 4 '|', 5..7 sniff
//   bit  3    set = skipBlankLines off
//   bits 4-5  line end used to write the table back: 0 "\r\n", 1 "\n", 2 "\r", 3 "\r\n"
// Printable choices: '0' sniff, '1' ',', '2' ';', '3' tab, '4' '|' (blank lines skipped, CRLF);
// '8' '9' ':' ';' '<' the same delimiters with skipBlankLines off; 'P'..'T' sniff , ; tab | with LF,
// '`'..'d' with CR.
//
// checkCsvInput() parses, checks the result, and when it is ok writes the table back with
// appendCsvRow (the dialect's delimiter), re-parses with that delimiter and requires identical cells.
// On the first violation it calls fail(what, line) and returns false.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../../src/core/csv.h"

namespace roster::fuzzcheck {

struct InputOptions {
    CsvOptions csv;
    const char* eol = "\r\n";
};

inline InputOptions decodeOptions(unsigned char b) {
    static constexpr char kDelims[8] = {0, ',', ';', '\t', '|', 0, 0, 0};
    static constexpr const char* kEols[4] = {"\r\n", "\n", "\r", "\r\n"};
    InputOptions o;
    o.csv.delimiter = kDelims[b & 7];
    o.csv.skipBlankLines = (b & 8) == 0;
    o.eol = kEols[(b >> 4) & 3];
    return o;
}

#define ROSTER_FZ_EXPECT(cond)              \
    do {                                    \
        if (!(cond)) {                      \
            fail(#cond, __LINE__);          \
            return false;                   \
        }                                   \
    } while (0)

inline bool isKnownError(const std::string& c) {
    return c == "EMPTY_CSV" || c == "INVALID_CSV" || c == "UNTERMINATED_QUOTE" || c == "FILE_TOO_LARGE";
}

// Structural invariants of one parse result. `want` is the delimiter that was asked for (0 = sniff).
template <class Fail>
bool checkResult(const CsvResult& r, char want, Fail&& fail) {
    const CsvDialect& d = r.table.dialect;
    ROSTER_FZ_EXPECT(d.encoding == "utf-8" || d.encoding == "utf-16le" || d.encoding == "utf-16be" ||
                     d.encoding == "windows-1252");
    for (const Diag& w : r.warnings) ROSTER_FZ_EXPECT(w.code == "ENCODING_FALLBACK");
    if (!r.ok) {
        ROSTER_FZ_EXPECT(isKnownError(r.error.code));
        ROSTER_FZ_EXPECT(r.error.code != "UNTERMINATED_QUOTE" || (r.error.line >= 1 && r.error.column >= 1));
        ROSTER_FZ_EXPECT(r.table.text.empty() && r.table.cellEnd.empty() && r.table.rowEnd.empty() &&
                         r.table.rowLine.empty());
        return true;
    }
    const CsvTable& t = r.table;
    ROSTER_FZ_EXPECT(d.delimiter == ',' || d.delimiter == ';' || d.delimiter == '\t' || d.delimiter == '|');
    ROSTER_FZ_EXPECT(!want || d.delimiter == want);
    ROSTER_FZ_EXPECT(d.lineEnding == "\n" || d.lineEnding == "\r\n" || d.lineEnding == "\r" ||
                     d.lineEnding == "mixed");
    ROSTER_FZ_EXPECT((d.encoding == "windows-1252") == !r.warnings.empty());
    ROSTER_FZ_EXPECT(t.rows() >= 1);
    ROSTER_FZ_EXPECT(t.rowLine.size() == t.rowEnd.size());
    ROSTER_FZ_EXPECT(isValidUtf8(t.text));

    uint32_t prev = 0;
    for (const uint32_t e : t.cellEnd) {
        ROSTER_FZ_EXPECT(e >= prev && e <= t.text.size());
        prev = e;
    }
    ROSTER_FZ_EXPECT(prev == t.text.size());   // every byte of text belongs to a cell
    prev = 0;
    for (const uint32_t e : t.rowEnd) {
        ROSTER_FZ_EXPECT(e >= prev && e <= t.cellEnd.size());
        prev = e;
    }
    ROSTER_FZ_EXPECT(prev == t.cellEnd.size());   // every cell belongs to a row
    prev = 1;
    for (const uint32_t l : t.rowLine) {
        ROSTER_FZ_EXPECT(l >= prev);
        prev = l;
    }

    const char* const tb = t.text.data();
    const char* const te = tb + t.text.size();
    size_t cellIndex = 0;
    for (size_t row = 0; row < t.rows(); ++row) {
        ROSTER_FZ_EXPECT(t.cols(row) >= 1);   // a record always has at least one (maybe empty) cell
        for (size_t c = 0; c < t.cols(row); ++c, ++cellIndex) {
            const std::string_view v = t.cell(row, c);
            const size_t b = cellIndex ? t.cellEnd[cellIndex - 1] : 0;
            ROSTER_FZ_EXPECT(v.size() == t.cellEnd[cellIndex] - b);
            ROSTER_FZ_EXPECT(v.empty() || (v.data() == tb + b && v.data() + v.size() <= te));
        }
        ROSTER_FZ_EXPECT(t.cell(row, t.cols(row)).empty());
    }
    ROSTER_FZ_EXPECT(cellIndex == t.cellEnd.size());
    ROSTER_FZ_EXPECT(t.cols(t.rows()) == 0 && t.cell(t.rows(), 0).empty());
    return true;
}

template <class Fail>
bool checkCsvInput(const uint8_t* data, size_t size, Fail&& fail) {
    if (size == 0) return true;
    const InputOptions o = decodeOptions(data[0]);
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

    const CsvResult r = parseCsv(bytes, o.csv);
    if (!checkResult(r, o.csv.delimiter, fail)) return false;
    {
        // A reader that owns the bytes parses them in place: the same result in every respect.
        CsvReader owned(std::string(bytes), o.csv);
        owned.step(size_t(-1));
        const CsvResult q = owned.take();
        ROSTER_FZ_EXPECT(q.ok == r.ok && q.error.code == r.error.code && q.error.line == r.error.line &&
                         q.error.column == r.error.column && q.warnings.size() == r.warnings.size());
        ROSTER_FZ_EXPECT(q.table.text == r.table.text && q.table.cellEnd == r.table.cellEnd && q.table.rowEnd == r.table.rowEnd &&
                         q.table.rowLine == r.table.rowLine);
        ROSTER_FZ_EXPECT(q.table.dialect.delimiter == r.table.dialect.delimiter && q.table.dialect.bom == r.table.dialect.bom &&
                         q.table.dialect.encoding == r.table.dialect.encoding && q.table.dialect.lineEnding == r.table.dialect.lineEnding);
    }
    if (!r.ok) return true;
    const CsvTable& t = r.table;

    // Write the table back and read it again: the cells must be identical.
    CsvWriteOptions w;
    w.delimiter = t.dialect.delimiter;
    w.eol = o.eol;
    std::string out;
    std::vector<std::string_view> fields;
    for (size_t row = 0; row < t.rows(); ++row) {
        fields.clear();
        for (size_t c = 0; c < t.cols(row); ++c) fields.push_back(t.cell(row, c));
        appendCsvRow(out, fields, w);
    }
    CsvOptions again = o.csv;
    again.delimiter = t.dialect.delimiter;
    const CsvResult r2 = parseCsv(out, again);
    if (!checkResult(r2, again.delimiter, fail)) return false;
    ROSTER_FZ_EXPECT(r2.ok);
    const CsvTable& t2 = r2.table;
    ROSTER_FZ_EXPECT(t2.dialect.encoding == "utf-8" && !t2.dialect.bom);
    ROSTER_FZ_EXPECT(t2.rows() == t.rows());
    for (size_t row = 0; row < t.rows(); ++row) {
        ROSTER_FZ_EXPECT(t2.cols(row) == t.cols(row));
        for (size_t c = 0; c < t.cols(row); ++c) ROSTER_FZ_EXPECT(t2.cell(row, c) == t.cell(row, c));
    }
    return true;
}

#undef ROSTER_FZ_EXPECT

}  // namespace roster::fuzzcheck
