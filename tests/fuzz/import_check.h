#pragma once
// Invariants of the SEI import, shared by the libFuzzer target (fuzz_import) and the Catch2
// regression test: whatever the bytes, planning never crashes; a plan with errors changes nothing;
// an applied plan leaves a consistent directory (no account owned twice, owners alive), exports
// and re-imports to "unchanged", and one undo restores the exact previous snapshot.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sei.h"
#include "session.h"

namespace roster::fuzzcheck {

#define ROSTER_IMPORT_CHECK(cond)                                                                   \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_import: invariant violated (%s:%d): %s\n", __FILE__, __LINE__, #cond); \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

inline const char* kBaseDirectory =
    "Full_Name,Email,Team_name,Start_date,Manager_email,Integration: Github,Integration: Jira\r\n"
    "Ada Lovelace,ada@example.com,Core,2020-01-02,grace@example.com,ada-gh,J-1\r\n"
    "Ada Lovelace,ada@example.com,Core,2020-01-02,grace@example.com,ada-gh-2,\r\n"
    "Grace Hopper,grace@example.com,Compilers,2019-05-06,,grace,J-2\r\n"
    "=Evil,evil@example.com,'=cmd,2021-07-08,,evil-gh,\r\n"
    "Unassigned Bot,,,,,dependabot[bot],\r\n";

inline bool consistent(const Directory& d) {
    uint32_t live = 0;
    for (uint32_t i = 0; i < d.identities().size(); ++i) {
        const Identity& id = d.identities()[i];
        if (!id.alive) continue;
        ++live;
        ROSTER_IMPORT_CHECK(id.owner == kNone || d.userAlive(id.owner));
        ROSTER_IMPORT_CHECK(id.integ < d.integrations().size() && d.integrations()[id.integ].alive);
        ROSTER_IMPORT_CHECK(d.findIdentity(id.integ, d.s(id.account)) == i);   // one owner per account
    }
    ROSTER_IMPORT_CHECK(live == d.liveIdentityCount());
    for (uint32_t s = 0; s < d.slotCount(); ++s) {
        if (!d.userAlive(s) || d.userEmail(s).empty()) continue;
        ROSTER_IMPORT_CHECK(d.findEmail(d.userEmail(s)) == s);
    }
    return true;
}

// The first byte picks the mode; the rest is the file.
inline bool checkImport(std::string_view input) {
    ImportMode mode = (!input.empty() && (uint8_t(input[0]) & 1)) ? ImportMode::Replace : ImportMode::Update;
    std::string_view bytes = input.empty() ? input : input.substr(1);
    Session s;
    {
        auto base = std::make_shared<ImportPlan>(planImport(s.dir, kBaseDirectory, ImportMode::Update));
        ROSTER_IMPORT_CHECK(base->ok());
        ImportCmd cmd(base);
        ROSTER_IMPORT_CHECK(s.execute(cmd).ok);
    }
    // The base directory is the same for every input: its snapshot is taken once (a third of the
    // checker's time went to taking it again).
    static const json kBefore = s.snapshot();
    const json& before = kBefore;
    const size_t depth = s.history.undoDepth();
    auto plan = std::make_shared<ImportPlan>(planImport(s.dir, bytes, mode));
    ROSTER_IMPORT_CHECK(plan->ok() == plan->errors.empty());
    for (const Diag& e : plan->errors) ROSTER_IMPORT_CHECK(!e.code.empty() && !e.message.empty());
    ImportCmd cmd(plan);
    CmdResult r = s.execute(cmd);
    if (!plan->ok()) {
        ROSTER_IMPORT_CHECK(!r.ok);
        ROSTER_IMPORT_CHECK(s.snapshot() == before);
        ROSTER_IMPORT_CHECK(s.history.undoDepth() == depth);
        return true;
    }
    ROSTER_IMPORT_CHECK(r.ok);
    if (!consistent(s.dir)) return false;
    ROSTER_IMPORT_CHECK(s.dir.userCount() >= plan->counts.added);
    // Export, re-import: nothing changes.
    std::string out = exportSei(s.dir);
    for (ImportMode m : {ImportMode::Update, ImportMode::Replace}) {
        ImportPlan again = planImport(s.dir, out, m);
        if (s.dir.userCount() == 0 && m == ImportMode::Replace) continue;
        ROSTER_IMPORT_CHECK(again.ok());
        ROSTER_IMPORT_CHECK(again.counts.added == 0 && again.counts.updated == 0 && again.counts.removed == 0);
    }
    // One undo step restores the directory exactly.
    if (s.history.undoDepth() > depth) {
        ROSTER_IMPORT_CHECK(s.undo());
        ROSTER_IMPORT_CHECK(s.snapshot() == before);
        if (!consistent(s.dir)) return false;
        // A quarter of the inputs: the same file again. The import ends the redo step, so what the
        // first one made is given back (History::discardRedo) and the second takes its place: the
        // same export, a consistent directory, and one undo back to the base again.
        if (bytes.size() % 4 == 0) {
            auto second = std::make_shared<ImportPlan>(planImport(s.dir, bytes, mode));
            ROSTER_IMPORT_CHECK(second->ok());
            ImportCmd again(second);
            ROSTER_IMPORT_CHECK(s.execute(again).ok);
            ROSTER_IMPORT_CHECK(!s.history.canRedo());
            if (!consistent(s.dir)) return false;
            ROSTER_IMPORT_CHECK(exportSei(s.dir) == out);
            ROSTER_IMPORT_CHECK(s.undo());
            ROSTER_IMPORT_CHECK(s.snapshot() == before);
            if (!consistent(s.dir)) return false;
        }
    }
    return true;
}

#undef ROSTER_IMPORT_CHECK

}  // namespace roster::fuzzcheck
