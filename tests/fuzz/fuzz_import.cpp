// libFuzzer target: the SEI import (planning, applying, export round trip, undo).
#include <cstddef>
#include <cstdint>

#include "import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (!roster::fuzzcheck::checkImport(std::string_view(reinterpret_cast<const char*>(data), size))) __builtin_trap();
    return 0;
}
