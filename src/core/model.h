#pragma once
// The directory: people, their accounts (identities) and alias emails, unassigned accounts,
// attribute definitions, integrations and org units. Built for a million identities:
// - columnar vectors indexed by a *slot*; every string lives in one StringPool;
// - slots are never reused or moved during a session: removal clears an `alive` flag, so
//   undo can bring a record back in place with its id;
// - every mutation goes through applyChange(), which keeps the indexes, the revision counter and
//   the storage dirty-bits right. Commands (commands.h) build reversible Change lists with a Tx.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hashindex.h"
#include "strpool.h"

namespace roster {

constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr size_t kMaxValueBytes = 64 * 1024;   // longest name / email / value accepted
constexpr uint32_t kUsersPerChunk = 16384;     // storage granularity (see store.h)
constexpr uint32_t kIdentsPerChunk = 32768;
constexpr uint32_t kAliasesPerChunk = 32768;

enum class AttrType : uint8_t { Text = 0, Boolean = 1, Date = 2, Number = 3, Email = 4 };
const char* attrTypeName(AttrType t);
bool parseAttrType(std::string_view s, AttrType& out);

enum class IntegKind : uint8_t { Scm = 0, Issues = 1, Incidents = 2, Ci = 3, Other = 4 };
const char* integKindName(IntegKind k);
bool parseIntegKind(std::string_view s, IntegKind& out);
IntegKind guessIntegKind(std::string_view name);

struct AttrDef { Str key, label, header; AttrType type = AttrType::Text; bool alive = false; };
struct Integration { Str name; IntegKind kind = IntegKind::Other; bool alive = false; };
struct Identity { uint32_t owner = kNone; uint16_t integ = 0; uint8_t alive = 0; uint8_t flags = 0; Str account; Str display; };
struct Alias { uint32_t owner = kNone; Str email; uint8_t alive = 0; };
// An org unit: a named filter, in a tree. `id` is stable and never reused (also across undo, redo
// and reloads); `parent` is the parent unit's index in orgUnits() (kNone: a top-level unit). Units
// refer to their parent by index, so a rename keeps its children attached.
struct OrgUnit { Str name; Str filter; bool alive = false; uint32_t id = 0; uint32_t parent = kNone; };

enum class ChangeOp : uint8_t {
    UserAlive, UserName, UserEmail, AttrValue,
    AttrDefAlive, AttrDefLabel, AttrDefType, AttrDefHeader,
    IntegAlive, IntegKindOp,
    IdentAlive, IdentOwner, IdentDisplay,
    AliasAlive, AliasOwner,
    OrgUnitAlive, OrgUnitName, OrgUnitFilter,
    IdentFlags,       // a = identity, oldV/newV = flags (kIdentExcluded...)
    RejectAlive,      // a = rejected-suggestion record
    BotPatternAlive,  // a = configurable bot pattern record
    UserRangeAlive,   // a = first slot, b = count: records made by newUserRecord (bulk import)
    IdentRangeAlive,  // a = first identity, b = count: records made by newIdentityRecord
    OrgUnitParent,    // a = org unit, oldV/newV = parent unit index (kNone: top level)
    ImportMappingAlive,  // a = remembered import column mapping record
    HintAlive,        // a = suggestion hint record (an import's word that two people, or a person and an account, belong together)
};

// Identity flags.
constexpr uint8_t kIdentExcluded = 1;   // marked by the admin as a bot / service account, excluded from suggestions
// One reversible primitive edit. `a` is the record (slot / index), `b` an attribute index where
// needed; strings use oldS/newS, flags and numbers oldV/newV.
struct Change {
    ChangeOp op;
    uint32_t a = 0, b = 0;
    Str oldS, newS;
    uint32_t oldV = 0, newV = 0;
};

class Directory;

// An attribute's values as small codes, one per slot: equal codes for values equal after trimming
// and ASCII lower-casing (the text equality of filters). Made by Directory::attrCodes(), and
// patched there after edits (only the slots whose values changed are coded again), so codes of
// values no slot holds any more can remain: a code matches exactly the slots that carry it.
struct AttrCodes {
    const Directory* owner = nullptr;
    uint64_t revision = 0;
    uint32_t attr = 0;
    std::vector<uint32_t> code;   // per slot
    std::vector<Str> rep;         // per code: the first value seen with it
    HashIndex index;              // hashFolded(value) -> code
    uint32_t find(std::string_view value) const;   // the code of a value, kNone when it never had one
    void codeSlots(const Directory& d, uint32_t first, uint32_t end);   // (re)codes slots [first, end)
};

class Directory {
public:
    Directory();
    void clear();

