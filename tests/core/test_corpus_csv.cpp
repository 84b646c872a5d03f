// parseCsv (src/core/csv.h) over the real-world corpus in ../shared/corpus (files nobody on the
// project wrote; where each comes from and what its expected*.json asserts is in PROVENANCE.md).
// The corpus is read in place, never copied into the repository: from ROSTER_CORPUS when set,
// else <source dir>/../shared/corpus. When it is absent the cases warn and pass.
//
// - csvkit/ and rust-csv/: every file is read, or refused with a coded error, without a crash; the
//   facts of expected.json are asserted where they apply.
// - cpython/expected.json and papaparse/papaparse_default_cases_all.json: every case agrees with
//   parseCsv, except the named exceptions below, each with the reason Roster reads it otherwise and
//   what Roster gives instead; each exception is asserted to still differ (a stale entry fails).
// These tests describe parseCsv, they do not change it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_test_util.h"
#include "csv.h"

using namespace roster;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;

using roster::test::corpusDir;

// The corpus folder, or "" (after a warning) when it is not there.
std::string corpusOrWarn() {
    const std::string dir = corpusDir();
    std::error_code ec;
    if (dir.empty() || !fs::exists(fs::path(dir) / "PROVENANCE.md", ec)) {
        WARN("The corpus is absent (looked for " << (dir.empty() ? std::string("ROSTER_CORPUS / ROSTER_SOURCE_DIR") : dir)
             << "/PROVENANCE.md): the corpus tests are skipped");
        return "";
    }
    return dir;
}

