#pragma once
// The one long operation in progress (roster::Job): started from the UI or a file opened in the
// page, stepped once a frame within a budget, cancelled as the Cancel button does (stats().job,
// stats().lastJob).
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "job.h"

namespace roster::platform {

using json = nlohmann::json;
class FrameTiming;

class JobRunner {
public:
    explicit JobRunner(const FrameTiming& timing) : timing_(timing) {}
    // false (and nothing started) while another job runs.
    bool start(std::shared_ptr<Job> job, std::function<void(Job&)> onFinish);
    void step();                       // once a frame, after the UI; runs onFinish when the job ends
    Job* running() const { return job_.get(); }
    double seconds() const;            // since the running job started (0 when none)
    // 8 ms a frame at 60 fps; on slow frames (software GL) half of the frame's own time, at most
    // 50 ms, so that a job does not crawl while staying under a frame's length.
    double budgetMs() const;
    // Milliseconds of job work per frame (roster.ui({action: "jobBudget", ms}): tests); 0: budgetMs()'s rule.
    void setBudgetMs(double ms) { fixedBudgetMs_ = ms; }
    json progressJson() const;         // {title, phase, done, total, unit, cancellable, cancelRequested, seconds, ...} or null
    const json& lastJson() const { return last_; }   // {title, cancelled, cpuMs, wallMs, steps} of the last finished job

private:
    const FrameTiming& timing_;
    std::shared_ptr<Job> job_;
    std::function<void(Job&)> onFinish_;
    double startedAt_ = 0;
    double fixedBudgetMs_ = 0;
    float lastStepMs_ = 0;
    double cpuMs_ = 0;                 // step time so far
    uint32_t steps_ = 0;
    json last_;
};

}  // namespace roster::platform
