// Tests for the CSV reader and writer (src/core/csv.h).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "../../src/core/csv.h"

using namespace roster;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows rowsOf(const CsvTable& t) {
    Rows out(t.rows());
    for (size_t r = 0; r < t.rows(); ++r)
        for (size_t c = 0; c < t.cols(r); ++c) out[r].emplace_back(t.cell(r, c));
    return out;
}

CsvResult parseOk(std::string_view in, const CsvOptions& opt = {}) {
    CsvResult res = parseCsv(in, opt);
    INFO("error: " << res.error.code << " " << res.error.message);
    REQUIRE(res.ok);
    return res;
}

std::string utf16(std::u16string_view s, bool bigEndian) {
    std::string out = bigEndian ? "\xFE\xFF" : "\xFF\xFE";
    for (char16_t u : s) {
        const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        if (bigEndian) { out += hi; out += lo; }
        else { out += lo; out += hi; }
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------- basics

TEST_CASE("csv: simple table with header", "[csv]") {
    auto r = parseOk("name,email\nAda,ada@x.org\nBob,bob@x.org\n");
    CHECK(rowsOf(r.table) == Rows{{"name", "email"}, {"Ada", "ada@x.org"}, {"Bob", "bob@x.org"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 3});
    CHECK(r.table.dialect.delimiter == ',');
    CHECK(r.table.dialect.encoding == "utf-8");
    CHECK_FALSE(r.table.dialect.bom);
    CHECK(r.table.dialect.lineEnding == "\n");
    CHECK(r.warnings.empty());
}

TEST_CASE("csv: layout of text, cellEnd, rowEnd", "[csv]") {
    auto r = parseOk("a,b,\"c,d\"\nx,,yz");
    const CsvTable& t = r.table;
    CHECK(t.text == "abc,dxyz");
    CHECK(t.cellEnd == std::vector<uint32_t>{1, 2, 5, 6, 6, 8});
    CHECK(t.rowEnd == std::vector<uint32_t>{3, 6});
    CHECK(t.rows() == 2);
    CHECK(t.cols(0) == 3);
    CHECK(t.cols(1) == 3);
    CHECK(t.cell(1, 1).empty());
    CHECK(t.cell(1, 2) == "yz");
    CHECK(t.cell(0, 7).empty());
    CHECK(t.cell(9, 0).empty());
    CHECK(t.cols(9) == 0);
}

TEST_CASE("csv: last line without trailing newline", "[csv]") {
    auto a = parseOk("a,b\n1,2");
    auto b = parseOk("a,b\n1,2\n");
    CHECK(rowsOf(a.table) == Rows{{"a", "b"}, {"1", "2"}});
    CHECK(rowsOf(b.table) == rowsOf(a.table));
}

TEST_CASE("csv: single line without terminator", "[csv]") {
    auto r = parseOk("only");
    CHECK(rowsOf(r.table) == Rows{{"only"}});
    CHECK(r.table.dialect.lineEnding == "\n");
    CHECK(r.table.rowLine == std::vector<uint32_t>{1});
}

TEST_CASE("csv: empty fields", "[csv]") {
    auto r = parseOk(",a,,b,\n,,\n");
    CHECK(rowsOf(r.table) == Rows{{"", "a", "", "b", ""}, {"", "", ""}});
}

TEST_CASE("csv: trailing delimiter gives an empty last cell", "[csv]") {
    auto r = parseOk("a,b,\n1,2,", CsvOptions{','});
    CHECK(rowsOf(r.table) == Rows{{"a", "b", ""}, {"1", "2", ""}});
}

TEST_CASE("csv: ragged rows keep their own cell counts", "[csv]") {
    auto r = parseOk("a,b,c\n1\n1,2,3,4\n");
    REQUIRE(r.table.rows() == 3);
    CHECK(r.table.cols(0) == 3);
    CHECK(r.table.cols(1) == 1);
    CHECK(r.table.cols(2) == 4);
    CHECK(r.table.cell(2, 3) == "4");
}

TEST_CASE("csv: spaces are kept", "[csv]") {
    auto r = parseOk(" a , b \n");
    CHECK(rowsOf(r.table) == Rows{{" a ", " b "}});
}

// ---------------------------------------------------------------- quoting

TEST_CASE("csv: quoted field with delimiter", "[csv]") {
    auto r = parseOk("name,city\n\"Smith, J\",\"Paris, FR\"\n");
    CHECK(rowsOf(r.table) == Rows{{"name", "city"}, {"Smith, J", "Paris, FR"}});
}

TEST_CASE("csv: doubled quotes", "[csv]") {
    auto r = parseOk("\"say \"\"hi\"\"\",\"\"\"\",\"\"\n");
    CHECK(rowsOf(r.table) == Rows{{"say \"hi\"", "\"", ""}});
}

TEST_CASE("csv: quoted newlines (LF, CRLF, CR) are cell text and advance the line count", "[csv]") {
    auto r = parseOk("h1,h2\n\"a\nb\",x\n\"c\r\nd\",y\n\"e\rf\",z\nlast,w\n");
    CHECK(rowsOf(r.table) == Rows{{"h1", "h2"}, {"a\nb", "x"}, {"c\r\nd", "y"}, {"e\rf", "z"}, {"last", "w"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 4, 6, 8});
    CHECK(r.table.dialect.lineEnding == "\n");   // separators inside quotes do not count
}

TEST_CASE("csv: quote inside an unquoted field is literal", "[csv]") {
    auto r = parseOk("ab\"c,d\"\"e,x\n");
    CHECK(rowsOf(r.table) == Rows{{"ab\"c", "d\"\"e", "x"}});
}

TEST_CASE("csv: text after a closing quote is appended literally", "[csv]") {
    auto r = parseOk("\"ab\"c,d\n\"x\" y\"z\",2\n");
    CHECK(rowsOf(r.table) == Rows{{"abc", "d"}, {"x y\"z\"", "2"}});
}

TEST_CASE("csv: a quote after leading spaces is literal", "[csv]") {
    auto r = parseOk("a, \"b\",c\n", CsvOptions{','});
    CHECK(rowsOf(r.table) == Rows{{"a", " \"b\"", "c"}});
}

TEST_CASE("csv: quoted field at end of input without newline", "[csv]") {
    auto r = parseOk("a,\"b,c\"");
    CHECK(rowsOf(r.table) == Rows{{"a", "b,c"}});
}

TEST_CASE("csv: quoted empty field on its own line is a record", "[csv]") {
    auto r = parseOk("a\n\"\"\nb\n");
    CHECK(rowsOf(r.table) == Rows{{"a"}, {""}, {"b"}});
}

// ---------------------------------------------------------------- line endings and blank lines

TEST_CASE("csv: CRLF line endings", "[csv]") {
    auto r = parseOk("a,b\r\n1,2\r\n");
    CHECK(rowsOf(r.table) == Rows{{"a", "b"}, {"1", "2"}});
    CHECK(r.table.dialect.lineEnding == "\r\n");
}

TEST_CASE("csv: lone CR line endings", "[csv]") {
    auto r = parseOk("a,b\r1,2\r3,4");
    CHECK(rowsOf(r.table) == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
    CHECK(r.table.dialect.lineEnding == "\r");
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 3});
}

TEST_CASE("csv: mixed line endings", "[csv]") {
    auto r = parseOk("a\r\nb\nc\rd\n");
    CHECK(rowsOf(r.table) == Rows{{"a"}, {"b"}, {"c"}, {"d"}});
    CHECK(r.table.dialect.lineEnding == "mixed");
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 3, 4});
}

TEST_CASE("csv: blank lines are skipped and later rowLine stays right", "[csv]") {
    auto r = parseOk("a,b\n\n1,2\r\n\r\n\r\n3,4\n\n");
    CHECK(rowsOf(r.table) == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 3, 6});
}