std::string readFile(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

json readJson(const fs::path& p) { return json::parse(readFile(p)); }

Rows rowsOf(const CsvTable& t) {
    Rows out(t.rows());
    for (size_t r = 0; r < t.rows(); ++r)
        for (size_t c = 0; c < t.cols(r); ++c) out[r].emplace_back(t.cell(r, c));
    return out;
}

Rows rowsOf(const json& j) {
    Rows out;
    for (const json& row : j) {
        out.emplace_back();
        for (const json& cell : row) out.back().push_back(cell.get<std::string>());
    }
    return out;
}

std::string show(const Rows& rows) {
    return json(rows).dump(-1, ' ', false, json::error_handler_t::replace);
}

// What a parse gives, as text for messages: the rows, or the refusal's code.
std::string outcome(const CsvResult& r) {
    return r.ok ? show(rowsOf(r.table)) : std::string("refused with ") + r.error.code + " (" + r.error.message + ")";
}

// The codes parseCsv may refuse a file with (csv.h).
const std::set<std::string> kRefusalCodes = {"EMPTY_CSV", "INVALID_CSV", "UNTERMINATED_QUOTE", "FILE_TOO_LARGE"};

// A parse either succeeded or was refused with one of parseCsv's codes and a message.
void checkReadOrCoded(const CsvResult& r) {
    if (r.ok) {
        CHECK(r.table.rows() > 0);
        return;
    }
    INFO("refused with " << r.error.code << ": " << r.error.message);
    CHECK(kRefusalCodes.count(r.error.code) == 1);
    CHECK_FALSE(r.error.message.empty());
    CHECK(r.error.line >= 1);
}

// Blank records (no cells, or one empty cell: how csv.reader and Papa Parse give a blank line).
Rows withoutBlankRows(const Rows& rows) {
    Rows out;
    for (const auto& row : rows)
        if (!(row.empty() || (row.size() == 1 && row[0].empty()))) out.push_back(row);
    return out;
}

Rows rightTrimmedSpaces(Rows rows) {
    for (auto& row : rows)
        for (auto& cell : row)
            while (!cell.empty() && cell.back() == ' ') cell.pop_back();
    return rows;
}

// ---------------------------------------------------------------- named differences

enum class Differs {
    Refused,           // Roster refuses the input with `code`
    BlankLinesSkipped, // Roster's rows are the expected ones without the blank records
    SpacesAfterQuote,  // Roster keeps what follows a closing quote: right-trimming spaces gives the expected rows
    OtherRows,         // Roster gives `rows` (JSON)
};

struct NamedDifference {
    const char* key;      // the case: cpython's file name, or Papa Parse's "<source_array>[<source_index>]"
    Differs how;
    const char* detail;   // the code (Refused) or the rows Roster gives (OtherRows)
    const char* why;      // why Roster reads it so
};

const char* const kEmptyFile =
    "An empty file is refused with EMPTY_CSV: an import needs at least a header, and the person "
    "must be told the file is empty rather than see an import that does nothing.";
const char* const kUnterminated =
    "An unterminated quote is refused with UNTERMINATED_QUOTE naming the line where the field opens: "
    "reading the rest of the file into one cell, as lenient readers do, silently swallows every "
    "person after it, so the person is sent to fix the file instead.";
const char* const kNul =
    "A NUL byte means a binary file (an .xlsx renamed .csv, UTF-32 text): it is refused with "
    "INVALID_CSV rather than imported as garbage.";
const char* const kBlankLines =
    "Blank lines are skipped (CsvOptions::skipBlankLines, the default): a blank line is no person "
    "and no record (csv.DictReader skips them too).";
const char* const kSpacesAfterQuote =
    "Text after a closing quote belongs to the cell, as in CPython's csv (\"a\" \"b\" gives a \"b\"): "
    "Papa Parse drops the spaces there. Import trims every value, so no person's data differs.";
const char* const kStrayQuote =
    "A closing quote followed by other text closes the quoted part and the text is appended to the "
    "cell (CPython's csv does the same: \"a\"b gives ab). Papa Parse instead treats the quote as "
    "literal and keeps reading the quoted field, here to the end of the file: one stray quote would "
    "then swallow every later person into one cell.";
const char* const kMixedEol =
    "Every CR, LF and CRLF outside quotes ends a record (the dialect says \"mixed\"): files edited "
    "in several tools mix them. Papa Parse takes the first line break it sees as the only one and "
    "keeps a lone CR as data; the blank record after the final LF is skipped as all blank lines are.";

const std::vector<NamedDifference> kCpythonDifferences = {
    {"excel_blankline.csv", Differs::Refused, "EMPTY_CSV", kEmptyFile},
    {"read_eof_unterminated_empty_quote.csv", Differs::Refused, "UNTERMINATED_QUOTE", kUnterminated},
    {"read_eof_unterminated_quote.csv", Differs::Refused, "UNTERMINATED_QUOTE", kUnterminated},
    {"read_nul_in_field.csv", Differs::Refused, "INVALID_CSV", kNul},
    {"dictreader_read_with_blanks.csv", Differs::BlankLinesSkipped, "", kBlankLines},
};

const std::vector<NamedDifference> kPapaparseDifferences = {
    {"CORE_PARSER_TESTS[19]", Differs::Refused, "UNTERMINATED_QUOTE", kUnterminated},
    {"CORE_PARSER_TESTS[20]", Differs::OtherRows, R"([["a,b","c\""],["d","e","f"]])", kStrayQuote},
    {"CORE_PARSER_TESTS[21]", Differs::OtherRows, R"([["a","b,c"],["d","e","f"]])", kStrayQuote},
    {"CORE_PARSER_TESTS[22]", Differs::OtherRows, R"([["a","bc","d"],["e","f","g"]])", kStrayQuote},
    {"CORE_PARSER_TESTS[23]", Differs::OtherRows, R"([["a","b,c\nde","f","g"]])", kStrayQuote},
    {"CORE_PARSER_TESTS[35]", Differs::Refused, "EMPTY_CSV", kEmptyFile},
    {"CORE_PARSER_TESTS[54]", Differs::BlankLinesSkipped, "", kBlankLines},
    {"PARSE_TESTS[5]", Differs::SpacesAfterQuote, "", kSpacesAfterQuote},
    {"PARSE_TESTS[6]", Differs::SpacesAfterQuote, "", kSpacesAfterQuote},
    {"PARSE_TESTS[7]", Differs::SpacesAfterQuote, "", kSpacesAfterQuote},
    {"PARSE_TESTS[9]", Differs::OtherRows, R"([["a","b","c"],["d","e","f"],["g","h","i"]])", kMixedEol},
    {"PARSE_TESTS[44]", Differs::BlankLinesSkipped, "", kBlankLines},
    {"PARSE_TESTS[49]", Differs::Refused, "EMPTY_CSV", kEmptyFile},
    {"PARSE_TESTS[90]", Differs::SpacesAfterQuote, "", kSpacesAfterQuote},
    {"PARSE_TESTS[91]", Differs::SpacesAfterQuote, "", kSpacesAfterQuote},
};

