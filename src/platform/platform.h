#pragma once
// The browser side of Roster: the only code that knows Emscripten, GLFW and the DOM.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "import_flow.h"
#include "session.h"
#include "store.h"
#include "ui/app_ui.h"
#include "ui/host.h"

namespace roster::platform {

// Per-frame CPU time of the app's own work (input, UI build, ImGui render, draw submission).
struct FrameStats {
    std::vector<float> ms = std::vector<float>(600, 0.f);
    size_t next = 0, count = 0;
    void add(float v) { ms[next] = v; next = (next + 1) % ms.size(); if (count < ms.size()) ++count; }
    float percentile(float p) const;
};

// Background persistence: debounced save to MEMFS chunk files, then one guarded IDBFS sync at a time.
struct Saver {
    enum State { Idle, Syncing } state = Idle;
    uint64_t savedRevision = 0;        // revision written to MEMFS and confirmed by IndexedDB
    uint64_t inFlightRevision = 0;     // revision whose sync is running
    double lastChangeAt = 0;           // when the revision last moved
    uint64_t lastSeenRevision = 0;
    bool forceNow = false;             // flush() asked for an immediate save
    bool encodingAhead = false;        // a save is due and its chunks are being encoded (Store::preEncode)
    bool mustWrite = false;            // something outside the revision changed (migration, version index)
    bool disabled = false;             // e.g. FORMAT_TOO_NEW: never overwrite
    bool readOnly = false;             // another tab edits: this one never writes
    std::string disabledReason;
    std::string errorCode, errorMessage;   // last failure (cleared by a success)
    int failures = 0;
    double retryAt = 0;
    double lastSavedAt = 0;
    size_t lastBytes = 0;
    std::vector<std::string> inFlightFiles;   // the store's changed files the running sync writes
};

class App : public ui::Host {
public:
    App();
    Session session;
    Store store{"/data/roster"};
    Saver saver;
    FrameStats frames;
    // The frame's steps (stats().frameSteps), which add up to `frames`: the canvas size and any font
    // rebuild (prep), ImGui::NewFrame with input, the UI's Draw, ImGui::Render, the WebGL submission
    // (clear + draw lists), the job's step, and the idle work after it (cursor, saver tick, the
    // work ahead, version autosave). stepUi is prep through WebGL: what `frames` measured before.
    FrameStats stepPrep, stepNewFrame, stepDraw, stepRender, stepGl, stepFrameJob, stepIdle, stepUi;
    double firstPeopleAtMs = -1;   // performance.now() at the end of the first frame whose Users table drew a person
    // Every import (window.roster, a dropped, picked or pasted file, the dialog) goes through it;
    // it keeps a version through createVersion (set in the constructor).
    ImportFlow importFlow{session};
    ImportFlow& imports() override { return importFlow; }
    ui::AppUI ui{session, *this};
    float dpr = 1.0f;
    int fbWidth = 0, fbHeight = 0;
    bool firstFrameDone = false;
    std::string clipboard;
    std::vector<ui::SaveView> dummy;

    // Host
    ui::SaveView saveView() const override;
    std::vector<VersionInfo> versions() const override;
    bool versionDiff(const std::string& id, VersionDiff& out, std::string& error) override;
    void restoreVersionFromUi(const std::string& id) override;
    bool keepVersion(const std::string& label) override { return createVersion(label); }
    void retrySave() override;
    void loadSample() override;
    void copyToClipboard(const std::string& text) override;
    void openImportPicker() override;
    void saveExport(const std::string& fileName, const std::string& csv) override;
    float devicePixelRatio() const override { return dpr; }
    double nowSeconds() const override;
    std::string buildId() const override;
    const std::string& clipboardText() const override { return clipboard; }
    void takeOverEditing() override;
    void askPersistentStorage() override;
    StorageStatus storageStatus() const override;
    bool startJob(std::shared_ptr<Job> job, std::function<void(Job&)> onFinish = {}) override;
    Job* runningJob() const override { return job.get(); }
    double runningJobSeconds() const override { return job ? nowSeconds() - jobStartedAt : 0; }

    // ---- the long operation in progress (at most one): stepped once a frame by frame()
    std::shared_ptr<Job> job;
    std::function<void(Job&)> jobDone;
    double jobStartedAt = 0;
    double jobBudgetMs = 0;            // per frame when > 0 (roster.ui({action: "jobBudget", ms}): tests); else jobBudget()
    float jobLastStepMs = 0;
    double jobCpuMs = 0;               // step time so far
    uint32_t jobSteps = 0;
    json lastJob;                      // {title, cancelled, cpuMs, wallMs, steps} of the last finished job
    double frameIntervalMs = 16;       // smoothed time between frames
    double lastFrameAt = 0;
    // 8 ms a frame at 60 fps; on slow frames (software GL) half of the frame's own time, at most
    // 50 ms, so that a job does not crawl while staying under a frame's length.
    double jobBudget() const {
        return jobBudgetMs > 0 ? jobBudgetMs : std::clamp((frameIntervalMs - jobLastStepMs) / 2, 8.0, 50.0);
    }
    void stepJob();
    json jobJson() const;              // {title, phase, done, total, unit, cancellable, cancelRequested, seconds} or null

    void loadStored();
    void reloadStored();               // after another tab saved, or before taking over
    void setEditor(bool editor, const std::string& reason);
    json storageInfo;                  // from navigator.storage (persisted, usage, quota)

    // ---- stored versions (index in the manifest; chunks in the "roster-versions" IndexedDB)
    static constexpr size_t kMaxVersions = 20;
    static constexpr double kAutosaveVersionSeconds = 600;
    double lastVersionAt = 0;
    uint64_t lastVersionRevision = 0;
    bool createVersion(const std::string& label);
    json versionsJson() const;
    // Loads a stored version into `out`. false with code VERSION_LOADING when its chunks are being
    // fetched from IndexedDB (try again shortly), NOT_FOUND, or the load error.
    bool loadVersion(const std::string& id, Directory& out, Diag& err);
    json restoreVersion(const std::string& id);
    void maybeAutosaveVersion();
    void tickSaver();
    // Value codes of the attributes that equality filters compare (Directory::prepareAttrCodes),
    // made a slice at a time in frames with time to spare: after an import, a load or a bulk edit
    // the first org-unit query does not pay for them.
    void prepareAhead();
    uint32_t aheadAttr = 0;
    void startSave();
    void onSyncDone(bool ok, const std::string& code, const std::string& message);
    uint64_t requestSave();            // for flush(): returns the revision that will be durable
};

App& app();
json apiCall(App& a, const std::string& method, const json& arg, const uint8_t* bytes, size_t len, bool hasBytes);

}  // namespace roster::platform
