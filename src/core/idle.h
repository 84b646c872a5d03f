#pragma once
// When background work runs: the one scheduler of idle work (the lint and the suggestion engine
// behind the navigation's counts, value codes made ahead, the debounced save) and its numbers. The
// platform owns one Scheduler; the UI tells it about input and asks it before advancing its counts,
// the platform asks it before making codes ahead, and the saver takes its debounce from here.
#include <algorithm>
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

inline bool large(uint32_t slots) { return slots > kLargeDirectorySlots; }

class Scheduler {
public:
    // The first frame's time: a large directory's counts wait kSettleSeconds after it.
    void noteFrame(double now) { if (startAt_ < 0) startAt_ = now; }
    // A wheel, click or key this frame.
    void noteInput(double now) { lastInputAt_ = now; }

    bool quiet(double now) const { return now - lastInputAt_ > kQuietAfterInputSeconds; }
    bool settled(double now, uint32_t slots) const { return !large(slots) || (startAt_ >= 0 && now - startAt_ > kSettleSeconds); }
    // The navigation's hygiene counts (lint, suggestions) advance: quiet, settled, no job running.
    bool mayCount(double now, uint32_t slots, bool jobRunning) const { return quiet(now) && settled(now, slots) && !jobRunning; }
    // Work made ahead (value codes): quiet, nothing running or being changed.
    bool mayPrepare(double now, bool busy) const { return quiet(now) && !busy; }

    // How often a whole lint starts while its count is wanted.
    static double lintEverySeconds(uint32_t slots) { return large(slots) ? kLargeLintEverySeconds : kLintEverySeconds; }
    // A slice of counting work: a quarter of a frame while its panel is visible (6-12 ms), an eighth
    // for the navigation's count (3-6 ms); slow frames (a software rasteriser) leave the CPU idle.
    static double countBudgetMs(double frameMs, bool visible) {
        return visible ? std::clamp(frameMs / 4, 6.0, 12.0) : std::clamp(frameMs / 8, 3.0, 6.0);
    }
    // Work made ahead shares the spare time with the saver's encoding: 1-4 ms a frame.
    static double prepareBudgetMs(double frameIntervalMs) { return std::clamp(frameIntervalMs / 8, 1.0, 4.0); }

private:
    double startAt_ = -1;
    double lastInputAt_ = -1e9;
};

}  // namespace roster::idle