// Checks one case against its expected rows: equal, or different exactly as its named difference says.
void checkCase(const std::string& key, const CsvResult& r, const Rows& expected, const std::vector<NamedDifference>& differences,
               std::set<std::string>& used) {
    const NamedDifference* diff = nullptr;
    for (const NamedDifference& d : differences)
        if (key == d.key) diff = &d;
    INFO("case " << key << ": expected " << show(expected) << ", parseCsv gives " << outcome(r));
    if (!diff) {
        REQUIRE(r.ok);
        CHECK(rowsOf(r.table) == expected);
        return;
    }
    used.insert(key);
    INFO("named difference: " << diff->why);
    // The exception must still be one: parseCsv really differs from the upstream expectation.
    CHECK_FALSE((r.ok && rowsOf(r.table) == expected));
    switch (diff->how) {
        case Differs::Refused:
            REQUIRE_FALSE(r.ok);
            CHECK(r.error.code == std::string(diff->detail));
            CHECK(r.error.line >= 1);
            break;
        case Differs::BlankLinesSkipped:
            REQUIRE(r.ok);
            CHECK(rowsOf(r.table) == withoutBlankRows(expected));
            break;
        case Differs::SpacesAfterQuote:
            REQUIRE(r.ok);
            CHECK(rightTrimmedSpaces(rowsOf(r.table)) == expected);
            break;
        case Differs::OtherRows:
            REQUIRE(r.ok);
            CHECK(rowsOf(r.table) == rowsOf(json::parse(diff->detail)));
            break;
    }
}

// Every named difference was met (a case renamed or removed upstream would otherwise hide one).
void checkAllUsed(const std::vector<NamedDifference>& differences, const std::set<std::string>& used) {
    for (const NamedDifference& d : differences) {
        INFO("named difference " << d.key << " matched no case");
        CHECK(used.count(d.key) == 1);
    }
}

const json* findEntry(const json& files, const std::string& name) {
    for (const json& f : files)
        if (f.value("file", "") == name) return &f;
    return nullptr;
}

std::string encodingOf(const std::string& decodeAs, const std::string& fileName) {
    if (decodeAs == "latin-1") return "windows-1252";   // a superset of ISO-8859-1's printable range
    if (decodeAs == "utf-16") return fileName.find("big") != std::string::npos ? "utf-16be" : "utf-16le";
    return "utf-8";                                     // utf-8, utf-8-sig
}

}  // namespace

// ---------------------------------------------------------------- csvkit

