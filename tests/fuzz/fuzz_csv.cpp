// libFuzzer target for the CSV reader and writer (src/core/csv.h).
//
// Byte 0 of the input chooses the options (delimiter, skipBlankLines, the line end used to write
// back: see csv_check.h), the rest is the file. parseCsv must never crash, throw, hang or assert;
// a successful result must satisfy the table invariants, and writing it back with appendCsvRow and
// re-parsing must give identical cells. A violation prints what failed and traps.
//
// Build and run: scripts/fuzz [SECONDS] (CMake option ROSTER_FUZZ, clang only).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "csv_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    roster::fuzzcheck::checkCsvInput(data, size, [](const char* what, int line) {
        std::fprintf(stderr, "\nfuzz_csv: invariant violated (tests/fuzz/csv_check.h:%d): %s\n", line, what);
        std::fflush(stderr);
        __builtin_trap();
    });
    return 0;
}
