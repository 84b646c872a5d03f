#pragma once
// When background work runs: the timing rules shared by every piece of idle work (the lint and the
// suggestion engine behind the navigation's counts, value codes and chunk encodings made ahead, the
// debounced save). One place for the numbers, so that they agree.
#include <cstdint>

namespace roster::idle {

// Background work waits this long after the last wheel, click or key, so that scrolling and typing
// get whole frames.
constexpr double kQuietAfterInputSeconds = 0.4;
// A save starts this long after the last edit (edits in a burst are saved together).
constexpr double kSaveDebounceSeconds = 0.4;
// From this many people (slots) a directory is "large": its first counts wait kSettleSeconds after
// start, so the first frame (and roster.ready) is not held up, and a whole lint is started at most
// every kLargeLintEverySeconds (else kLintEverySeconds).
constexpr uint32_t kLargeDirectorySlots = 200000;
constexpr double kSettleSeconds = 3.0;
constexpr double kLargeLintEverySeconds = 2.0;
constexpr double kLintEverySeconds = 0.25;

inline bool quiet(double now, double lastInputAt) { return now - lastInputAt > kQuietAfterInputSeconds; }
inline bool large(uint32_t slots) { return slots > kLargeDirectorySlots; }

}  // namespace roster::idle