TEST_CASE("corpus csvkit: every file is read or refused with a code, and agrees with csv.reader", "[corpus][csv]") {
    const std::string dir = corpusOrWarn();
    if (dir.empty()) { SUCCEED("no corpus"); return; }
    const json expected = readJson(fs::path(dir) / "csvkit" / "expected.json");
    const json& files = expected.at("files");

    // Files Roster refuses, and why (csv.reader reads them).
    const std::map<std::string, std::pair<std::string, std::string>> refused = {
        {"empty.csv", {"EMPTY_CSV", "the file is a single line break: no header, nothing to import"}},
        {"null_byte.csv", {"INVALID_CSV", "a NUL byte means a binary file"}},
    };

    size_t seen = 0;
    for (const auto& e : fs::directory_iterator(fs::path(dir) / "csvkit")) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() == ".json") continue;
        ++seen;
        SECTION(name) [&] {   // a lambda: a refused file ends its checks early
            const std::string bytes = readFile(e.path());
            const CsvResult r = parseCsv(bytes);
            INFO(name << ": " << outcome(r));
            checkReadOrCoded(r);
            const json* entry = findEntry(files, name);
            REQUIRE(entry != nullptr);   // expected.json lists every file of the folder
            if (auto it = refused.find(name); it != refused.end()) {
                INFO("Roster refuses it: " << it->second.second);
                REQUIRE_FALSE(r.ok);
                CHECK(r.error.code == it->second.first);
                return;
            }
            REQUIRE(r.ok);
            CHECK(r.table.dialect.delimiter == entry->at("delimiter").get<std::string>().at(0));
            const std::string decodeAs = entry->value("decode_as", "utf-8");
            CHECK(r.table.dialect.encoding == encodingOf(decodeAs, name));
            CHECK(r.table.dialect.bom == (decodeAs == "utf-8-sig" || decodeAs == "utf-16"));
            // Latin-1 bytes are not UTF-8: read as Windows-1252, with a warning.
            CHECK((r.warnings.size() == 1 && r.warnings[0].code == std::string("ENCODING_FALLBACK")) == (decodeAs == "latin-1"));

            const json& py = entry->at("python_csv_rows");
            const Rows got = rowsOf(r.table);
            if (py.is_object()) {
                // Large files: the row count and the first rows.
                CHECK(r.table.rows() == py.at("row_count").get<size_t>());
                const Rows first = rowsOf(py.at("first_rows"));
                REQUIRE(got.size() >= first.size());
                CHECK(Rows(got.begin(), got.begin() + long(first.size())) == first);
            } else {
                // csv.reader's rows, byte-exact (a CR inside quotes stays a CR), but for its blank
                // records ([]): Roster skips blank lines (bad_skip_lines, test_skip_lines).
                CHECK(got == withoutBlankRows(rowsOf(py)));
            }

            const json up = entry->value("upstream_expected", json());
            if (up.is_object() && up.contains("rows")) {
                const Rows upRows = rowsOf(up["rows"]);
                if (name == "mac_newlines.csv") {
                    // csvkit reads in text mode with universal newlines (CR in a quoted cell -> LF);
                    // Roster keeps the cell's bytes as they are.
                    CHECK(got != upRows);
                    CHECK(got[2][0] == "Once upon\ra time");
                    CHECK(upRows[2][0] == "Once upon\na time");
                } else if (name == "test_join_short_rows.csv") {
                    // csvclean pads short rows with blanks; the reader gives them as they are (an
                    // import pads them the same way: "a row with fewer cells than headers is padded").
                    for (size_t i = 0; i < got.size(); ++i) {
                        std::vector<std::string> padded = got[i];
                        padded.resize(upRows[i].size());
                        CHECK(padded == upRows[i]);
                    }
                } else {
                    CHECK(got == upRows);
                }
            }
            if (name == "bad.csv" || name == "bad_skip_lines.csv") {
                // csvclean: "Expected 3 columns, found 4 columns" / "found 2": the reader keeps ragged rows.
                REQUIRE(got.size() == 4);
                CHECK(got[0].size() == 3);
                CHECK(got[1].size() == 4);
                CHECK(got[2].size() == 2);
                CHECK(got[3] == std::vector<std::string>{"0", "mixed types.... uh oh", "17"});
            }
            if (name == "test_empty_columns.csv") {
                // csvclean's length error: data row 2 has 4 columns, the header 5.
                CHECK(got[0].size() == 5);
                CHECK(got[2].size() == 4);
            }
        }();
    }
    CHECK(seen == files.size());
}

// ---------------------------------------------------------------- rust-csv

