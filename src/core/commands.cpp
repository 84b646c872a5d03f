#include "commands.h"

#include <algorithm>
#include <charconv>

#include "text.h"

namespace roster {

// ---------------------------------------------------------------- Tx

void Tx::rollback() {
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) d_.applyChange(*it, false);
    log_.clear();
}

uint32_t Tx::createUser(std::string_view name, std::string_view email, uint32_t id) {
    uint32_t slot = d_.newUserSlot(id);
    setUserName(slot, name);
    setUserEmail(slot, email);
    setUserAlive(slot, true);
    return slot;
}

void Tx::setUserName(uint32_t slot, std::string_view v) {
    if (d_.userName(slot) == v) return;
    Change c{ChangeOp::UserName, slot};
    c.oldS = d_.userNameStr(slot);
    c.newS = d_.pool().add(v);
    rec(c);
}

void Tx::setUserEmail(uint32_t slot, std::string_view v) {
    if (d_.userEmail(slot) == v) return;
    Change c{ChangeOp::UserEmail, slot};
    c.oldS = d_.userEmailStr(slot);
    c.newS = d_.pool().add(v);
    rec(c);
}

void Tx::setUserAlive(uint32_t slot, bool alive) {
    if (d_.userAlive(slot) == alive) return;
    Change c{ChangeOp::UserAlive, slot};
    c.oldV = !alive;
    c.newV = alive;
    rec(c);
}

void Tx::setAttr(uint32_t attr, uint32_t slot, std::string_view v) {
    if (d_.attrValue(attr, slot) == v) return;
    Change c{ChangeOp::AttrValue, slot, attr};
    c.oldS = d_.attrValueStr(attr, slot);
    c.newS = d_.pool().add(v);
    rec(c);
}

void Tx::setIdentOwner(uint32_t ii, uint32_t ownerSlot) {
    uint32_t cur = d_.identities()[ii].owner;
    if (cur == ownerSlot) return;
    Change c{ChangeOp::IdentOwner, ii};
    c.oldV = cur;
    c.newV = ownerSlot;
    rec(c);
}

void Tx::setIdentAlive(uint32_t ii, bool alive) {
    if (bool(d_.identities()[ii].alive) == alive) return;
    Change c{ChangeOp::IdentAlive, ii};
    c.oldV = !alive;
    c.newV = alive;
    rec(c);
}

void Tx::setIdentDisplay(uint32_t ii, std::string_view v) {
    if (d_.s(d_.identities()[ii].display) == v) return;
    Change c{ChangeOp::IdentDisplay, ii};
    c.oldS = d_.identities()[ii].display;
    c.newS = d_.pool().add(v);
    rec(c);
}

uint32_t Tx::createIdentity(uint32_t integ, std::string_view account, std::string_view display, uint32_t ownerSlot) {
    uint32_t ii = d_.newIdentity(integ, account, display);
    setIdentOwner(ii, ownerSlot);
    setIdentAlive(ii, true);
    return ii;
}

uint32_t Tx::createAlias(std::string_view email, uint32_t ownerSlot) {
    uint32_t ai = d_.newAlias(email, ownerSlot);
    setAliasAlive(ai, true);
    return ai;
}

void Tx::setAliasAlive(uint32_t ai, bool alive) {
    if (bool(d_.aliases()[ai].alive) == alive) return;
    Change c{ChangeOp::AliasAlive, ai};
    c.oldV = !alive;
    c.newV = alive;
    rec(c);
}

void Tx::setAliasOwner(uint32_t ai, uint32_t ownerSlot) {
    uint32_t cur = d_.aliases()[ai].owner;
    if (cur == ownerSlot) return;
    Change c{ChangeOp::AliasOwner, ai};
    c.oldV = cur;
    c.newV = ownerSlot;
    rec(c);
}

uint32_t Tx::createAttr(std::string_view key, std::string_view label, std::string_view header, AttrType t) {
    uint32_t a = d_.newAttrDef(key, label, header, t);
    Change c{ChangeOp::AttrDefAlive, a};
    c.oldV = 0;
    c.newV = 1;
    rec(c);
    return a;
}

uint32_t Tx::createIntegration(std::string_view name, IntegKind k) {
    uint32_t i = d_.newIntegration(name, k);
    Change c{ChangeOp::IntegAlive, i};
    c.oldV = 0;
    c.newV = 1;
    rec(c);
    return i;
}

// ---------------------------------------------------------------- History

