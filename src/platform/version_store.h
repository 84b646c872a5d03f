#pragma once
// Stored versions of the directory: their index in the manifest (Store::extra()["versions"]), their
// chunks in the "roster-versions" IndexedDB (library_roster.js). Kept before an import, by hand, and
// every 10 minutes of editing; listed, loaded (fetched from IndexedDB first when needed) and
// restored as one undoable command.
#include <cstddef>
#include <cstdint>
#include <string>

#include "session.h"
#include "store.h"

namespace roster::platform {

class Saver;

class VersionStore {
public:
    static constexpr size_t kMaxVersions = 20;
    static constexpr double kAutosaveSeconds = 600;

    VersionStore(Session& session, Store& store, Saver& saver) : s_(session), store_(store), saver_(saver) {}
    // Keeps the directory as it is now under `label`; false in a read-only tab or when storage is disabled.
    bool create(const std::string& label);
    json list() const;                 // [{id, label, createdAt, users}], newest first
    // Loads a stored version into `out`. false with code VERSION_LOADING when its chunks are being
    // fetched from IndexedDB (try again shortly), NOT_FOUND, or the load error.
    bool load(const std::string& id, Directory& out, Diag& err);
    json restore(const std::string& id);   // {ok:true} or an error; one undo step
    void autosave();                   // once a frame: a version after 10 minutes of editing

private:
    Session& s_;
    Store& store_;
    Saver& saver_;
    double lastAt_ = 0;
    uint64_t lastRevision_ = 0;
};

}  // namespace roster::platform