TEST_CASE("csv: leading blank lines are skipped", "[csv]") {
    auto r = parseOk("\n\na,b\n1,2\n");
    CHECK(rowsOf(r.table) == Rows{{"a", "b"}, {"1", "2"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{3, 4});
}

TEST_CASE("csv: blank lines kept when skipBlankLines is false", "[csv]") {
    CsvOptions o;
    o.skipBlankLines = false;
    auto r = parseOk("a\n\nb\n", o);
    CHECK(rowsOf(r.table) == Rows{{"a"}, {""}, {"b"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 3});
}

TEST_CASE("csv: a line of spaces is a record, not a blank line", "[csv]") {
    auto r = parseOk("a\n  \nb\n");
    CHECK(rowsOf(r.table) == Rows{{"a"}, {"  "}, {"b"}});
}

// ---------------------------------------------------------------- dialects

TEST_CASE("csv: semicolon sniffed", "[csv]") {
    auto r = parseOk("name;age;city\nAda;36;London\nBob;41;Paris\n");
    CHECK(r.table.dialect.delimiter == ';');
    CHECK(rowsOf(r.table) == Rows{{"name", "age", "city"}, {"Ada", "36", "London"}, {"Bob", "41", "Paris"}});
}

TEST_CASE("csv: tab sniffed", "[csv]") {
    auto r = parseOk("name\tage\nAda, the first\t36\n");
    CHECK(r.table.dialect.delimiter == '\t');
    CHECK(rowsOf(r.table) == Rows{{"name", "age"}, {"Ada, the first", "36"}});
}

TEST_CASE("csv: pipe sniffed", "[csv]") {
    auto r = parseOk("a|b|c\n1|2|3\n");
    CHECK(r.table.dialect.delimiter == '|');
    CHECK(rowsOf(r.table) == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
}

TEST_CASE("csv: semicolon file whose quoted cells contain commas", "[csv]") {
    auto r = parseOk("name;city;note\n\"Smith, J\";\"Paris, FR\";\"a, b, c\"\n\"Doe, A\";\"Rome, IT\";x\n");
    CHECK(r.table.dialect.delimiter == ';');
    CHECK(rowsOf(r.table) ==
          Rows{{"name", "city", "note"}, {"Smith, J", "Paris, FR", "a, b, c"}, {"Doe, A", "Rome, IT", "x"}});
}

TEST_CASE("csv: semicolon file with decimal commas", "[csv]") {
    auto r = parseOk("item;price;qty\napple;1,50;3\npear;2,25;10\n");
    CHECK(r.table.dialect.delimiter == ';');
    CHECK(r.table.cell(2, 1) == "2,25");
}

TEST_CASE("csv: sniffing ignores delimiters inside quoted header cells", "[csv]") {
    auto r = parseOk("\"a;b\",\"c;d\"\n1,2\n");
    CHECK(r.table.dialect.delimiter == ',');
    CHECK(rowsOf(r.table) == Rows{{"a;b", "c;d"}, {"1", "2"}});
}

TEST_CASE("csv: sniffing prefers the consistent candidate", "[csv]") {
    // ',' appears on the header but not consistently; ';' is on every line.
    auto r = parseOk("a,b;c;d\n1;2;3\n4;5;6\n7;8,9;0\n");
    CHECK(r.table.dialect.delimiter == ';');
}

TEST_CASE("csv: sniffing ties broken by order: comma, tab, semicolon, pipe", "[csv]") {
    CHECK(parseOk("a,b;c\n1,2;3\n").table.dialect.delimiter == ',');
    CHECK(parseOk("a\tb|c\n").table.dialect.delimiter == '\t');
    CHECK(parseOk("a;b|c\n").table.dialect.delimiter == ';');
}

TEST_CASE("csv: no candidate -> comma", "[csv]") {
    auto r = parseOk("name\nAda\nBob\n");
    CHECK(r.table.dialect.delimiter == ',');
    CHECK(rowsOf(r.table) == Rows{{"name"}, {"Ada"}, {"Bob"}});
}

TEST_CASE("csv: explicit delimiter overrides sniffing", "[csv]") {
    CsvOptions o;
    o.delimiter = ',';
    auto r = parseOk("a;b;c\n1;2;3\n", o);
    CHECK(r.table.dialect.delimiter == ',');
    CHECK(rowsOf(r.table) == Rows{{"a;b;c"}, {"1;2;3"}});
}

// ---------------------------------------------------------------- encodings

TEST_CASE("csv: UTF-8 BOM is stripped", "[csv]") {
    auto r = parseOk("\xEF\xBB\xBFname,ville\nZo\xC3\xAB,Montr\xC3\xA9" "al\n");
    CHECK(r.table.dialect.bom);
    CHECK(r.table.dialect.encoding == "utf-8");
    CHECK(rowsOf(r.table) == Rows{{"name", "ville"}, {"Zo\xC3\xAB", "Montr\xC3\xA9" "al"}});
    CHECK(r.warnings.empty());
}

TEST_CASE("csv: UTF-8 without BOM keeps multibyte text", "[csv]") {
    auto r = parseOk("\xE6\x97\xA5\xE6\x9C\xAC,\xF0\x9F\x98\x80\n");
    CHECK_FALSE(r.table.dialect.bom);
    CHECK(rowsOf(r.table) == Rows{{"\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80"}});
}

TEST_CASE("csv: UTF-16 LE with BOM, emoji and quoted newline", "[csv]") {
    const std::string in = utf16(u"name,note\r\nJos\u00E9,\"a\nb \U0001F600\"\r\n", false);
    auto r = parseOk(in);
    CHECK(r.table.dialect.encoding == "utf-16le");
    CHECK(r.table.dialect.bom);
    CHECK(r.table.dialect.lineEnding == "\r\n");
    CHECK(rowsOf(r.table) == Rows{{"name", "note"}, {"Jos\xC3\xA9", "a\nb \xF0\x9F\x98\x80"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2});
}

TEST_CASE("csv: UTF-16 BE with BOM, emoji and quoted newline", "[csv]") {
    const std::string in = utf16(u"a;b\n\"x\ny\";\U0001F600\nz;w\n", true);
    auto r = parseOk(in);
    CHECK(r.table.dialect.encoding == "utf-16be");
    CHECK(r.table.dialect.bom);
    CHECK(r.table.dialect.delimiter == ';');
    CHECK(rowsOf(r.table) == Rows{{"a", "b"}, {"x\ny", "\xF0\x9F\x98\x80"}, {"z", "w"}});
    CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 4});
}

TEST_CASE("csv: UTF-16 unpaired surrogates become U+FFFD", "[csv]") {
    std::u16string s = u"a,b\n";
    s += char16_t(0xD800);   // lone high surrogate followed by a non-surrogate
    s += u"x,";
    s += char16_t(0xDC00);   // lone low surrogate
    s += u"\n";
    auto r = parseOk(utf16(s, false));
    CHECK(r.table.cell(1, 0) == "\xEF\xBF\xBDx");
    CHECK(r.table.cell(1, 1) == "\xEF\xBF\xBD");
}

TEST_CASE("csv: UTF-16 high surrogate at end of input", "[csv]") {
    std::u16string s = u"a,b";
    s += char16_t(0xD83D);
    auto r = parseOk(utf16(s, true));
    CHECK(r.table.cell(0, 1) == "b\xEF\xBF\xBD");
}

TEST_CASE("csv: Windows-1252 fallback", "[csv]") {
    auto r = parseOk("name,price\nJos\xE9,\x80" "5\n");
    CHECK(r.table.dialect.encoding == "windows-1252");
    CHECK_FALSE(r.table.dialect.bom);
    CHECK(rowsOf(r.table) == Rows{{"name", "price"}, {"Jos\xC3\xA9", "\xE2\x82\xAC" "5"}});
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "ENCODING_FALLBACK");
    CHECK(r.warnings[0].line == 2);
    CHECK(r.warnings[0].message.find("Windows-1252") != std::string::npos);
}

TEST_CASE("csv: Windows-1252 fallback reports the line of the first invalid byte", "[csv]") {
    auto r = parseOk("a\r\nb\r\nc\xC3\xA9\r\nd\x96" "e\r\n\xFF\n");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].line == 4);
    // Valid-looking UTF-8 sequences are also read as 1252 once the fallback applies.
    CHECK(r.table.cell(2, 0) == "c\xC3\x83\xC2\xA9");
    CHECK(r.table.cell(3, 0) == "d\xE2\x80\x93" "e");
    CHECK(r.table.cell(4, 0) == "\xC3\xBF");
}