CmdResult History::execute(Directory& d, Command& cmd) {
    if (cmd.endsRedoFirst()) discardRedo(d);
    const auto run = [&](Tx& tx) {
        CmdResult r;
        try {
            r = cmd.apply(tx);
        } catch (const std::bad_alloc&) {
            r = CmdResult::fail("OUT_OF_MEMORY", "Not enough memory to complete \"" + cmd.label() + "\"");
        }
        if (!r.ok) tx.rollback();   // (what it made stays, dead, until the next reclaim: the redo steps are kept)
        return r;
    };
    Tx tx(d);
    CmdResult r = run(tx);
    if (!r.ok) return r;
    if (!redo_.empty() && tx.size() > 0) {
        // The redo steps end with this edit, which has made its records already.
        Directory::Marks floor = redo_.back().start;
        const Directory::Marks now = d.marks();
        const Directory::Marks& was = tx.startMarks();
        const bool madeOnTop = (now.users != was.users && floor.users < was.users) || (now.idents != was.idents && floor.idents < was.idents) ||
                               (now.aliases != was.aliases && floor.aliases < was.aliases);
        if (madeOnTop) {
            // On top of the undone steps' records: once more, after those are given back, so that
            // the new records take their place (a command is a function of the directory and its
            // input; what nothing reaches does not change its answer).
            tx.rollback();
            discardRedo(d);
            Tx again(d);
            r = run(again);
            if (r.ok) commit(cmd.label(), again);
            return r;
        }
        // It made no records, or none where the undone steps had: give back theirs, not the text
        // (this edit's own strings lie past theirs).
        // (a kind this edit made records of, with nothing undone below them: kept whole)
        if (now.users != was.users) floor.users = std::max(floor.users, now.users);
        if (now.idents != was.idents) floor.idents = std::max(floor.idents, now.idents);
        if (now.aliases != was.aliases) floor.aliases = std::max(floor.aliases, now.aliases);
        floor.attrs = std::max(floor.attrs, was.attrs);   // (definitions this edit made keep their values)
        for (auto& x : redo_) changeCount_ -= x.changes.size();
        redo_.clear();
        count(d.reclaim(floor, false));
    }
    commit(cmd.label(), tx);
    return r;
}

Directory::Reclaimed History::discardRedo(Directory& d) {
    if (redo_.empty()) return {};
    const Directory::Marks floor = redo_.back().start;
    for (auto& x : redo_) changeCount_ -= x.changes.size();
    redo_.clear();
    const Directory::Reclaimed r = d.reclaim(floor, true);
    count(r);
    return r;
}

void History::count(const Directory::Reclaimed& r) {
    reclaimed_.users += r.users;
    reclaimed_.idents += r.idents;
    reclaimed_.aliases += r.aliases;
    reclaimed_.poolBytes += r.poolBytes;
    reclaimed_.refused += r.refused;
}

void History::commit(std::string label, Tx& tx) {
    if (tx.size() == 0) return;   // nothing changed: no undo step
    HistoryEntry e{std::move(label), tx.take(), tx.startMarks()};
    changeCount_ += e.changes.size();
    undo_.push_back(std::move(e));
    for (auto& x : redo_) changeCount_ -= x.changes.size();
    redo_.clear();
    trim();
}

bool History::undo(Directory& d) {
    if (undo_.empty()) return false;
    HistoryEntry e = std::move(undo_.back());
    undo_.pop_back();
    for (auto it = e.changes.rbegin(); it != e.changes.rend(); ++it) d.applyChange(*it, false);
    redo_.push_back(std::move(e));
    return true;
}

bool History::redo(Directory& d) {
    if (redo_.empty()) return false;
    HistoryEntry e = std::move(redo_.back());
    redo_.pop_back();
    for (const Change& c : e.changes) d.applyChange(c, true);
    undo_.push_back(std::move(e));
    return true;
}

size_t History::bytes() const {
    size_t n = 0;
    for (const auto* q : {&undo_, &redo_})
        for (const HistoryEntry& e : *q) n += sizeof(HistoryEntry) + e.label.capacity() + e.changes.capacity() * sizeof(Change);
    return n;
}

void History::trim() {
    while (undo_.size() > 1 && (undo_.size() > maxSteps || changeCount_ > maxChanges)) {
        changeCount_ -= undo_.front().changes.size();
        undo_.pop_front();
    }
}

// ---------------------------------------------------------------- ids and validation


std::string formatUserId(uint32_t id) { return "u" + std::to_string(id); }

std::string personLabel(const Directory& d, uint32_t slot) {
    std::string_view n = d.userName(slot), e = d.userEmail(slot);
    if (!n.empty() && !e.empty()) return clipText(n, 80) + " <" + clipText(e, 80) + ">";
    if (!n.empty()) return clipText(n, 80);
    if (!e.empty()) return clipText(e, 80);
    return formatUserId(d.userId(slot));
}