    // ---- reading
    StringPool& pool() { return pool_; }
    const StringPool& pool() const { return pool_; }
    std::string_view s(Str x) const { return pool_.get(x); }
    uint64_t revision() const { return revision_; }
    // The codes of an attribute's values at this revision, made on first use (one pass over the
    // values): an equality filter over a million people then compares codes instead of reading
    // every value's text. After edits, the next call codes again only the slots that changed (a
    // copy when someone still holds the old codes: holders keep a consistent snapshot); a change of
    // more than a quarter of the slots (an import) codes them all again.
    std::shared_ptr<const AttrCodes> attrCodes(uint32_t attr) const;
    // Makes the codes ahead, a slice at a time (idle frames after an import or a load, so that the
    // first query is not the one that pays for them): codes at most `maxSlots` more slots and
    // answers whether the attribute's codes are now current. Edits in between are patched in.
    bool prepareAttrCodes(uint32_t attr, uint32_t maxSlots) const;

    uint32_t slotCount() const { return uint32_t(userId_.size()); }
    uint32_t userCount() const { return liveUsers_; }
    bool userAlive(uint32_t slot) const { return slot < slotCount() && userAlive_[slot]; }
    uint32_t userId(uint32_t slot) const { return userId_[slot]; }
    std::string_view userName(uint32_t slot) const { return s(userName_[slot]); }
    std::string_view userEmail(uint32_t slot) const { return s(userEmail_[slot]); }
    Str userNameStr(uint32_t slot) const { return userName_[slot]; }
    Str userEmailStr(uint32_t slot) const { return userEmail_[slot]; }
    uint32_t slotOfId(uint32_t id) const;              // kNone when unknown (dead slots are found too)
    uint32_t nextUserId() const { return nextUserId_; }

    uint32_t findEmail(std::string_view email) const;   // live user slot owning this email (primary or alias), else kNone
    uint32_t findPrimaryEmail(std::string_view email) const;
    uint32_t findAliasIndex(std::string_view email) const;

    const std::vector<AttrDef>& attrDefs() const { return attrs_; }
    uint32_t findAttr(std::string_view key) const;      // live attribute index by key (case-insensitive)
    Str attrValueStr(uint32_t attr, uint32_t slot) const {
        const auto& col = attrVals_[attr];
        return slot < col.size() ? col[slot] : Str{};
    }
    std::string_view attrValue(uint32_t attr, uint32_t slot) const { return s(attrValueStr(attr, slot)); }

    const std::vector<Integration>& integrations() const { return integs_; }
    uint32_t findIntegration(std::string_view name) const;   // live, case-insensitive

    const std::vector<Identity>& identities() const { return idents_; }
    uint32_t liveIdentityCount() const { return liveIdents_; }
    uint32_t findIdentity(uint32_t integ, std::string_view account) const;   // live identity index
    // Live identities of a user, in creation order (cached; rebuilt after identity changes).
    const uint32_t* identitiesOf(uint32_t slot, uint32_t& count) const;

    const std::vector<Alias>& aliases() const { return aliases_; }
    std::vector<uint32_t> aliasesOf(uint32_t slot) const;

    const std::vector<OrgUnit>& orgUnits() const { return units_; }
    uint32_t findOrgUnit(std::string_view name) const;
    uint32_t findOrgUnitById(uint32_t id) const;   // the unit (live or not) with this id, kNone when none
    // A live unit's parent when that parent is live, else kNone (a top-level unit).
    uint32_t orgUnitParent(uint32_t u) const;
    uint32_t nextOrgUnitId() const { return nextOrgUnitId_; }
    void setNextOrgUnitId(uint32_t n) { if (n > nextOrgUnitId_) nextOrgUnitId_ = n; }

    // Rejected suggestions, remembered by stable keys (emails and accounts, never ids) so that they
    // survive reloads and re-imports; and the admin's extra bot patterns.
    struct KeyRecord { Str key; bool alive = false; };
    const std::vector<KeyRecord>& rejected() const { return rejected_; }
    bool isRejected(std::string_view key) const;
    uint32_t newRejected(std::string_view key);
    const std::vector<KeyRecord>& botPatterns() const { return botPatterns_; }
    uint32_t newBotPattern(std::string_view pattern);
    // Column mappings of imports, remembered by the file's header: each record's key is
    // "<signature>\x1d<mapping>" (see sei.h, importMappingRecord). The latest alive one of a
    // signature is used.
    const std::vector<KeyRecord>& importMappings() const { return importMappings_; }
    uint32_t newImportMapping(std::string_view record);
    // Suggestion hints brought by imports (suggest.h mergeHint / assignHint): offered as suggestions
    // while both sides exist apart.
    const std::vector<KeyRecord>& hints() const { return hints_; }
    uint32_t newHint(std::string_view record);
    bool hasHint(std::string_view record) const;

