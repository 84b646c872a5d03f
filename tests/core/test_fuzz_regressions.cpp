// Replays the committed fuzz inputs through the same checks as the libFuzzer target
// (tests/fuzz/fuzz_csv.cpp, tests/fuzz/csv_check.h), so every ctest run covers them:
//   tests/fuzz/seeds/csv/        hand-written seed corpus
//   tests/fuzz/regressions/csv/  inputs that once failed (scripts/fuzz copies new crashes here)
// Byte 0 of each file chooses the options; every file is also replayed under each delimiter /
// skipBlankLines / line-end choice.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/csv_check.h"
#include "../fuzz/import_check.h"

namespace {

// Regular, non-hidden files of `dir`, sorted; empty when the directory cannot be opened.
std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (!d) return out;
    while (const dirent* e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        const std::string path = dir + "/" + e->d_name;
        struct stat st {};
        if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.push_back(path);
    }
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void replay(const std::string& path) {
    std::string bytes = readFile(path);
    std::string why;
    auto fail = [&](const char* what, int line) {
        why = "invariant violated (tests/fuzz/csv_check.h:" + std::to_string(line) + "): " + what;
    };
    auto check = [&](const char* options) {
        why.clear();
        const bool ok =
            roster::fuzzcheck::checkCsvInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), fail);
        INFO("file " << path << " (" << bytes.size() << " bytes), options byte " << options);
        INFO(why);
        REQUIRE(ok);
    };
    check("as stored");
    if (bytes.empty()) return;
    // Every delimiter (sniff , ; tab |) x skipBlankLines on/off x write-back line end CRLF / LF / CR.
    for (const int eol : {0x00, 0x10, 0x20})
        for (const int skip : {0x00, 0x08})
            for (int delim = 0; delim <= 4; ++delim) {
                const int b = eol | skip | delim;
                bytes[0] = static_cast<char>(b);
                check(std::to_string(b).c_str());
            }
}

}  // namespace

TEST_CASE("fuzz seeds and regressions keep the CSV invariants", "[fuzz][csv]") {
    const std::string root = ROSTER_SOURCE_DIR "/tests/fuzz";
    for (const char* sub : {"/seeds/csv", "/regressions/csv"}) {
        const std::string dir = root + sub;
        const std::vector<std::string> files = filesIn(dir);
        INFO("directory " << dir);
        REQUIRE(files.size() >= 1);
        for (const std::string& path : files) replay(path);
    }
}

TEST_CASE("fuzz seeds and regressions keep the SEI import invariants", "[fuzz][import]") {
    const std::string root = ROSTER_SOURCE_DIR "/tests/fuzz";
    for (const char* sub : {"/seeds/import", "/regressions/import"}) {
        std::vector<std::string> files = filesIn(root + sub);
        INFO("directory " << root << sub);
        REQUIRE_FALSE(files.empty());
        for (const std::string& path : files) {
            std::string bytes = readFile(path);
            INFO("file " << path);
            REQUIRE(roster::fuzzcheck::checkImport(bytes));
            if (bytes.empty()) continue;
            bytes[0] = char(bytes[0] ^ 1);   // the other mode
            REQUIRE(roster::fuzzcheck::checkImport(bytes));
        }
    }
}
