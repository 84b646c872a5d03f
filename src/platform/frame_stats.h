#pragma once
// Frame timing: the CPU time of the app's own work in each of the last 600 frames (stats().frame),
// split into the frame's steps (stats().frameSteps), and the smoothed time between frames that the
// job's budget and the idle work are sized from.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

namespace roster::platform {

using json = nlohmann::json;

// The last 600 samples of one figure, in milliseconds.
class FrameStats {
public:
    void add(float v);
    float percentile(float p) const;
    size_t count() const { return count_; }

private:
    std::vector<float> ms_ = std::vector<float>(600, 0.f);
    size_t next_ = 0, count_ = 0;
};

class FrameTiming {
public:
    // performance.now() at the frame's steps: its start, after the canvas size and any font rebuild
    // (prep), after ImGui::NewFrame with input, the UI's Draw, ImGui::Render, the WebGL submission
    // (clear + draw lists), the job's step, and the idle work after it (cursor, saver tick, the work
    // ahead, version autosave). "ui" is prep through WebGL: what the frame figure measured before.
    struct Marks { double start, prep, newFrame, draw, render, gl, job, idle; };
    void beginFrame(double startMs);   // the time between frames
    void endFrame(const Marks& m);
    double intervalMs() const { return intervalMs_; }
    json frameJson() const;            // {p50Ms, p95Ms, samples}
    json stepsJson() const;            // stats().frameSteps

private:
    FrameStats frames_, prep_, newFrame_, draw_, render_, gl_, job_, idle_, ui_;
    double intervalMs_ = 16;   // smoothed time between frames
    double lastFrameAt_ = 0;
};

}  // namespace roster::platform
