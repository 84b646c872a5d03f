#pragma once
// Where tests find ../shared/corpus (real files nobody here wrote; never copied into the
// repository): $ROSTER_CORPUS, else next to the source tree. Tests that need it skip with a WARN
// when it is absent.
#include <cstdlib>
#include <string>

namespace roster::test {

inline std::string corpusDir() {
    if (const char* env = std::getenv("ROSTER_CORPUS"); env && *env) return env;
#ifdef ROSTER_SOURCE_DIR
    return std::string(ROSTER_SOURCE_DIR) + "/../shared/corpus";
#else
    return "";
#endif
}

}  // namespace roster::test