TEST_CASE("csv: windows1252ToUtf8 full high range", "[csv]") {
    CHECK(windows1252ToUtf8("\x80") == "\xE2\x82\xAC");
    CHECK(windows1252ToUtf8("\x81\x8D\x8F\x90\x9D") == "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
    CHECK(windows1252ToUtf8("\x8A\x9F") == "\xC5\xA0\xC5\xB8");   // Š Ÿ
    CHECK(windows1252ToUtf8("\x93q\x94") == "\xE2\x80\x9Cq\xE2\x80\x9D");
    CHECK(windows1252ToUtf8("\x99") == "\xE2\x84\xA2");   // ™
    CHECK(windows1252ToUtf8("\xA0\xFF") == "\xC2\xA0\xC3\xBF");
    CHECK(windows1252ToUtf8("plain") == "plain");
    std::string all;
    for (int b = 1; b < 256; ++b) all += static_cast<char>(b);
    CHECK(isValidUtf8(windows1252ToUtf8(all)));
}

TEST_CASE("csv: isValidUtf8", "[csv]") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("hello world, long enough for the fast path"));
    CHECK(isValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
    CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));     // > U+10FFFF
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));             // overlong
    CHECK_FALSE(isValidUtf8("\xE0\x80\xAF"));         // overlong
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));         // surrogate
    CHECK_FALSE(isValidUtf8("abcdefgh\xC3"));         // truncated after the fast path
    CHECK_FALSE(isValidUtf8("\xE2\x82"));             // truncated
    CHECK_FALSE(isValidUtf8("\x80"));                 // stray continuation
    CHECK_FALSE(isValidUtf8("\xFF"));
    CHECK_FALSE(isValidUtf8("12345678901234\xE9xyz"));
}