    // ---- record creation: appends a *dead* record; a Change with the Alive op makes it live.
    uint32_t newUserSlot(uint32_t id = 0);   // id 0 = allocate the next id
    uint32_t newAttrDef(std::string_view key, std::string_view label, std::string_view header, AttrType t);
    uint32_t newIntegration(std::string_view name, IntegKind k);
    uint32_t newIdentity(uint32_t integ, std::string_view account, std::string_view display);
    uint32_t newAlias(std::string_view email, uint32_t ownerSlot);
    // id 0 = allocate the next org unit id (ids are never given back, also when the record stays dead).
    uint32_t newOrgUnit(std::string_view name, std::string_view filter, uint32_t id = 0);

    // ---- bulk creation (imports): records are filled while still dead, then ONE range Change
    // (UserRangeAlive / IdentRangeAlive over the new, contiguous records) brings them to life. Undo
    // of that change kills them again; their data stays in place for redo. Only valid on records
    // created since the last range change, which nobody else has seen.
    // Their strings are already in this directory's pool (pool().add, or an adopted import text).
    uint32_t newUserRecord(Str name, Str email);
    void setNewRecordAttr(uint32_t attr, uint32_t slot, Str v);   // slot must be dead
    uint32_t newIdentityRecord(uint32_t integ, Str account, Str display, uint32_t ownerSlot);
    void reserveAttrColumn(uint32_t attr, size_t slots);
    // Sizes the column for `slots` slots at once (blank values), so that filling new records never
    // grows it a slot at a time.
    void sizeAttrColumn(uint32_t attr, size_t slots);

    // ---- the one mutation path
    void applyChange(const Change& c, bool forward);

    // ---- storage support
    std::vector<uint8_t>& dirtyUserChunks() { return dirtyUsers_; }
    std::vector<uint8_t>& dirtyIdentChunks() { return dirtyIdents_; }
    const std::vector<uint8_t>& dirtyUserChunks() const { return dirtyUsers_; }
    const std::vector<uint8_t>& dirtyIdentChunks() const { return dirtyIdents_; }
    // The revision at which each chunk was last dirtied (an encoding made at a later or equal
    // revision is still the chunk's: Store::preEncode).
    uint64_t userChunkStamp(uint32_t k) const { return k < userStamp_.size() ? userStamp_[k] : 0; }
    uint64_t identChunkStamp(uint32_t k) const { return k < identStamp_.size() ? identStamp_[k] : 0; }
    bool& dirtyAliases() { return dirtyAliases_; }
    bool dirtyAliases() const { return dirtyAliases_; }
    bool& dirtyMeta() { return dirtyMeta_; }
    void markAllDirty();
    void clearDirty();
    bool anyDirty() const;
    void setNextUserId(uint32_t n) { if (n > nextUserId_) nextUserId_ = n; }
    // Bulk loaders used by storage (no change records, no dirtying).
    void loadUser(uint32_t id, bool alive, std::string_view name, std::string_view email);
    void loadAttrValue(uint32_t attr, uint32_t slot, std::string_view v);
    void loadAttrStr(uint32_t attr, uint32_t slot, Str v);   // a string already in the pool (a chunk's dictionary)
    void loadIdentity(uint32_t ownerSlot, uint16_t integ, bool alive, uint8_t flags, std::string_view account, std::string_view display);
    void loadAlias(uint32_t ownerSlot, bool alive, std::string_view email);
    void loadAttrDef(std::string_view key, std::string_view label, std::string_view header, AttrType t, bool alive);
    void loadIntegration(std::string_view name, IntegKind k, bool alive);
    // id 0 (a directory stored before units had ids) = the next id; answers the unit's index.
    uint32_t loadOrgUnit(std::string_view name, std::string_view filter, bool alive, uint32_t id = 0);
    void loadOrgUnitParent(uint32_t u, uint32_t parent) { units_[u].parent = parent; }
    void loadRejected(std::string_view key);
    void loadBotPattern(std::string_view pattern);
    void loadImportMapping(std::string_view record);
    void loadHint(std::string_view record);
    void reserveUsers(size_t n);
    void reserveIdentities(size_t n);
    // Sizes the email and account indexes once for this many live entries (an import that adds
    // them in range changes would otherwise grow the tables by doubling, a fresh table each time).
    void reserveIndexes(size_t users, size_t idents);
    // The load* functions leave the lookup indexes to finishLoad(), which builds them in bulk
    // (HashIndex::insertMany). A lookup before it builds them first.
    void finishLoad() { if (indexPending_) buildIndexes(); }

