#pragma once
// A long operation that runs in slices so the UI keeps drawing (no threads): the main loop calls
// step() once a frame with a deadline until it returns true. The automation API runs the same job
// to its end in one call (runToEnd), so both paths produce the same result.
//
// cancel() asks the job to stop; the job undoes whatever it had done and reports finished at its
// next step(), with cancelled() true. A job checks the deadline every few thousand units of work,
// so a step overshoots its budget by well under a millisecond.
#include <chrono>
#include <cstdint>
#include <string>

namespace roster {

class Job {
public:
    using Clock = std::chrono::steady_clock;
    virtual ~Job() = default;

    struct Progress {
        std::string phase;    // "Reading", "Checking rows", "Applying", "Sorting"...
        uint64_t done = 0;    // units of the phase done so far
        uint64_t total = 0;   // 0 when unknown
        const char* unit = "";   // "rows", "bytes", "people"...
    };

    virtual std::string title() const = 0;          // "Importing users.csv"
    virtual Progress progress() const = 0;
    virtual bool step(Clock::time_point deadline) = 0;   // true when finished (done or cancelled)
    virtual bool cancellable() const { return true; }
    virtual void cancel() { cancelRequested_ = true; }
    bool cancelRequested() const { return cancelRequested_; }

    void runToEnd() {
        while (!step(Clock::time_point::max())) {
        }
    }
    // A budget from now, in milliseconds.
    static Clock::time_point in(double ms) {
        return Clock::now() + std::chrono::microseconds(int64_t(ms * 1000.0));
    }

protected:
    bool cancelRequested_ = false;
};

}  // namespace roster