// ---------------------------------------------------------------- errors

TEST_CASE("csv: empty inputs -> EMPTY_CSV", "[csv]") {
    for (const std::string& in : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\xFF\xFE"),
                                 std::string("\n\n\r\n"), std::string("  \t \n ")}) {
        auto r = parseCsv(in);
        CHECK_FALSE(r.ok);
        CHECK(r.error.code == "EMPTY_CSV");
        CHECK(r.error.line == 1);
        CHECK(r.table.rows() == 0);
    }
}

TEST_CASE("csv: NUL byte -> INVALID_CSV with its line", "[csv]") {
    auto r = parseCsv(std::string("a,b\n1,2\nx\0y,3\n", 14));
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "INVALID_CSV");
    CHECK(r.error.line == 3);
    CHECK(r.error.message.find("NUL") != std::string::npos);
    CHECK(r.table.rows() == 0);
}

TEST_CASE("csv: NUL code unit in UTF-16 -> INVALID_CSV", "[csv]") {
    std::u16string s = u"a,b\r\nc";
    s += char16_t(0);
    auto r = parseCsv(utf16(s, false));
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "INVALID_CSV");
    CHECK(r.error.line == 2);
}

TEST_CASE("csv: BOM-less UTF-16 (binary-looking) -> INVALID_CSV", "[csv]") {
    const std::string in("a\0,\0b\0", 6);
    auto r = parseCsv(in);
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "INVALID_CSV");
    CHECK(r.error.line == 1);
}