TEST_CASE("corpus rust-csv: every file is read or refused with a code, with upstream record counts", "[corpus][csv]") {
    const std::string dir = corpusOrWarn();
    if (dir.empty()) { SUCCEED("no corpus"); return; }
    const json expected = readJson(fs::path(dir) / "rust-csv" / "expected.json");
    const json& files = expected.at("files");

    size_t seen = 0;
    for (const auto& e : fs::directory_iterator(fs::path(dir) / "rust-csv")) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() == ".json") continue;
        ++seen;
        SECTION(name) {
            const CsvResult r = parseCsv(readFile(e.path()));
            INFO(name << ": " << outcome(r).substr(0, 2000));
            checkReadOrCoded(r);
            const json* entry = findEntry(files, name);
            REQUIRE(entry != nullptr);
            REQUIRE(r.ok);   // Roster reads every one of them
            if (entry->contains("records_excluding_header"))
                CHECK(r.table.rows() == entry->at("records_excluding_header").get<size_t>() + 1);
            if (entry->contains("records"))
                CHECK(r.table.rows() == entry->at("records").get<size_t>());

            if (name == "smallpop-colon.csv") {
                // ':' is not one of the delimiters Roster sniffs (, TAB ; |): each record is one cell.
                CHECK(r.table.dialect.delimiter == ',');
                CHECK(r.table.cell(0, 0) == "city:region:country:population");
                for (size_t i = 0; i < r.table.rows(); ++i) CHECK(r.table.cols(i) == 1);
            } else if (name == "strange.csv") {
                // Upstream reads it with a custom dialect (backslash escapes, '#' comments): 6 records.
                // Under RFC 4180 rules Roster sniffs ';' and reads the comment line as a record too;
                // the one-field "Rafael Halperin" row stays one field.
                CHECK(r.table.dialect.delimiter == ';');
                CHECK(r.table.rows() == entry->at("python_csv_rows_with_that_dialect").size() + 1);
                CHECK(r.table.cell(3, 0) == "Rafael Halperin");
                CHECK(r.table.cols(3) == 1);
                CHECK(r.table.cell(0, 1) == "1987");
            } else if (name == "uspop-latin1.csv") {
                // Upstream expects an "invalid utf-8" error on line 4. Roster reads the file as
                // Windows-1252 instead (0xD5 = Õ), with a warning naming that line, so an export
                // from an old Latin-1 system still imports.
                REQUIRE(r.warnings.size() == 1);
                CHECK(r.warnings[0].code == std::string("ENCODING_FALLBACK"));
                CHECK(r.warnings[0].line == entry->at("invalid_utf8_line").get<uint32_t>());
                CHECK(r.table.dialect.encoding == "windows-1252");
                CHECK(r.table.cell(3, 0) == "\xC3\x95" "akman");
            } else {
                CHECK(r.table.dialect.delimiter == ',');
                CHECK(r.warnings.empty());
                CHECK(r.table.dialect.encoding == "utf-8");
            }
            if (name == "worldcitiespop.csv") {
                size_t nonAscii = 0;
                for (char c : readFile(e.path())) nonAscii += (static_cast<unsigned char>(c) >= 0x80);
                CHECK(nonAscii == entry->at("non_ascii_bytes").get<size_t>());
                CHECK(r.table.cell(0, 2) == "AccentCity");
                for (size_t i = 0; i < r.table.rows(); ++i) CHECK(r.table.cols(i) == 7);
            }
        }
    }
    CHECK(seen == files.size());
}

// ---------------------------------------------------------------- CPython

TEST_CASE("corpus cpython: csv.reader cases agree with parseCsv but for the named differences", "[corpus][csv]") {
    const std::string dir = corpusOrWarn();
    if (dir.empty()) { SUCCEED("no corpus"); return; }
    const json expected = readJson(fs::path(dir) / "cpython" / "expected.json");
    std::set<std::string> used;
    for (const json& c : expected.at("cases")) {
        const std::string file = c.at("file").get<std::string>();
        const std::string bytes = readFile(fs::path(dir) / "cpython" / file);
        INFO("file " << file << " (" << c.at("test").get<std::string>() << ")");
        CHECK(bytes == c.at("input").get<std::string>());   // the file is the case's input, byte-exact
        checkCase(file, parseCsv(bytes), rowsOf(c.at("expected_rows")), kCpythonDifferences, used);
    }
    CHECK(expected.at("cases").size() == 24);
    checkAllUsed(kCpythonDifferences, used);
}

// ---------------------------------------------------------------- Papa Parse

namespace {

std::string papaKey(const json& c) {
    return c.at("source_array").get<std::string>() + "[" + std::to_string(c.at("source_index").get<int>()) + "]";
}

// How a case runs in Papa Parse, as parseCsv options: the core parser's delimiter is fixed to ','
// (api core); Papa.parse guesses it (api parse), as parseCsv does by default.
CsvOptions papaOptions(const json& c) {
    CsvOptions o;
    if (c.at("source_array") == "CORE_PARSER_TESTS") o.delimiter = ',';
    return o;
}

}  // namespace