std::string personShortLabel(const Directory& d, uint32_t slot) {
    if (!d.userName(slot).empty()) return std::string(d.userName(slot));
    if (!d.userEmail(slot).empty()) return std::string(d.userEmail(slot));
    return formatUserId(d.userId(slot));
}

bool parseUserId(std::string_view s, uint32_t& id) {
    if (s.size() < 2 || s[0] != 'u') return false;
    auto r = std::from_chars(s.data() + 1, s.data() + s.size(), id);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && id > 0;
}

CmdResult checkName(std::string_view name) {
    if (name.size() > kMaxValueBytes) return CmdResult::fail("VALUE_TOO_LONG", "The name is longer than 64 KB");
    for (char c : name)
        if (c == '\0') return CmdResult::fail("INVALID_ARGUMENT", "The name contains a NUL character");
    return {};
}

CmdResult checkEmailFor(const Directory& d, std::string_view email, uint32_t selfSlot) {
    std::string_view e = trim(email);
    if (!isValidEmail(e))
        return CmdResult::fail("INVALID_EMAIL", "\"" + std::string(email.substr(0, 200)) + "\" is not a valid email address");
    uint32_t owner = d.findEmail(e);
    if (owner != kNone && owner != selfSlot)
        return CmdResult::fail("DUPLICATE_EMAIL", "The email " + std::string(e) + " is already used by " +
                                                      personShortLabel(d, owner) + " (" + formatUserId(d.userId(owner)) + ")");
    return {};
}

// ---------------------------------------------------------------- user commands

CmdResult AddUserCmd::apply(Tx& tx) {
    std::string_view name = trim(name_), email = trim(email_);
    if (auto r = checkName(name); !r.ok) return r;
    if (auto r = checkEmailFor(tx.dir(), email, kNone); !r.ok) return r;
    uint32_t slot = tx.createUser(name, email);
    CmdResult r;
    r.id = tx.dir().userId(slot);
    return r;
}

UpdateUserCmd::UpdateUserCmd(uint32_t id, const std::string* name, const std::string* email)
    : id_(id), hasName_(name != nullptr), hasEmail_(email != nullptr) {
    if (name) name_ = *name;
    if (email) email_ = *email;
}

CmdResult UpdateUserCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    uint32_t slot = d.slotOfId(id_);
    if (slot == kNone || !d.userAlive(slot)) return CmdResult::fail("NOT_FOUND", "No user " + formatUserId(id_));
    if (hasName_) {
        std::string_view name = trim(name_);
        if (auto r = checkName(name); !r.ok) return r;
        tx.setUserName(slot, name);
    }
    if (hasEmail_) {
        std::string_view email = trim(email_);
        // A user may have no email (e.g. split off an account); otherwise it must be valid and unique.
        // An email kept as imported that does not look like one (SUSPICIOUS_EMAIL) may stay as it is.
        if (!email.empty() && email != trim(d.userEmail(slot))) {
            if (auto r = checkEmailFor(d, email, slot); !r.ok) return r;
            // The new email may be one of this user's own aliases: it then stops being an alias.
            uint32_t ai = d.findAliasIndex(email);
            if (ai != kNone) tx.setAliasAlive(ai, false);
        }
        tx.setUserEmail(slot, email);
    }
    CmdResult r;
    r.id = id_;
    return r;
}

std::string RemoveUsersCmd::label() const {
    return ids_.size() == 1 ? "Delete user" : "Delete " + std::to_string(ids_.size()) + " users";
}

CmdResult RemoveUsersCmd::apply(Tx& tx) {
    Directory& d = tx.dir();
    std::vector<uint32_t> slots;
    slots.reserve(ids_.size());
    for (uint32_t id : ids_) {
        uint32_t slot = d.slotOfId(id);
        if (slot == kNone || !d.userAlive(slot)) return CmdResult::fail("NOT_FOUND", "No user " + formatUserId(id));
        slots.push_back(slot);
    }
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    std::vector<uint8_t> removing(d.slotCount(), 0);
    for (uint32_t s : slots) removing[s] = 1;
    // Their accounts become unassigned (never lost); their alias emails go with them.
    const auto& ids = d.identities();
    for (uint32_t ii = 0; ii < ids.size(); ++ii)
        if (ids[ii].alive && ids[ii].owner != kNone && ids[ii].owner < removing.size() && removing[ids[ii].owner])
            tx.setIdentOwner(ii, kNone);
    const auto& als = d.aliases();
    for (uint32_t ai = 0; ai < als.size(); ++ai)
        if (als[ai].alive && als[ai].owner < removing.size() && removing[als[ai].owner]) tx.setAliasAlive(ai, false);
    for (uint32_t s : slots) tx.setUserAlive(s, false);
    return {};
}

}  // namespace roster