TEST_CASE("csv: unterminated quote reports the line where it opens", "[csv]") {
    auto r = parseCsv("h1,h2\na,b\nc,\"open\nline4\nline5\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "UNTERMINATED_QUOTE");
    CHECK(r.error.line == 3);
    CHECK(r.error.column == 2);
    CHECK(r.table.rows() == 0);
}

TEST_CASE("csv: unterminated quote after earlier quoted newlines", "[csv]") {
    auto r = parseCsv("\"a\nb\",x\r\n\"c\r\n\"\"d\n");
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "UNTERMINATED_QUOTE");
    CHECK(r.error.line == 3);
    CHECK(r.error.column == 1);
}

TEST_CASE("csv: maxBytes -> FILE_TOO_LARGE, checked first", "[csv]") {
    CsvOptions o;
    o.maxBytes = 10;
    auto r = parseCsv(std::string("0123456789\0", 11), o);   // would also be INVALID_CSV
    CHECK_FALSE(r.ok);
    CHECK(r.error.code == "FILE_TOO_LARGE");
    auto ok = parseCsv("0123456789", o);
    CHECK(ok.ok);
}

// ---------------------------------------------------------------- writer

TEST_CASE("csv writer: quoting rules", "[csv]") {
    auto field = [](std::string_view f, char d = ',') {
        std::string out;
        appendCsvField(out, f, d);
        return out;
    };
    CHECK(field("plain") == "plain");
    CHECK(field("") == "");
    CHECK(field("a,b") == "\"a,b\"");
    CHECK(field("a;b") == "a;b");
    CHECK(field("a;b", ';') == "\"a;b\"");
    CHECK(field("a\tb", '\t') == "\"a\tb\"");
    CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(field("\"") == "\"\"\"\"");
    CHECK(field("l1\nl2") == "\"l1\nl2\"");
    CHECK(field("l1\rl2") == "\"l1\rl2\"");
    CHECK(field(" lead") == "\" lead\"");
    CHECK(field("trail ") == "\"trail \"");
    CHECK(field("in side") == "in side");
}

