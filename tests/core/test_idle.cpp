// The one scheduler of background work (src/core/idle.h).
#include <catch2/catch.hpp>

#include "idle.h"

using roster::idle::Scheduler;
namespace idle = roster::idle;

TEST_CASE("Idle scheduler: counts wait for quiet after input, a large directory also for the settle time", "[idle]") {
    Scheduler s;
    const uint32_t small = 1000, big = idle::kLargeDirectorySlots + 1;
    s.noteFrame(10.0);
    s.noteFrame(50.0);   // only the first frame counts as the start
    // No input yet: quiet. A small directory counts at once; a large one waits kSettleSeconds.
    CHECK(s.mayCount(10.0, small, false));
    CHECK_FALSE(s.mayCount(10.0 + idle::kSettleSeconds - 0.01, big, false));
    CHECK(s.mayCount(10.0 + idle::kSettleSeconds + 0.01, big, false));
    // A running job holds counts back.
    CHECK_FALSE(s.mayCount(20.0, small, true));
    // Input: nothing for kQuietAfterInputSeconds, then again.
    s.noteInput(20.0);
    CHECK_FALSE(s.mayCount(20.0 + idle::kQuietAfterInputSeconds - 0.01, small, false));
    CHECK_FALSE(s.mayPrepare(20.0 + idle::kQuietAfterInputSeconds - 0.01, false));
    CHECK(s.mayCount(20.0 + idle::kQuietAfterInputSeconds + 0.01, small, false));
    CHECK(s.mayPrepare(20.0 + idle::kQuietAfterInputSeconds + 0.01, false));
    CHECK_FALSE(s.mayPrepare(30.0, true));
}

TEST_CASE("Idle scheduler: before the first frame a large directory is not settled", "[idle]") {
    Scheduler s;
    CHECK_FALSE(s.settled(100.0, idle::kLargeDirectorySlots + 1));
    CHECK(s.settled(100.0, idle::kLargeDirectorySlots));
}

TEST_CASE("Idle scheduler: lint interval and slice budgets", "[idle]") {
    CHECK(Scheduler::lintEverySeconds(10) == idle::kLintEverySeconds);
    CHECK(Scheduler::lintEverySeconds(idle::kLargeDirectorySlots + 1) == idle::kLargeLintEverySeconds);
    CHECK(Scheduler::countBudgetMs(16.7, true) == 6.0);     // a quarter of a 60 Hz frame is under the floor
    CHECK(Scheduler::countBudgetMs(100.0, true) == 12.0);   // a slow frame: capped
    CHECK(Scheduler::countBudgetMs(40.0, false) == 5.0);    // an eighth
    CHECK(Scheduler::countBudgetMs(16.7, false) == 3.0);
    CHECK(Scheduler::prepareBudgetMs(16.7) == Approx(16.7 / 8));
    CHECK(Scheduler::prepareBudgetMs(100.0) == 4.0);
}
