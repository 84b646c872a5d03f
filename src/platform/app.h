#pragma once
// The browser side of Roster: the only code that knows Emscripten, GLFW and the DOM. App composes
// the platform's parts (the session and its store, the saver, the versions, the job runner, frame
// timing, the clipboard, the UI) and is the UI's Host by delegating to them.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clipboard.h"
#include "frame_stats.h"
#include "import_flow.h"
#include "job_runner.h"
#include "saver.h"
#include "session.h"
#include "store.h"
#include "ui/app_ui.h"
#include "ui/host.h"
#include "version_store.h"

namespace roster::platform {

// The canvas in device pixels (main loop) and the device pixel ratio.
struct Canvas {
    float dpr = 1.0f;
    int width = 0, height = 0;
};

class App : public ui::Host {
public:
    App();

    // ---- the parts
    Session& session() { return session_; }
    const Session& session() const { return session_; }
    ui::AppUI& ui() { return ui_; }
    Saver& saver() { return saver_; }
    const Saver& saver() const { return saver_; }
    JobRunner& jobs() { return jobs_; }
    const JobRunner& jobs() const { return jobs_; }
    VersionStore& versionStore() { return versions_; }
    FrameTiming& timing() { return timing_; }
    const FrameTiming& timing() const { return timing_; }
    Clipboard& clipboard() { return clipboard_; }
    Canvas& canvas() { return canvas_; }
    const Canvas& canvas() const { return canvas_; }

    // ---- start-up and the tab's role
    void loadStored();
    void reloadStored();               // after another tab saved, or before taking over
    void setEditor(bool editor, const std::string& reason);
    void setStorageInfo(json info) { storageInfo_ = std::move(info); }   // from navigator.storage (persisted, usage, quota)

    json restoreVersion(const std::string& id);   // VersionStore::restore, then nothing selected
    // Value codes of the attributes that equality filters compare (Directory::prepareAttrCodes),
    // made a slice at a time in frames with time to spare: after an import, a load or a bulk edit
    // the first org-unit query does not pay for them.
    void prepareAhead();
    // performance.now() at the end of the first frame whose Users table drew a person (-1: none yet).
    void notePeopleDrawn(double atMs) { if (firstPeopleAtMs_ < 0) firstPeopleAtMs_ = atMs; }
    double firstPeopleAtMs() const { return firstPeopleAtMs_; }

    // ---- ui::Host
    ImportFlow& imports() override { return importFlow_; }
    idle::Scheduler& idle() override { return idle_; }
    ui::SaveView saveView() const override { return saver_.view(); }
    std::vector<VersionInfo> versions() const override;
    bool versionDiff(const std::string& id, VersionDiff& out, std::string& error) override;
    void restoreVersionFromUi(const std::string& id) override;
    bool keepVersion(const std::string& label) override { return versions_.create(label); }
    void retrySave() override { saver_.retry(); }
    void loadSample() override;
    void copyToClipboard(const std::string& text) override { clipboard_.copy(text); }
    void openImportPicker() override;
    void saveExport(const std::string& fileName, const std::string& csv) override;
    void saveExportZip(const std::string& zipName, const std::vector<ExportFile>& files) override;
    float devicePixelRatio() const override { return canvas_.dpr; }
    double nowSeconds() const override;
    std::string buildId() const override;
    const std::string& clipboardText() const override { return clipboard_.text(); }
    void takeOverEditing() override;
    void askPersistentStorage() override;
    StorageStatus storageStatus() const override;
    bool startJob(std::shared_ptr<Job> job, std::function<void(Job&)> onFinish = {}) override {
        return jobs_.start(std::move(job), std::move(onFinish));
    }
    Job* runningJob() const override { return jobs_.running(); }
    double runningJobSeconds() const override { return jobs_.seconds(); }

private:
    Session session_;
    Store store_{"/data/roster"};
    FrameTiming timing_;
    idle::Scheduler idle_;
    JobRunner jobs_{timing_};
    Saver saver_{session_, store_, jobs_};
    VersionStore versions_{session_, store_, saver_};
    // Every import (window.roster, a dropped, picked or pasted file, the dialog) goes through it;
    // it keeps a version through the VersionStore (set in the constructor).
    ImportFlow importFlow_{session_};
    ui::AppUI ui_{session_, *this};
    Clipboard clipboard_;
    Canvas canvas_;
    json storageInfo_;
    double firstPeopleAtMs_ = -1;
    uint32_t aheadAttr_ = 0;
};

App& app();

}  // namespace roster::platform
