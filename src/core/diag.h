#pragma once
#include <cstdint>
#include <string>
namespace roster {
// A coded diagnostic: stable UPPER_SNAKE_CASE code, human message, 1-based physical line (0 = none), 1-based column (0 = none).
struct Diag {
    std::string code;
    std::string message;
    uint32_t line = 0;
    uint32_t column = 0;
    std::string rowCode;   // ROW_SKIPPED: the code of the skipped row's own error
};
}
