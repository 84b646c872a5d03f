#include "frame_stats.h"

#include <algorithm>
#include <cmath>

namespace roster::platform {

void FrameStats::add(float v) {
    ms_[next_] = v;
    next_ = (next_ + 1) % ms_.size();
    if (count_ < ms_.size()) ++count_;
}

float FrameStats::percentile(float p) const {
    if (!count_) return 0;
    std::vector<float> v(ms_.begin(), ms_.begin() + long(count_));
    size_t k = std::min(count_ - 1, size_t(std::ceil(p * float(count_))) - (p > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

void FrameTiming::beginFrame(double startMs) {
    if (lastFrameAt_ > 0) intervalMs_ = intervalMs_ * 0.8 + std::min(250.0, startMs - lastFrameAt_) * 0.2;
    lastFrameAt_ = startMs;
}

void FrameTiming::endFrame(const Marks& m) {
    frames_.add(float(m.idle - m.start));
    ui_.add(float(m.gl - m.start));
    prep_.add(float(m.prep - m.start));
    newFrame_.add(float(m.newFrame - m.prep));
    draw_.add(float(m.draw - m.newFrame));
    render_.add(float(m.render - m.draw));
    gl_.add(float(m.gl - m.render));
    job_.add(float(m.job - m.gl));
    idle_.add(float(m.idle - m.job));
}

json FrameTiming::frameJson() const {
    return json{{"p50Ms", frames_.percentile(0.5f)}, {"p95Ms", frames_.percentile(0.95f)}, {"samples", frames_.count()}};
}

json FrameTiming::stepsJson() const {
    return json{{"prepP95Ms", prep_.percentile(0.95f)},
                {"newFrameP95Ms", newFrame_.percentile(0.95f)}, {"drawP95Ms", draw_.percentile(0.95f)},
                {"renderP95Ms", render_.percentile(0.95f)}, {"glP95Ms", gl_.percentile(0.95f)},
                {"glP50Ms", gl_.percentile(0.5f)}, {"drawP50Ms", draw_.percentile(0.5f)},
                {"jobP95Ms", job_.percentile(0.95f)}, {"idleP95Ms", idle_.percentile(0.95f)},
                {"idleP50Ms", idle_.percentile(0.5f)},
                {"uiP95Ms", ui_.percentile(0.95f)}, {"uiP50Ms", ui_.percentile(0.5f)}};
}

}  // namespace roster::platform
