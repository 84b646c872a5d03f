#pragma once
// One door for every edit: a Command validates its input and performs primitive Changes through
// a Tx; History::execute() runs it, rolls it back on failure and records it as one undo step.
// Undo/redo replay the recorded Changes backwards/forwards, so every command is undoable by
// construction (ImHex-style command objects with undo/redo/format, without per-command undo code).
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "diag.h"
#include "model.h"

namespace roster {

struct CmdResult {
    bool ok = true;
    Diag error;
    uint32_t id = 0;   // the user id created, where the command creates one
    static CmdResult fail(std::string code, std::string message, uint32_t line = 0) {
        CmdResult r;
        r.ok = false;
        r.error = Diag{std::move(code), std::move(message), line, 0};
        return r;
    }
};

// Records and applies primitive changes; rollback() undoes what was done so far.
class Tx {
public:
    explicit Tx(Directory& d) : d_(d), start_(d.marks()) {}
    const Directory::Marks& startMarks() const { return start_; }
    Directory& dir() { return d_; }
    void rec(const Change& c) { d_.applyChange(c, true); log_.push_back(c); }
    void rollback();
    std::vector<Change> take() { return std::move(log_); }
    size_t size() const { return log_.size(); }

    // Convenience wrappers (no-ops when nothing changes).
    uint32_t createUser(std::string_view name, std::string_view email, uint32_t id = 0);
    void setUserName(uint32_t slot, std::string_view v);
    void setUserEmail(uint32_t slot, std::string_view v);
    void setUserAlive(uint32_t slot, bool alive);
    void setAttr(uint32_t attr, uint32_t slot, std::string_view v);
    void setIdentOwner(uint32_t ii, uint32_t ownerSlot);
    void setIdentAlive(uint32_t ii, bool alive);
    void setIdentDisplay(uint32_t ii, std::string_view v);
    uint32_t createIdentity(uint32_t integ, std::string_view account, std::string_view display, uint32_t ownerSlot);
    uint32_t createAlias(std::string_view email, uint32_t ownerSlot);
    void setAliasAlive(uint32_t ai, bool alive);
    void setAliasOwner(uint32_t ai, uint32_t ownerSlot);
    uint32_t createAttr(std::string_view key, std::string_view label, std::string_view header, AttrType t);
    uint32_t createIntegration(std::string_view name, IntegKind k);

private:
    Directory& d_;
    Directory::Marks start_;   // the directory's ends before this transaction made anything
    std::vector<Change> log_;
};

class Command {
public:
    virtual ~Command() = default;
    virtual std::string label() const = 0;                 // shown in Edit > Undo <label>
    virtual CmdResult apply(Tx& tx) = 0;                    // validate, then change through tx
    // True for a large edit (an import) that ends the redo steps before it makes anything, so that
    // what they made is given back first (History::discardRedo). Such a command, if it fails, has
    // still ended them.
    virtual bool endsRedoFirst() const { return false; }
};

struct HistoryEntry {
    std::string label;
    std::vector<Change> changes;
    Directory::Marks start;   // the directory's ends before the step made anything
};

class History {
public:
    // Runs cmd as one undo step. On failure nothing changes.
    CmdResult execute(Directory& d, Command& cmd);
    // Records what `tx` did (outside execute, e.g. a job applied across frames) as one undo step.
    void commit(std::string label, Tx& tx);
    // Ends the redo steps before a new edit makes anything, and gives back what only they (and
    // edits rolled back since) made: the records and text past the first of them's start
    // (Directory::reclaim). An import calls it as it starts to apply, so that its records take the
    // place of the undone ones' instead of piling on top of them. Answers what was given back.
    Directory::Reclaimed discardRedo(Directory& d);
    // What reclaiming gave back in this session (stats().reclaimed).
    struct ReclaimTotals { uint64_t users = 0, idents = 0, aliases = 0, poolBytes = 0, refused = 0; };
    const ReclaimTotals& reclaimed() const { return reclaimed_; }
    bool undo(Directory& d);
    bool redo(Directory& d);
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }
    std::string undoLabel() const { return undo_.empty() ? "" : undo_.back().label; }
    std::string redoLabel() const { return redo_.empty() ? "" : redo_.back().label; }
    size_t undoDepth() const { return undo_.size(); }
    // The memory the undo and redo steps hold (their change records and labels; the strings they
    // name live in the directory's pool). stats().historyBytes.
    size_t bytes() const;
    void clear() { undo_.clear(); redo_.clear(); changeCount_ = 0; }
    // Bounds: oldest steps are dropped past these (a million-row import is one big step).
    size_t maxSteps = 500;
    size_t maxChanges = 30'000'000;

private:
    void trim();
    void count(const Directory::Reclaimed& r);
    ReclaimTotals reclaimed_;
    std::deque<HistoryEntry> undo_, redo_;
    size_t changeCount_ = 0;
};

// ---- the commands of the foundation (more live in their own files as features land)
std::string formatUserId(uint32_t id);
bool parseUserId(std::string_view s, uint32_t& id);
// A person as messages and lists name them: "Ada Lovelace <ada@x.com>", or the name, or the email,
// or the id when both are blank (long names and emails clipped).
std::string personLabel(const Directory& d, uint32_t slot);
// A person as lists and short messages name them: the name, else the email, else the id.
std::string personShortLabel(const Directory& d, uint32_t slot);

// Validation shared by commands and import: empty = ok for email? no: see each command.
CmdResult checkName(std::string_view name);
CmdResult checkEmailFor(const Directory& d, std::string_view email, uint32_t selfSlot);   // INVALID_EMAIL / DUPLICATE_EMAIL

class AddUserCmd : public Command {
public:
    AddUserCmd(std::string name, std::string email) : name_(std::move(name)), email_(std::move(email)) {}
    std::string label() const override { return "Add " + (name_.empty() ? email_ : name_); }
    CmdResult apply(Tx& tx) override;
private:
    std::string name_, email_;
};

class UpdateUserCmd : public Command {
public:
    UpdateUserCmd(uint32_t id, const std::string* name, const std::string* email);
    std::string label() const override { return "Edit user"; }
    CmdResult apply(Tx& tx) override;
private:
    uint32_t id_;
    bool hasName_, hasEmail_;
    std::string name_, email_;
};

class RemoveUsersCmd : public Command {
public:
    explicit RemoveUsersCmd(std::vector<uint32_t> ids) : ids_(std::move(ids)) {}
    std::string label() const override;
    CmdResult apply(Tx& tx) override;
private:
    std::vector<uint32_t> ids_;
};

}  // namespace roster