TEST_CASE("csv writer: rows, eol and BOM", "[csv]") {
    std::string out;
    CsvWriteOptions o;
    o.bom = true;
    appendCsvRow(out, {"a", "b,c"}, o);
    appendCsvRow(out, {""}, o);
    appendCsvRow(out, {"", ""}, o);
    CHECK(out == "\xEF\xBB\xBF" "a,\"b,c\"\r\n\"\"\r\n,\r\n");
    auto r = parseOk(out);
    CHECK(r.table.dialect.bom);
    CHECK(rowsOf(r.table) == Rows{{"a", "b,c"}, {""}, {"", ""}});

    std::string semi;
    CsvWriteOptions s;
    s.delimiter = ';';
    s.eol = "\n";
    appendCsvRow(semi, {"x;y", "1,5"}, s);
    CHECK(semi == "\"x;y\";1,5\n");
}

TEST_CASE("csv writer: random round trips", "[csv]") {
    static const std::vector<std::string> pieces = {
        "", " ", "a", "Ada", "\"", "\"\"", ",", ";", "\t", "|", "\r", "\n", "\r\n", "x y",
        "Jos\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80", "\xE2\x82\xAC", "'", "=1+2", "#", "\\",
    };
    static const char delims[] = {',', ';', '\t', '|'};
    static const char* eols[] = {"\r\n", "\n", "\r"};
    std::mt19937 rng(20240601u);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };

    for (int iter = 0; iter < 300; ++iter) {
        const size_t nrows = 1 + pick(12);
        const size_t ncols = 1 + pick(6);
        Rows table(nrows);
        for (auto& row : table) {
            const size_t nc = pick(4) == 0 ? 1 + pick(ncols) : ncols;   // sometimes ragged
            for (size_t c = 0; c < nc; ++c) {
                std::string cell;
                const size_t parts = pick(5);
                for (size_t k = 0; k < parts; ++k) cell += pieces[pick(pieces.size())];
                row.push_back(cell);
            }
        }
        CsvWriteOptions o;
        o.delimiter = delims[pick(4)];
        o.eol = eols[pick(3)];
        o.bom = pick(2) == 0;
        std::string out;
        for (const auto& row : table) {
            std::vector<std::string_view> fields(row.begin(), row.end());
            appendCsvRow(out, fields, o);
        }
        CsvOptions po;
        po.delimiter = o.delimiter;
        CsvResult r = parseCsv(out, po);
        INFO("iteration " << iter << ", csv: " << out);
        REQUIRE(r.ok);
        CHECK(rowsOf(r.table) == table);
        CHECK(r.table.dialect.bom == o.bom);
        CHECK(r.warnings.empty());
    }
}