    size_t memoryBytes() const;

    // ---- reclaiming (issue 18). Records and strings are append-only while anything can still reach
    // them: undo brings a record back in place. What the steps of a dropped redo made (and what a
    // rolled-back edit made) is reachable no more: reclaim() gives it back, from a mark taken before
    // it was made. Ids are never given out again (nextUserId keeps counting).
    struct Marks {
        uint32_t users = 0, idents = 0, aliases = 0, attrs = 0;
        StringPool::Mark pool;
    };
    Marks marks() const { return Marks{slotCount(), uint32_t(idents_.size()), uint32_t(aliases_.size()), uint32_t(attrs_.size()), pool_.mark()}; }
    struct Reclaimed { uint32_t users = 0, idents = 0, aliases = 0; size_t poolBytes = 0; bool refused = false; };
    // Drops the records made after `m` (users, accounts, aliases; the values of attributes defined
    // after it, which stay as dead definitions), and with `strings` the pool's text
    // added after it. Each kind is checked first: a record past the mark that is alive, or one before
    // it that names a user past it, or (with `strings`) a string before the mark's records that lies
    // past it, leaves that kind as it is (`refused`). Storage chunks past the mark are rewritten.
    Reclaimed reclaim(const Marks& m, bool strings);
    // Whether the directory holds what it held at revision `rev`: the same revision, or `rev` was the
    // revision just before the last reclaim and nothing changed since (a reclaim moves the revision,
    // for what keeps slot-sized data, but takes away only what nothing reached: an import previewed
    // before it still applies).
    bool sameContent(uint64_t rev) const { return rev == revision_ || (rev == reclaimFrom_ && revision_ == reclaimTo_); }

private:
    void buildIndexes();
    void ensureIndexed() const { if (indexPending_) const_cast<Directory*>(this)->buildIndexes(); }
    void indexEmail(uint32_t slot, bool add);
    void indexAlias(uint32_t ai, bool add);
    void indexIdentity(uint32_t ii, bool add);
    void dirtyUser(uint32_t slot);
    void dirtyIdent(uint32_t ii);
    uint64_t identKey(uint32_t integ, std::string_view account) const;
    uint64_t identHash(uint32_t ii) const;   // identity ii's key in identIdx_

    StringPool pool_;
    uint64_t revision_ = 1;
    uint64_t reclaimFrom_ = 0, reclaimTo_ = 0;
    mutable std::vector<std::shared_ptr<const AttrCodes>> attrCodes_;   // see attrCodes()
    // Per attribute with codes: the slot ranges whose values changed since they were made.
    struct CodesPending {
        std::vector<std::pair<uint32_t, uint32_t>> ranges;   // (first slot, count)
        uint64_t slots = 0;
        bool rebuild = false;   // too many to patch
    };
    mutable std::vector<CodesPending> codesPending_;
    void codesChanged(uint32_t attr, uint32_t first, uint32_t count);
    const std::shared_ptr<const AttrCodes>& codesUpTo(uint32_t attr, uint32_t maxSlots) const;
    uint32_t nextUserId_ = 1;
    uint32_t nextOrgUnitId_ = 1;
    uint32_t liveUsers_ = 0, liveIdents_ = 0;

    std::vector<uint32_t> userId_;
    std::vector<Str> userName_, userEmail_;
    std::vector<uint8_t> userAlive_;
    bool idsSorted_ = true;
    mutable std::vector<uint32_t> idOrder_;   // slots by id when ids are out of order (slotOfId)
    mutable uint32_t idOrderN_ = 0;
    void idOrderDirty();

    std::vector<AttrDef> attrs_;
    std::vector<std::vector<Str>> attrVals_;
    std::vector<Integration> integs_;
    std::vector<Identity> idents_;
    std::vector<Alias> aliases_;
    std::vector<OrgUnit> units_;
    std::vector<KeyRecord> rejected_, botPatterns_, importMappings_, hints_;

    HashIndex emailIdx_;   // folded primary email -> user slot (live users with an email)
    HashIndex aliasIdx_;   // folded alias -> alias index (live aliases)
    HashIndex identIdx_;   // (integration, account) -> identity index (live identities)
    bool indexPending_ = false;   // records were loaded since the indexes were last complete

    mutable uint64_t ownerCacheRev_ = 0;
    mutable std::vector<uint32_t> ownerStart_, ownerList_;
    uint64_t identRev_ = 1;

    std::vector<uint8_t> dirtyUsers_, dirtyIdents_;
    std::vector<uint64_t> userStamp_, identStamp_;
    bool dirtyAliases_ = false, dirtyMeta_ = false;
};

}  // namespace roster
