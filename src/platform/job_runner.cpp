#include "job_runner.h"

#include <algorithm>

#include "browser.h"
#include "frame_stats.h"

namespace roster::platform {

bool JobRunner::start(std::shared_ptr<Job> j, std::function<void(Job&)> onFinish) {
    if (job_ || !j) return false;
    job_ = std::move(j);
    onFinish_ = std::move(onFinish);
    startedAt_ = nowSeconds();
    lastStepMs_ = 0;
    cpuMs_ = 0;
    steps_ = 0;
    return true;
}

double JobRunner::seconds() const { return job_ ? nowSeconds() - startedAt_ : 0; }

double JobRunner::budgetMs() const {
    return fixedBudgetMs_ > 0 ? fixedBudgetMs_ : std::clamp((timing_.intervalMs() - lastStepMs_) / 2, 8.0, 50.0);
}

void JobRunner::step() {
    if (!job_) return;
    const double t0 = nowMs();
    const bool finished = job_->step(Job::in(budgetMs()));
    lastStepMs_ = float(nowMs() - t0);
    cpuMs_ += lastStepMs_;
    ++steps_;
    if (!finished) return;
    last_ = json{{"title", job_->title()}, {"cancelled", job_->cancelRequested()}, {"cpuMs", cpuMs_},
                           {"wallMs", (nowSeconds() - startedAt_) * 1000}, {"steps", steps_}};
    std::shared_ptr<Job> done = std::move(job_);   // the slot is free before the callback runs
    job_.reset();
    auto cb = std::move(onFinish_);
    onFinish_ = nullptr;
    if (cb) cb(*done);
}

json JobRunner::progressJson() const {
    if (!job_) return nullptr;
    Job::Progress p = job_->progress();
    return json{{"title", job_->title()}, {"phase", p.phase}, {"done", p.done}, {"total", p.total}, {"unit", p.unit},
                          {"cancellable", job_->cancellable()}, {"cancelRequested", job_->cancelRequested()},
                          {"seconds", seconds()}, {"lastStepMs", lastStepMs_}, {"cpuMs", cpuMs_}, {"budgetMs", budgetMs()}};
}

}  // namespace roster::platform
