#pragma once
// CSV reader and writer.
//
// parseCsv() works in three steps:
//   1. decode: UTF-8 (BOM stripped), UTF-16 LE/BE with BOM (transcoded), or, when the bytes are
//      not valid UTF-8, Windows-1252 (transcoded, with an ENCODING_FALLBACK warning);
//   2. sniff the delimiter (',' '\t' ';' '|') from the first ~20 records, unless one is given;
//   3. one pass of a small state machine over the bytes (RFC 4180, lenient about stray quotes).
//
// Table layout: every cell's text lives in ONE buffer, so a million-row file costs a handful of
// large allocations and no per-cell strings:
//
//   a,b,"c,d"          text    = "abc,dxyz"
//   x,,yz              cellEnd = {1, 2, 5,   6, 6, 8}      cell i = text[cellEnd[i-1], cellEnd[i])
//                      rowEnd  = {3, 6}                    row r  = cells [rowEnd[r-1], rowEnd[r])
//                      rowLine = {1, 2}                    physical line each record starts on
//
// Offsets are uint32_t: inputs whose decoded text exceeds 4,000,000,000 bytes are refused with
// FILE_TOO_LARGE (which also bounds the cell count below 2^32). parseCsv never throws.
//
// Diagnostics (Diag::code): EMPTY_CSV, INVALID_CSV (NUL byte: a binary file), UNTERMINATED_QUOTE
// (line = line where the quoted field opens, column = 1-based FIELD index of that field within its
// record), FILE_TOO_LARGE; warning ENCODING_FALLBACK.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"

namespace roster {

struct CsvDialect {
    char delimiter = ',';             // ',', ';', '\t' or '|'
    bool bom = false;                 // the input started with a BOM (UTF-8 or UTF-16)
    std::string encoding = "utf-8";   // "utf-8", "utf-16le", "utf-16be", "windows-1252"
    std::string lineEnding = "\n";    // "\r\n", "\n", "\r" or "mixed" (record separators seen outside quotes;
                                      // "\n" when the file is a single line with no terminator)
};

struct CsvOptions {
    char delimiter = 0;            // 0 = sniff ('"', '\r' and '\n' are not delimiters: they also mean sniff)
    bool skipBlankLines = true;    // a physical line that is completely empty (outside quotes) is not a record;
                                   // when false it is a record with one empty cell
    uint64_t maxBytes = 0;         // 0 = no limit; else larger inputs -> FILE_TOO_LARGE
};

struct CsvTable {
    std::string text;                 // decoded UTF-8 text of all cells, concatenated
    std::vector<uint32_t> cellEnd;    // end offset in `text` of each cell
    std::vector<uint32_t> rowEnd;     // end index (exclusive) in the cell list of each row
    std::vector<uint32_t> rowLine;    // 1-based physical line where each record starts
    CsvDialect dialect;

    size_t rows() const { return rowEnd.size(); }
    size_t cols(size_t r) const {
        if (r >= rowEnd.size()) return 0;
        return rowEnd[r] - (r ? rowEnd[r - 1] : 0u);
    }
    // "" when r or c is out of range.
    std::string_view cell(size_t r, size_t c) const {
        if (c >= cols(r)) return {};
        const size_t i = (r ? rowEnd[r - 1] : 0u) + c;
        const size_t b = i ? cellEnd[i - 1] : 0u;
        return std::string_view(text).substr(b, cellEnd[i] - b);
    }
};

struct CsvResult {
    bool ok = false;
    Diag error;                       // when !ok
    std::vector<Diag> warnings;       // e.g. ENCODING_FALLBACK
    CsvTable table;                   // empty when !ok (the dialect detected so far is kept)
};

CsvResult parseCsv(std::string_view bytes, const CsvOptions& opt = {});

// parseCsv in slices (a long import runs across frames): the first step() decodes and sniffs, each
// later one reads whole records until about `maxBytes` more input is consumed. `bytes` must stay
// alive until the reader finishes. parseCsv() is one step(SIZE_MAX).
struct CsvBodyState {
    const char* p = nullptr;
    size_t out = 0;                  // text written so far (in-place mode)
    uint32_t line = 1;
    bool sawLF = false, sawCRLF = false, sawCR = false, started = false, done = false;
};
class CsvReader {
public:
    CsvReader(std::string_view bytes, const CsvOptions& opt = {}) : bytes_(bytes), opt_(opt) {}
    // Takes the bytes over: the table's text is then written over them (no second buffer of the
    // input's size), and they become the table's text.
    CsvReader(std::string&& owned, const CsvOptions& opt = {}) : opt_(opt), owned_(std::move(owned)) { bytes_ = owned_; }
    bool step(size_t maxBytes);                  // true when finished (ok or not)
    size_t bytesDone() const;
    size_t bytesTotal() const { return bytes_.size(); }
    CsvResult take() { return std::move(r_); }

private:
    void prepare();
    void finish();
    std::string_view bytes_;
    CsvOptions opt_;
    CsvResult r_;
    std::string decoded_;             // text the reader owns (transcoded, or the owned bytes); parsed in place
    std::string_view text_;
    std::string owned_;
    CsvBodyState body_;
    bool started_ = false, prepared_ = false, finished_ = false;
};

// The bytes of a file to import, and who owns them: taken over (a std::string moved in: parsed in
// place, and a large file's text is then kept by the directory as it is, with no copy at any step)
// or borrowed (a view: the caller keeps them alive until they are read).
class ImportBytes {
public:
    ImportBytes(std::string&& owned) : owned_(std::move(owned)), owns_(true) {}
    ImportBytes(const std::string& borrowed) : borrowed_(borrowed) {}
    ImportBytes(std::string_view borrowed) : borrowed_(borrowed) {}
    ImportBytes(const char* borrowed) : borrowed_(borrowed) {}
    std::string_view view() const { return owns_ ? std::string_view(owned_) : borrowed_; }
    bool owned() const { return owns_; }
    // The reader of these bytes (taking them over when owned).
    CsvReader reader() && { return owns_ ? CsvReader(std::move(owned_)) : CsvReader(borrowed_); }

private:
    std::string owned_;
    std::string_view borrowed_;
    bool owns_ = false;
};

// ---------------------------------------------------------------- writer

struct CsvWriteOptions {
    char delimiter = ',';
    const char* eol = "\r\n";
    bool bom = false;   // appendCsvRow writes a UTF-8 BOM first when `out` is still empty
};

// RFC 4180: the field is quoted when it contains the delimiter, '"', '\r' or '\n', or starts or ends
// with a space or tab; quotes inside are doubled.
void appendCsvField(std::string& out, std::string_view field, char delimiter = ',');
// Appends the fields separated by o.delimiter, then o.eol. A row of empty fields that would be a
// blank or whitespace-only line is written with its first field as "", so it is not read back as
// no row at all.
void appendCsvRow(std::string& out, const std::vector<std::string_view>& fields, const CsvWriteOptions& o = {});

// ---------------------------------------------------------------- UTF-8 helpers

bool isValidUtf8(std::string_view s);              // strict: no overlongs, surrogates or > U+10FFFF
std::string windows1252ToUtf8(std::string_view s); // every byte maps (undefined 0x81 etc. to U+0081 etc.)

}  // namespace roster
