#include "saver.h"

#include <algorithm>

#include "browser.h"
#include "idle.h"
#include "job_runner.h"

namespace roster::platform {

namespace {
constexpr double kDebounceSeconds = idle::kSaveDebounceSeconds;
constexpr int kSyncTimeoutMs = 20000;
}  // namespace

ui::SaveView Saver::view() const {
    ui::SaveView v;
    const uint64_t rev = s_.dir.revision();
    if (s_.readOnly) {
        v.kind = ui::SaveView::Disabled;
        v.text = "read-only: another tab edits";
        v.detail = "This tab follows the saves of the tab that edits. Use \"Edit here instead\" in the banner to take over.";
        return v;
    }
    if (disabled_) {
        v.kind = ui::SaveView::Disabled;
        v.text = "not saved: " + disabledReason_;
        v.detail = "Roster will not write to this browser's storage: " + disabledReason_;
        return v;
    }
    if (!errorCode_.empty()) {
        v.kind = ui::SaveView::Failed;
        v.text = "not saved: " + errorMessage_;
        v.detail = "Error " + errorCode_ + ". Your edits are kept in memory and Roster retries; export a CSV to be safe.";
        return v;
    }
    if (state_ == Syncing) {
        v.kind = ui::SaveView::Saving;
        v.text = "saving…";
        return v;
    }
    if (rev != savedRevision_) {
        v.kind = ui::SaveView::Pending;
        v.text = "saving…";
        if (encodingAhead_) v.detail = "Preparing the changed parts of the directory for storage, a little each frame.";
        return v;
    }
    v.kind = ui::SaveView::Saved;
    v.text = "saved";
    v.detail = "Everything is stored in this browser (IndexedDB).";
    return v;
}

void Saver::retry() {
    retryAt_ = 0;
    forceNow_ = true;
}

uint64_t Saver::requestSave() {
    forceNow_ = true;
    return s_.dir.revision();
}

void Saver::loaded() {
    savedRevision_ = s_.dir.revision();
    lastSeenRevision_ = savedRevision_;
}

void Saver::disable(const std::string& reason) {
    disabled_ = true;
    disabledReason_ = reason;
}

void Saver::setError(const std::string& code, const std::string& message) {
    errorCode_ = code;
    errorMessage_ = message;
}

void Saver::fail(const std::string& code, const std::string& message) {
    errorCode_ = code;
    errorMessage_ = message;
    ++failures_;
    retryAt_ = nowSeconds() + std::min(30.0, 2.0 * failures_);
}

void Saver::startSave() {
    const uint64_t rev = s_.dir.revision();
    const double t0 = nowMs();
    StoreResult r = store_.save(s_.dir);
    EM_ASM({ Module.rosterTrace('Store::save', $0, $1 + ' files, ' + $2 + ' bytes'); }, nowMs() - t0, double(r.filesWritten), double(r.bytesWritten));
    if (!r.ok) {
        fail(r.error.code, r.error.message);
        roster_js_sync_finished(0, double(rev), r.error.code.c_str(), r.error.message.c_str());
        return;
    }
    state_ = Syncing;
    inFlightRevision_ = rev;
    // Exactly the files changed since the last durable save (this one's, a version's, a failed
    // sync's): the folder entry first, so that IDBFS's populate can create it before its files.
    inFlightFiles_ = store_.takeChanged();
    std::string paths = store_.dir() + "\n";
    for (const std::string& f : inFlightFiles_) paths += store_.dir() + "/" + f + "\n";
    roster_js_persist(paths.c_str(), kSyncTimeoutMs);
}

void Saver::onSyncDone(bool ok, const std::string& code, const std::string& message) {
    state_ = Idle;
    if (ok) {
        inFlightFiles_.clear();
        savedRevision_ = inFlightRevision_;
        errorCode_.clear();
        errorMessage_.clear();
        failures_ = 0;
        lastSavedAt_ = nowSeconds();
        roster_js_on_saved();
    } else {
        fail(code, message);
        // The files stay newer in MEMFS than in IndexedDB: the next sync writes them again.
        store_.keepChanged(inFlightFiles_);
    }
    roster_js_sync_finished(ok ? 1 : 0, double(savedRevision_), code.c_str(), message.c_str());
}

void Saver::tick() {
    // An import applied across frames is half done until its job ends: nothing is saved before.
    if (s_.busy) return;
    const double now = nowSeconds();
    if (s_.readOnly) {
        lastSeenRevision_ = s_.dir.revision();
        savedRevision_ = s_.dir.revision();
        if (forceNow_) {
            forceNow_ = false;
            roster_js_sync_finished(0, double(savedRevision_), "READ_ONLY", "another tab is editing this directory");
        }
        return;
    }
    const uint64_t rev = s_.dir.revision();
    if (rev != lastSeenRevision_) {
        lastSeenRevision_ = rev;
        lastChangeAt_ = now;
    }
    if (disabled_) {
        if (forceNow_) {
            forceNow_ = false;
            roster_js_sync_finished(0, double(savedRevision_), "STORAGE_DISABLED", disabledReason_.c_str());
        }
        return;
    }
    if (state_ == Syncing) return;   // one sync at a time; we come back when it ends
    if (rev == savedRevision_ && !mustWrite_) {
        if (forceNow_) {
            forceNow_ = false;
            roster_js_sync_finished(1, double(savedRevision_), "", "");
        }
        return;
    }
    const bool debounced = now - lastChangeAt_ >= kDebounceSeconds;
    const bool retryDue = errorCode_.empty() || now >= retryAt_;
    if (forceNow_ || mustWrite_ || (debounced && retryDue)) {
        if (mustWrite_ && !forceNow_ && !retryDue) return;
        // The changed chunks are encoded a slice a frame first: after a large import that is every
        // chunk, about 2 s at a million people, which Store::save would do inside one frame. Edits
        // meanwhile only cost the chunks they touch; flush() asks for the save now and gets it now.
        if (!forceNow_ && !store_.preEncode(s_.dir, Job::in(jobs_.budgetMs()))) {
            encodingAhead_ = true;
            return;
        }
        encodingAhead_ = false;
        forceNow_ = false;
        mustWrite_ = false;
        startSave();
    }
}

}  // namespace roster::platform