TEST_CASE("csv: sniffed round trip of a regular table", "[csv]") {
    for (char d : {',', ';', '\t', '|'}) {
        std::string out;
        CsvWriteOptions o;
        o.delimiter = d;
        appendCsvRow(out, {"id", "name", "note"}, o);
        appendCsvRow(out, {"1", "Smith, J; \"Jr\" | x", "multi\nline"}, o);
        appendCsvRow(out, {"2", "B", ""}, o);
        auto r = parseOk(out);
        CHECK(r.table.dialect.delimiter == d);
        CHECK(r.table.cell(1, 1) == "Smith, J; \"Jr\" | x");
        CHECK(r.table.cell(1, 2) == "multi\nline");
        CHECK(r.table.rowLine == std::vector<uint32_t>{1, 2, 4});
    }
}

// ---------------------------------------------------------------- volume

TEST_CASE("csv: 200,000 generated rows", "[csv]") {
    const size_t N = 200000;
    std::string in = "id,name,email,team,note\n";
    in.reserve(N * 48);
    for (size_t i = 0; i < N; ++i) {
        const std::string id = std::to_string(i);
        in += id;
        in += ",User ";
        in += id;
        in += ",user";
        in += id;
        in += "@example.org,";
        in += (i % 3 == 0) ? "\"Team, A\"" : "B";
        in += ',';
        if (i % 1000 == 7) in += "\"two\nlines\"";
        in += '\n';
    }
    auto r = parseOk(in);
    const CsvTable& t = r.table;
    REQUIRE(t.rows() == N + 1);
    CHECK(t.dialect.delimiter == ',');
    CHECK(t.cellEnd.size() == (N + 1) * 5);
    CHECK(t.cols(0) == 5);
    CHECK(t.cols(N) == 5);
    CHECK(t.cell(1, 0) == "0");
    CHECK(t.cell(1, 3) == "Team, A");
    CHECK(t.cell(2, 3) == "B");
    CHECK(t.cell(8, 4) == "two\nlines");
    CHECK(t.cell(N, 2) == "user" + std::to_string(N - 1) + "@example.org");
    CHECK(t.cell(123457, 1) == "User 123456");
    // Each "two\nlines" cell before a record shifts its line by one.
    CHECK(t.rowLine[1] == 2);
    CHECK(t.rowLine[8] == 9);     // record i = 7 (row 8) holds a quoted newline
    CHECK(t.rowLine[9] == 11);
    const size_t before = (N - 2 - 7) / 1000 + 1;   // quoted newlines in records before the last one
    CHECK(t.rowLine[N] == N + 1 + before);
}

TEST_CASE("csv: random bytes never crash and keep the table invariants", "[csv]") {
    static const char alphabet[] = {'a', 'b', ' ', ',', ';', '\t', '|', '"', '"', '\r', '\n', '\n',
                                    '\xC3', '\xA9', '\xE2', '\x82', '\xAC', '\xFF', '\xFE', '\xEF', '\xBB', '\xBF'};
    std::mt19937 rng(7u);
    int parsed = 0;
    for (int iter = 0; iter < 3000; ++iter) {
        std::string in;
        const size_t len = rng() % 64;
        for (size_t i = 0; i < len; ++i) in += alphabet[rng() % sizeof alphabet];
        if (rng() % 50 == 0) in.insert(in.size() / 2, 1, '\0');
        CsvOptions o;
        o.skipBlankLines = rng() % 2 == 0;
        const CsvResult r = parseCsv(in, o);
        INFO("iteration " << iter);
        if (!r.ok) {
            CHECK(!r.error.code.empty());
            CHECK(r.table.rows() == 0);
            continue;
        }
        ++parsed;
        const CsvTable& t = r.table;
        REQUIRE(t.rows() > 0);
        REQUIRE(t.rowLine.size() == t.rows());
        REQUIRE(t.rowEnd.back() == t.cellEnd.size());
        REQUIRE(t.cellEnd.back() == t.text.size());
        for (size_t i = 1; i < t.cellEnd.size(); ++i) REQUIRE(t.cellEnd[i - 1] <= t.cellEnd[i]);
        for (size_t i = 0; i < t.rows(); ++i) {
            REQUIRE(t.cols(i) >= 1);
            if (i) REQUIRE(t.rowLine[i - 1] < t.rowLine[i]);
        }
        CHECK(isValidUtf8(t.text));
    }
    CHECK(parsed > 1000);
}
