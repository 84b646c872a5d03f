#pragma once
// What the UI needs from the platform, and nothing more: the UI reads the model, issues
// commands through the Session, and asks the host for browser things (files, clipboard, save).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exporter.h"
#include "idle.h"
#include "import_flow.h"
#include "job.h"
#include "versions.h"

namespace roster::ui {

struct SaveView {
    enum Kind { Saved, Pending, Saving, Failed, Disabled } kind = Saved;
    std::string text;     // "saved", "saving…", "not saved: reason"
    std::string detail;   // tooltip / Storage panel
};

class Host {
public:
    virtual ~Host() = default;
    virtual SaveView saveView() const = 0;
    virtual void retrySave() = 0;
    virtual void loadSample() = 0;                       // fetches assets/sei-users.csv and imports it
    virtual void copyToClipboard(const std::string& text) = 0;
    virtual void openImportPicker() = 0;                 // File > Import CSV…
    virtual void saveExport(const std::string& fileName, const std::string& csv) = 0;
    // Several files saved as one zip named zipName (an export format of several files).
    virtual void saveExportZip(const std::string& zipName, const std::vector<ExportFile>& files) = 0;
    virtual float devicePixelRatio() const = 0;
    virtual double nowSeconds() const = 0;
    virtual std::string buildId() const = 0;
    virtual const std::string& clipboardText() const = 0;   // the text of the last paste event
    virtual void takeOverEditing() = 0;                       // this tab becomes the one that edits
    virtual void askPersistentStorage() = 0;
    struct StorageStatus {
        std::string role;               // "editor" / "read-only"
        int persisted = -1;             // -1 unknown, 0 no, 1 yes
        double usage = -1, quota = -1;  // bytes, -1 unknown
        uint64_t generation = 0;
        int format = 0;
        double lastSavedAgo = -1;       // seconds
        std::string lastError;
    };
    virtual StorageStatus storageStatus() const = 0;
    struct VersionInfo { std::string id, label; double createdAt = 0; uint32_t users = 0; };
    virtual std::vector<VersionInfo> versions() const = 0;                 // newest first
    virtual bool versionDiff(const std::string& id, VersionDiff& out, std::string& error) = 0;
    virtual void restoreVersionFromUi(const std::string& id) = 0;
    virtual bool keepVersion(const std::string& label) = 0;              // kept by hand (History)
    // The one import flow (src/core/import_flow.h): every import from the UI goes through it.
    virtual ImportFlow& imports() = 0;
    // The one scheduler of background work (src/core/idle.h): the UI notes input on it and asks it
    // before advancing the navigation's counts.
    virtual idle::Scheduler& idle() = 0;

    // Long operations (roster::Job): the main loop runs at most one, calling step() once a frame
    // with a budget of a few milliseconds; the UI shows its progress with Cancel. startJob answers
    // false (and does not start it) while another job runs. onFinish runs once, in the frame the
    // job reports finished (done or cancelled).
    virtual bool startJob(std::shared_ptr<Job> job, std::function<void(Job&)> onFinish = {}) = 0;
    virtual Job* runningJob() const = 0;           // null when none
    virtual double runningJobSeconds() const = 0;  // since it started
};

}  // namespace roster::ui