TEST_CASE("corpus papaparse: default cases agree with parseCsv but for the named differences", "[corpus][csv]") {
    const std::string dir = corpusOrWarn();
    if (dir.empty()) { SUCCEED("no corpus"); return; }
    const json all = readJson(fs::path(dir) / "papaparse" / "papaparse_default_cases_all.json");
    const json& cases = all.at("cases");
    REQUIRE(cases.size() == all.at("count").get<size_t>());
    std::set<std::string> used, keys;
    size_t agree = 0;
    for (const json& c : cases) {
        const std::string key = papaKey(c);
        keys.insert(key);
        INFO(key << " " << c.at("name").get<std::string>() << ", input " << c.at("input").dump());
        const CsvResult r = parseCsv(c.at("input").get<std::string>(), papaOptions(c));
        checkCase(key, r, rowsOf(c.at("expected_rows")), kPapaparseDifferences, used);
        if (r.ok && rowsOf(r.table) == rowsOf(c.at("expected_rows"))) ++agree;
        // Papa Parse's only error on a case Roster reads alike is the delimiter guess's
        // UndetectableDelimiter (a one-column input), which is no error for Roster.
        if (r.ok && !used.count(key))
            for (const json& err : c.at("expected_errors")) CHECK(err.at("type") == "Delimiter");
    }
    CHECK(keys.size() == cases.size());   // keys are unique
    checkAllUsed(kPapaparseDifferences, used);
    CHECK(agree + kPapaparseDifferences.size() == cases.size());
}

TEST_CASE("corpus papaparse: sample files are read as node-tests expects", "[corpus][csv]") {
    const std::string dir = corpusOrWarn();
    if (dir.empty()) { SUCCEED("no corpus"); return; }
    const fs::path p = fs::path(dir) / "papaparse";
    {
        const CsvResult r = parseCsv(readFile(p / "long-sample.csv"));
        REQUIRE(r.ok);
        CHECK(r.table.rows() == 8);
        CHECK(r.table.dialect.delimiter == ',');
        CHECK(r.table.dialect.lineEnding == "\n");
        CHECK(rowsOf(r.table)[0] == std::vector<std::string>{"Grant", "Dyer", "Donec.elementum@orciluctuset.example", "2013-11-23T02:30:31-08:00",
                                                             "2014-05-31T01:06:56-07:00", "Magna Ut Associates", "ljenkins"});
        CHECK(rowsOf(r.table)[7] == std::vector<std::string>{"Talon", "Salinas", "posuere.vulputate.lacus@Donecsollicitudin.example",
                                                             "2015-01-31T09:19:02-08:00", "2014-12-17T04:59:18-08:00",
                                                             "Aliquam Iaculis Incorporate", "Phasellus@Quisquetincidunt.example"});
    }
    {
        // 2000 data rows after the header, 4 of them short (data rows 498, 998, 1498, 1998).
        const CsvResult r = parseCsv(readFile(p / "verylong-sample.csv"));
        REQUIRE(r.ok);
        REQUIRE(r.table.rows() == 2001);
        std::vector<size_t> shortRows;
        for (size_t i = 1; i < r.table.rows(); ++i)
            if (r.table.cols(i) != r.table.cols(0)) {
                CHECK(r.table.cols(i) == 2);
                shortRows.push_back(i - 1);
            }
        CHECK(r.table.cols(0) == 3);
        CHECK(shortRows == std::vector<size_t>{498, 998, 1498, 1998});
    }
    {
        const CsvResult r = parseCsv(readFile(p / "sample-header.csv"));
        REQUIRE(r.ok);
        CHECK(rowsOf(r.table) == Rows{{"title", "name"}, {"test title 01", "test name 01"}, {"", "test name 02"}});
    }
    {
        const CsvResult r = parseCsv(readFile(p / "utf-8-bom-sample.csv"));
        REQUIRE(r.ok);
        CHECK(r.table.dialect.bom);
        CHECK(rowsOf(r.table) == Rows{{"A", "B", "C"}, {"X", "Y", "Z"}});
    }
    {
        const CsvResult r = parseCsv(readFile(p / "sample.csv"));
        REQUIRE(r.ok);
        CHECK(rowsOf(r.table) == Rows{{"A", "B", "C"}, {"X", "Y", "Z"}});
    }
}
