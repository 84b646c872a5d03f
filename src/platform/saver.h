#pragma once
// Background persistence: a debounced save of the directory to MEMFS chunk files (Store), then one
// guarded IDBFS sync at a time (library_roster.js), retried after a failure. flush() asks for a save
// now. A tab that does not edit (Session::readOnly) never writes; a directory that could not be read
// is never overwritten (disable).
#include <cstdint>
#include <string>
#include <vector>

#include "session.h"
#include "store.h"
#include "ui/host.h"

namespace roster::platform {

class JobRunner;

class Saver {
public:
    Saver(Session& session, Store& store, const JobRunner& jobs) : s_(session), store_(store), jobs_(jobs) {}

    void tick();                                 // once a frame: start a save when one is due
    uint64_t requestSave();                      // flush(): the revision that will be durable
    void retry();                                // the status bar's Retry
    void onSyncDone(bool ok, const std::string& code, const std::string& message);
    // The directory as stored is the directory in memory (after a load).
    void loaded();
    void mustWrite() { mustWrite_ = true; }      // something outside the revision changed (migration, version index)
    void disable(const std::string& reason);     // e.g. FORMAT_TOO_NEW: never overwrite
    void setError(const std::string& code, const std::string& message);   // a failure reported at start-up

    bool disabled() const { return disabled_; }
    const std::string& disabledReason() const { return disabledReason_; }
    bool syncing() const { return state_ == Syncing; }
    uint64_t savedRevision() const { return savedRevision_; }
    double lastSavedAt() const { return lastSavedAt_; }
    std::string lastError() const { return errorCode_.empty() ? "" : errorCode_ + ": " + errorMessage_; }
    ui::SaveView view() const;                   // the status bar's text

private:
    void startSave();
    void fail(const std::string& code, const std::string& message);

    Session& s_;
    Store& store_;
    const JobRunner& jobs_;                      // the job's budget sizes the encoding ahead
    enum State { Idle, Syncing } state_ = Idle;
    uint64_t savedRevision_ = 0;                 // revision written to MEMFS and confirmed by IndexedDB
    uint64_t inFlightRevision_ = 0;              // revision whose sync is running
    double lastChangeAt_ = 0;                    // when the revision last moved
    uint64_t lastSeenRevision_ = 0;
    bool forceNow_ = false;                      // flush() asked for an immediate save
    bool encodingAhead_ = false;                 // a save is due and its chunks are being encoded (Store::preEncode)
    bool mustWrite_ = false;
    bool disabled_ = false;
    std::string disabledReason_;
    std::string errorCode_, errorMessage_;       // last failure (cleared by a success)
    int failures_ = 0;
    double retryAt_ = 0;
    double lastSavedAt_ = 0;
    std::vector<std::string> inFlightFiles_;     // the store's changed files the running sync writes
};

}  // namespace roster::platform
