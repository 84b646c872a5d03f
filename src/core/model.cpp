#include "model.h"

#include <algorithm>

#include "text.h"

namespace roster {

const char* attrTypeName(AttrType t) {
    switch (t) {
        case AttrType::Text: return "text";
        case AttrType::Boolean: return "boolean";
        case AttrType::Date: return "date";
        case AttrType::Number: return "number";
        case AttrType::Email: return "email";
    }
    return "text";
}

bool parseAttrType(std::string_view s, AttrType& out) {
    static const std::pair<const char*, AttrType> names[] = {{"text", AttrType::Text}, {"boolean", AttrType::Boolean},
                                                             {"date", AttrType::Date}, {"number", AttrType::Number},
                                                             {"email", AttrType::Email}};
    for (auto& [n, t] : names)
        if (s == n) { out = t; return true; }
    return false;
}

const char* integKindName(IntegKind k) {
    switch (k) {
        case IntegKind::Scm: return "scm";
        case IntegKind::Issues: return "issues";
        case IntegKind::Incidents: return "incidents";
        case IntegKind::Ci: return "ci";
        case IntegKind::Other: return "other";
    }
    return "other";
}

bool parseIntegKind(std::string_view s, IntegKind& out) {
    static const std::pair<const char*, IntegKind> names[] = {{"scm", IntegKind::Scm}, {"issues", IntegKind::Issues},
                                                              {"incidents", IntegKind::Incidents}, {"ci", IntegKind::Ci},
                                                              {"other", IntegKind::Other}};
    for (auto& [n, k] : names)
        if (s == n) { out = k; return true; }
    return false;
}

IntegKind guessIntegKind(std::string_view name) {
    std::string n = toLowerAscii(trim(name));
    auto has = [&](const char* w) { return n.find(w) != std::string::npos; };
    if (has("github") || has("gitlab") || has("bitbucket") || has("azure repos") || has("gerrit") || has("perforce") ||
        has("helix") || has("scm") || n == "git")
        return IntegKind::Scm;
    if (has("jira") || has("azure boards") || has("linear") || has("asana") || has("trello") || has("youtrack") ||
        has("clubhouse") || has("shortcut") || has("issues") || has("servicenow") || has("zendesk") || has("salesforce"))
        return IntegKind::Issues;
    if (has("pagerduty") || has("opsgenie") || has("victorops") || has("incident") || has("splunk on-call") ||
        has("firehydrant"))
        return IntegKind::Incidents;
    if (has("harness") || has("jenkins") || has("circleci") || has("travis") || has("bamboo") || has("teamcity") ||
        has("buildkite") || has("drone") || has("github actions") || has("azure pipelines") || has("ci"))
        return IntegKind::Ci;
    return IntegKind::Other;
}

Directory::Directory() = default;

void Directory::clear() {
    // The revision keeps counting up across a clear (a reload from storage, a failed load): what
    // was kept for an earlier revision (a lint in progress, the table's rows, value codes) belongs
    // to another directory now, and must never look current.
    const uint64_t next = revision_ + 1;
    *this = Directory();
    revision_ = next;
}

uint32_t AttrCodes::find(std::string_view value) const {
    value = trim(value);
    const uint32_t c = index.find(hashFolded(value), [&](uint32_t code) { return equalsFolded(trim(owner->s(rep[code])), value); });
    return c == HashIndex::kEmpty ? kNone : c;
}

void AttrCodes::codeSlots(const Directory& d, uint32_t first, uint32_t end) {
    Str last{};
    uint32_t lastCode = kNone;
    for (uint32_t slot = first; slot < end; ++slot) {
        const Str v = d.attrValueStr(attr, slot);
        if (lastCode != kNone && v == last) {   // the same pooled string
            code[slot] = lastCode;
            continue;
        }
        const std::string_view t = trim(d.s(v));
        const uint64_t h = hashFolded(t);
        uint32_t c = index.find(h, [&](uint32_t k) { return equalsFolded(trim(d.s(rep[k])), t); });
        if (c == HashIndex::kEmpty) {
            c = uint32_t(rep.size());
            rep.push_back(v);
            index.insert(h, c);
        }
        code[slot] = lastCode = c;
        last = v;
    }
}

void Directory::codesChanged(uint32_t attr, uint32_t first, uint32_t count) {
    if (attr >= attrCodes_.size() || !attrCodes_[attr]) return;
    if (codesPending_.size() <= attr) codesPending_.resize(attr + 1);
    CodesPending& p = codesPending_[attr];
    if (p.rebuild) return;
    p.slots += count;
    if (p.slots > std::max<uint64_t>(4096, slotCount() / 4)) {
        p.rebuild = true;
        p.ranges = {};
        return;
    }
    if (!p.ranges.empty() && p.ranges.back().first + p.ranges.back().second == first) p.ranges.back().second += count;
    else p.ranges.emplace_back(first, count);
}

std::shared_ptr<const AttrCodes> Directory::attrCodes(uint32_t attr) const {
    if (attr >= attrVals_.size()) return nullptr;
    return codesUpTo(attr, UINT32_MAX);
}

bool Directory::prepareAttrCodes(uint32_t attr, uint32_t maxSlots) const {
    if (attr >= attrVals_.size()) return true;
    const auto& c = codesUpTo(attr, maxSlots);
    return c->revision == revision_ && c->code.size() == slotCount();
}

// Codes made up to `maxSlots` slots further than before: a partial AttrCodes is what codes made
// when the directory had fewer slots would be, and is completed (and patched) the same way.
const std::shared_ptr<const AttrCodes>& Directory::codesUpTo(uint32_t attr, uint32_t maxSlots) const {
    if (attrCodes_.size() <= attr) attrCodes_.resize(attr + 1);
    if (codesPending_.size() <= attr) codesPending_.resize(attr + 1);
    const auto& have = attrCodes_[attr];
    const uint32_t n = slotCount();
    const bool ours = have && have->owner == this;
    if (ours && have->revision == revision_ && have->code.size() == n) return have;
    CodesPending& pending = codesPending_[attr];
    if (ours && !pending.rebuild && pending.ranges.empty() && have->code.size() == n) {
        // Edits elsewhere (another attribute, a name): the codes hold as they are, for every holder.
        const_cast<AttrCodes&>(*have).revision = revision_;
        return have;
    }
    std::shared_ptr<AttrCodes> c;
    uint32_t from = 0;   // slots from here on are coded in full
    if (ours && !pending.rebuild && have->code.size() <= n) {
        // Patch: the cache is the only holder (change it in place) or a holder keeps the old ones.
        c = have.use_count() == 1 ? std::const_pointer_cast<AttrCodes>(have) : std::make_shared<AttrCodes>(*have);
        from = uint32_t(c->code.size());
        for (const auto& [first, count] : pending.ranges)
            if (first < from) c->codeSlots(*this, first, std::min<uint32_t>(from, first + count));
    } else {
        c = std::make_shared<AttrCodes>();
        c->owner = this;
        c->attr = attr;
    }
    const uint32_t end = n - from > maxSlots ? from + maxSlots : n;
    c->revision = revision_;
    c->code.resize(end);
    c->codeSlots(*this, from, end);
    pending = CodesPending{};
    attrCodes_[attr] = std::move(c);
    return attrCodes_[attr];
}

uint32_t Directory::slotOfId(uint32_t id) const {
    if (idsSorted_) {
        auto it = std::lower_bound(userId_.begin(), userId_.end(), id);
        if (it != userId_.end() && *it == id) return uint32_t(it - userId_.begin());
        return kNone;
    }
    // Ids out of order (a version restored people whose ids are older than others'): slots sorted by
    // id up to idOrderN_, the slots made since scanned, sorted again once they are many.
    const uint32_t n = slotCount();
    if (idOrderN_ > n || n - idOrderN_ > 4096) {
        idOrder_.resize(n);
        for (uint32_t i = 0; i < n; ++i) idOrder_[i] = i;
        std::sort(idOrder_.begin(), idOrder_.end(), [&](uint32_t a, uint32_t b) { return userId_[a] < userId_[b]; });
        idOrderN_ = n;
    }
    auto it = std::lower_bound(idOrder_.begin(), idOrder_.end(), id, [&](uint32_t slot, uint32_t want) { return userId_[slot] < want; });
    if (it != idOrder_.end() && userId_[*it] == id) return *it;
    for (uint32_t i = idOrderN_; i < n; ++i)
        if (userId_[i] == id) return i;
    return kNone;
}

void Directory::idOrderDirty() {
    idOrder_.clear();
    idOrderN_ = 0;
    if (!idsSorted_) idsSorted_ = std::is_sorted(userId_.begin(), userId_.end());   // (a prefix of sorted ids is sorted)
}

uint32_t Directory::findPrimaryEmail(std::string_view email) const {
    ensureIndexed();
    if (emailIdx_.size() == 0) return kNone;
    email = trim(email);
    if (email.empty()) return kNone;
    uint32_t r = emailIdx_.find(hashFolded(email), [&](uint32_t slot) { return equalsFolded(trim(userEmail(slot)), email); });
    return r == HashIndex::kEmpty ? kNone : r;
}

uint32_t Directory::findAliasIndex(std::string_view email) const {
    ensureIndexed();
    if (aliasIdx_.size() == 0) return kNone;
    email = trim(email);
    if (email.empty()) return kNone;
    uint32_t r = aliasIdx_.find(hashFolded(email), [&](uint32_t ai) { return equalsFolded(trim(s(aliases_[ai].email)), email); });
    return r == HashIndex::kEmpty ? kNone : r;
}

uint32_t Directory::findEmail(std::string_view email) const {
    uint32_t slot = findPrimaryEmail(email);
    if (slot != kNone) return slot;
    uint32_t ai = findAliasIndex(email);
    return ai == kNone ? kNone : aliases_[ai].owner;
}

uint32_t Directory::findAttr(std::string_view key) const {
    key = trim(key);
    for (uint32_t i = 0; i < attrs_.size(); ++i)
        if (attrs_[i].alive && equalsFolded(s(attrs_[i].key), key)) return i;
    // A key written as a header (`Sub Role` for sub_role): keys never hold spaces, '-' or '.'.
    if (key.find_first_of(" -.\t") == std::string_view::npos) return kNone;
    const std::string k = attrKeyOf(key);
    for (uint32_t i = 0; i < attrs_.size(); ++i)
        if (attrs_[i].alive && equalsFolded(s(attrs_[i].key), k)) return i;
    return kNone;
}

uint32_t Directory::findIntegration(std::string_view name) const {
    name = trim(name);
    for (uint32_t i = 0; i < integs_.size(); ++i)
        if (integs_[i].alive && equalsFolded(s(integs_[i].name), name)) return i;
    return kNone;
}

uint64_t Directory::identKey(uint32_t integ, std::string_view account) const {
    return hashFolded(account) ^ (uint64_t(integ + 1) * 0x9E3779B97F4A7C15ull);
}

uint64_t Directory::identHash(uint32_t ii) const { return identKey(idents_[ii].integ, trim(s(idents_[ii].account))); }

uint32_t Directory::findIdentity(uint32_t integ, std::string_view account) const {
    ensureIndexed();
    if (identIdx_.size() == 0) return kNone;
    account = trim(account);
    uint32_t r = identIdx_.find(identKey(integ, account), [&](uint32_t ii) {
        return idents_[ii].integ == integ && equalsFolded(trim(s(idents_[ii].account)), account);
    });
    return r == HashIndex::kEmpty ? kNone : r;
}

const uint32_t* Directory::identitiesOf(uint32_t slot, uint32_t& count) const {
    if (ownerCacheRev_ != identRev_ || ownerStart_.size() != size_t(slotCount()) + 1) {
        ownerStart_.assign(size_t(slotCount()) + 1, 0);
        for (const Identity& id : idents_)
            if (id.alive && id.owner != kNone && id.owner < slotCount()) ++ownerStart_[id.owner + 1];
        for (size_t i = 1; i < ownerStart_.size(); ++i) ownerStart_[i] += ownerStart_[i - 1];
        ownerList_.assign(ownerStart_.back(), 0);
        std::vector<uint32_t> fill(ownerStart_.begin(), ownerStart_.end() - 1);
        for (uint32_t i = 0; i < idents_.size(); ++i) {
            const Identity& id = idents_[i];
            if (id.alive && id.owner != kNone && id.owner < slotCount()) ownerList_[fill[id.owner]++] = i;
        }
        ownerCacheRev_ = identRev_;
    }
    if (slot >= slotCount()) { count = 0; return nullptr; }
    count = ownerStart_[slot + 1] - ownerStart_[slot];
    return ownerList_.data() + ownerStart_[slot];
}

std::vector<uint32_t> Directory::aliasesOf(uint32_t slot) const {
    std::vector<uint32_t> r;
    for (uint32_t i = 0; i < aliases_.size(); ++i)
        if (aliases_[i].alive && aliases_[i].owner == slot) r.push_back(i);
    return r;
}

uint32_t Directory::findOrgUnit(std::string_view name) const {
    name = trim(name);
    for (uint32_t i = 0; i < units_.size(); ++i)
        if (units_[i].alive && equalsFolded(trim(s(units_[i].name)), name)) return i;
    return kNone;
}

uint32_t Directory::findOrgUnitById(uint32_t id) const {
    if (id == 0) return kNone;
    for (uint32_t i = 0; i < units_.size(); ++i)
        if (units_[i].id == id) return i;
    return kNone;
}

uint32_t Directory::orgUnitParent(uint32_t u) const {
    if (u >= units_.size()) return kNone;
    const uint32_t p = units_[u].parent;
    return p < units_.size() && p != u && units_[p].alive ? p : kNone;
}

bool Directory::isRejected(std::string_view key) const {
    for (const KeyRecord& r : rejected_)
        if (r.alive && s(r.key) == key) return true;
    return false;
}

uint32_t Directory::newRejected(std::string_view key) {
    rejected_.push_back(KeyRecord{pool_.add(key), false});
    dirtyMeta_ = true;
    return uint32_t(rejected_.size() - 1);
}

uint32_t Directory::newBotPattern(std::string_view pattern) {
    botPatterns_.push_back(KeyRecord{pool_.add(pattern), false});
    dirtyMeta_ = true;
    return uint32_t(botPatterns_.size() - 1);
}

void Directory::loadRejected(std::string_view key) { rejected_.push_back(KeyRecord{pool_.add(key), true}); }
void Directory::loadBotPattern(std::string_view pattern) { botPatterns_.push_back(KeyRecord{pool_.add(pattern), true}); }

uint32_t Directory::newImportMapping(std::string_view record) {
    importMappings_.push_back(KeyRecord{pool_.add(record), false});
    dirtyMeta_ = true;
    return uint32_t(importMappings_.size() - 1);
}
void Directory::loadImportMapping(std::string_view record) { importMappings_.push_back(KeyRecord{pool_.add(record), true}); }

uint32_t Directory::newHint(std::string_view record) {
    hints_.push_back(KeyRecord{pool_.add(record), false});
    dirtyMeta_ = true;
    return uint32_t(hints_.size() - 1);
}
void Directory::loadHint(std::string_view record) { hints_.push_back(KeyRecord{pool_.add(record), true}); }
bool Directory::hasHint(std::string_view record) const {
    for (const auto& h : hints_)
        if (h.alive && s(h.key) == record) return true;
    return false;
}

uint32_t Directory::newUserSlot(uint32_t id) {
    if (id == 0) id = nextUserId_;
    if (id >= nextUserId_) nextUserId_ = id + 1;
    if (!userId_.empty() && id <= userId_.back()) idsSorted_ = false;
    userId_.push_back(id);
    userName_.push_back({});
    userEmail_.push_back({});
    userAlive_.push_back(0);
    dirtyUser(uint32_t(userId_.size() - 1));
    return uint32_t(userId_.size() - 1);
}

uint32_t Directory::newAttrDef(std::string_view key, std::string_view label, std::string_view header, AttrType t) {
    attrs_.push_back(AttrDef{pool_.add(key), pool_.add(label), pool_.add(header), t, false});
    attrVals_.emplace_back();
    dirtyMeta_ = true;
    return uint32_t(attrs_.size() - 1);
}

uint32_t Directory::newIntegration(std::string_view name, IntegKind k) {
    integs_.push_back(Integration{pool_.add(trim(name)), k, false});
    dirtyMeta_ = true;
    return uint32_t(integs_.size() - 1);
}

uint32_t Directory::newIdentity(uint32_t integ, std::string_view account, std::string_view display) {
    idents_.push_back(Identity{kNone, uint16_t(integ), 0, 0, pool_.add(trim(account)), pool_.add(display)});
    dirtyIdent(uint32_t(idents_.size() - 1));
    return uint32_t(idents_.size() - 1);
}

uint32_t Directory::newAlias(std::string_view email, uint32_t ownerSlot) {
    aliases_.push_back(Alias{ownerSlot, pool_.add(trim(email)), 0});
    dirtyAliases_ = true;
    return uint32_t(aliases_.size() - 1);
}

uint32_t Directory::newOrgUnit(std::string_view name, std::string_view filter, uint32_t id) {
    if (id == 0) id = nextOrgUnitId_;
    if (id >= nextOrgUnitId_) nextOrgUnitId_ = id + 1;
    units_.push_back(OrgUnit{pool_.add(name), pool_.add(filter), false, id, kNone});
    dirtyMeta_ = true;
    return uint32_t(units_.size() - 1);
}

void Directory::buildIndexes() {
    indexPending_ = false;
    emailIdx_.clear();
    aliasIdx_.clear();
    identIdx_.clear();
    std::vector<HashIndex::Item> items;
    items.reserve(std::max(userId_.size(), idents_.size()));
    for (uint32_t slot = 0; slot < userId_.size(); ++slot) {
        if (!userAlive_[slot]) continue;
        std::string_view e = trim(userEmail(slot));
        if (!e.empty()) items.push_back(HashIndex::item(hashFolded(e), slot));
    }
    emailIdx_.insertMany(items);
    items.clear();
    for (uint32_t ai = 0; ai < aliases_.size(); ++ai) {
        if (!aliases_[ai].alive) continue;
        std::string_view e = trim(s(aliases_[ai].email));
        if (!e.empty()) items.push_back(HashIndex::item(hashFolded(e), ai));
    }
    aliasIdx_.insertMany(items);
    items.clear();
    for (uint32_t ii = 0; ii < idents_.size(); ++ii)
        if (idents_[ii].alive) items.push_back(HashIndex::item(identHash(ii), ii));
    identIdx_.insertMany(items);
}

void Directory::indexEmail(uint32_t slot, bool add) {
    std::string_view e = trim(userEmail(slot));
    if (e.empty()) return;
    if (add) emailIdx_.insert(hashFolded(e), slot);
    else emailIdx_.erase(hashFolded(e), slot);
}

void Directory::indexAlias(uint32_t ai, bool add) {
    std::string_view e = trim(s(aliases_[ai].email));
    if (e.empty()) return;
    if (add) aliasIdx_.insert(hashFolded(e), ai);
    else aliasIdx_.erase(hashFolded(e), ai);
}

void Directory::indexIdentity(uint32_t ii, bool add) {
    const uint64_t k = identHash(ii);
    if (add) identIdx_.insert(k, ii);
    else identIdx_.erase(k, ii);
}

void Directory::dirtyUser(uint32_t slot) {
    size_t c = slot / kUsersPerChunk;
    if (dirtyUsers_.size() <= c) dirtyUsers_.resize(c + 1, 0);
    if (userStamp_.size() <= c) userStamp_.resize(c + 1, 0);
    dirtyUsers_[c] = 1;
    userStamp_[c] = revision_;
}

void Directory::dirtyIdent(uint32_t ii) {
    size_t c = ii / kIdentsPerChunk;
    if (dirtyIdents_.size() <= c) dirtyIdents_.resize(c + 1, 0);
    if (identStamp_.size() <= c) identStamp_.resize(c + 1, 0);
    dirtyIdents_[c] = 1;
    identStamp_[c] = revision_;
}

void Directory::markAllDirty() {
    dirtyUsers_.assign((slotCount() + kUsersPerChunk - 1) / kUsersPerChunk, 1);
    dirtyIdents_.assign((idents_.size() + kIdentsPerChunk - 1) / kIdentsPerChunk, 1);
    userStamp_.assign(dirtyUsers_.size(), revision_);
    identStamp_.assign(dirtyIdents_.size(), revision_);
    dirtyAliases_ = dirtyMeta_ = true;
}

void Directory::clearDirty() {
    std::fill(dirtyUsers_.begin(), dirtyUsers_.end(), 0);
    std::fill(dirtyIdents_.begin(), dirtyIdents_.end(), 0);
    dirtyAliases_ = dirtyMeta_ = false;
}

bool Directory::anyDirty() const {
    if (dirtyAliases_ || dirtyMeta_) return true;
    for (uint8_t d : dirtyUsers_) if (d) return true;
    for (uint8_t d : dirtyIdents_) if (d) return true;
    return false;
}

void Directory::applyChange(const Change& c, bool fwd) {
    const Str sv = fwd ? c.newS : c.oldS;
    const uint32_t v = fwd ? c.newV : c.oldV;
    ensureIndexed();
    ++revision_;
    switch (c.op) {
        case ChangeOp::UserAlive: {
            bool was = userAlive_[c.a];
            if (was == bool(v)) break;
            if (was) indexEmail(c.a, false);
            userAlive_[c.a] = uint8_t(v);
            if (v) { indexEmail(c.a, true); ++liveUsers_; } else --liveUsers_;
            dirtyUser(c.a);
            break;
        }
        case ChangeOp::UserName:
            userName_[c.a] = sv;
            dirtyUser(c.a);
            break;
        case ChangeOp::UserEmail:
            if (userAlive_[c.a]) indexEmail(c.a, false);
            userEmail_[c.a] = sv;
            if (userAlive_[c.a]) indexEmail(c.a, true);
            dirtyUser(c.a);
            break;
        case ChangeOp::AttrValue: {
            auto& col = attrVals_[c.b];
            if (col.size() <= c.a) col.resize(slotCount());
            col[c.a] = sv;
            codesChanged(c.b, c.a, 1);
            dirtyUser(c.a);
            break;
        }
        case ChangeOp::AttrDefAlive: attrs_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::AttrDefLabel: attrs_[c.a].label = sv; dirtyMeta_ = true; break;
        case ChangeOp::AttrDefType: attrs_[c.a].type = AttrType(v); dirtyMeta_ = true; break;
        case ChangeOp::AttrDefHeader: attrs_[c.a].header = sv; dirtyMeta_ = true; break;
        case ChangeOp::IntegAlive: integs_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::IntegKindOp: integs_[c.a].kind = IntegKind(v); dirtyMeta_ = true; break;
        case ChangeOp::IdentAlive: {
            Identity& id = idents_[c.a];
            if (bool(id.alive) == bool(v)) break;
            if (id.alive) { indexIdentity(c.a, false); --liveIdents_; }
            id.alive = uint8_t(v);
            if (id.alive) { indexIdentity(c.a, true); ++liveIdents_; }
            ++identRev_;
            dirtyIdent(c.a);
            break;
        }
        case ChangeOp::IdentOwner:
            idents_[c.a].owner = v;
            ++identRev_;
            dirtyIdent(c.a);
            break;
        case ChangeOp::IdentDisplay:
            idents_[c.a].display = sv;
            dirtyIdent(c.a);
            break;
        case ChangeOp::AliasAlive: {
            Alias& al = aliases_[c.a];
            if (bool(al.alive) == bool(v)) break;
            if (al.alive) indexAlias(c.a, false);
            al.alive = uint8_t(v);
            if (al.alive) indexAlias(c.a, true);
            dirtyAliases_ = true;
            break;
        }
        case ChangeOp::AliasOwner:
            aliases_[c.a].owner = v;
            dirtyAliases_ = true;
            break;
        case ChangeOp::IdentFlags:
            idents_[c.a].flags = uint8_t(v);
            dirtyIdent(c.a);
            break;
        case ChangeOp::UserRangeAlive: {
            std::vector<HashIndex::Item> items;   // indexed in bulk: one sweep over the table
            if (v) items.reserve(c.b);
            for (uint32_t slot = c.a, e = c.a + c.b; slot < e; ++slot) {
                if (bool(userAlive_[slot]) == bool(v)) continue;
                if (!v) indexEmail(slot, false);
                userAlive_[slot] = uint8_t(v);
                if (v) {
                    std::string_view em = trim(userEmail(slot));
                    if (!em.empty()) items.push_back(HashIndex::item(hashFolded(em), slot));
                    ++liveUsers_;
                } else {
                    --liveUsers_;
                }
            }
            emailIdx_.insertMany(items);
            // Their values were filled while they were dead, without change records.
            for (uint32_t attr = 0; attr < attrCodes_.size(); ++attr) codesChanged(attr, c.a, c.b);
            if (c.b) {
                for (size_t k = c.a / kUsersPerChunk, e = (size_t(c.a) + c.b - 1) / kUsersPerChunk; k <= e; ++k) dirtyUser(uint32_t(k * kUsersPerChunk));
            }
            break;
        }
        case ChangeOp::IdentRangeAlive: {
            std::vector<HashIndex::Item> items;
            if (v) items.reserve(c.b);
            for (uint32_t ii = c.a, e = c.a + c.b; ii < e; ++ii) {
                Identity& id = idents_[ii];
                if (bool(id.alive) == bool(v)) continue;
                if (id.alive) { indexIdentity(ii, false); --liveIdents_; }
                id.alive = uint8_t(v);
                if (id.alive) {
                    items.push_back(HashIndex::item(identHash(ii), ii));
                    ++liveIdents_;
                }
            }
            identIdx_.insertMany(items);
            ++identRev_;
            if (c.b) {
                for (size_t k = c.a / kIdentsPerChunk, e = (size_t(c.a) + c.b - 1) / kIdentsPerChunk; k <= e; ++k) dirtyIdent(uint32_t(k * kIdentsPerChunk));
            }
            break;
        }
        case ChangeOp::RejectAlive: rejected_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::BotPatternAlive: botPatterns_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::ImportMappingAlive: importMappings_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::HintAlive: hints_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::OrgUnitAlive: units_[c.a].alive = v; dirtyMeta_ = true; break;
        case ChangeOp::OrgUnitName: units_[c.a].name = sv; dirtyMeta_ = true; break;
        case ChangeOp::OrgUnitFilter: units_[c.a].filter = sv; dirtyMeta_ = true; break;
        case ChangeOp::OrgUnitParent: units_[c.a].parent = v; dirtyMeta_ = true; break;
    }
}

uint32_t Directory::newUserRecord(Str name, Str email) {
    const uint32_t slot = newUserSlot(0);
    userName_[slot] = name;
    userEmail_[slot] = email;
    return slot;
}

void Directory::setNewRecordAttr(uint32_t attr, uint32_t slot, Str v) {
    auto& col = attrVals_[attr];
    if (col.size() <= slot) col.resize(std::max<size_t>(slot + 1, slotCount()));
    col[slot] = v;
}

uint32_t Directory::newIdentityRecord(uint32_t integ, Str account, Str display, uint32_t ownerSlot) {
    idents_.push_back(Identity{ownerSlot, uint16_t(integ), 0, 0, account, display});
    dirtyIdent(uint32_t(idents_.size() - 1));
    return uint32_t(idents_.size() - 1);
}

void Directory::sizeAttrColumn(uint32_t attr, size_t slots) {
    auto& col = attrVals_[attr];
    if (col.size() < slots) col.resize(slots);
}

void Directory::reserveAttrColumn(uint32_t attr, size_t slots) {
    auto& col = attrVals_[attr];
    if (col.capacity() < slots) col.reserve(slots);
}

void Directory::loadUser(uint32_t id, bool alive, std::string_view name, std::string_view email) {
    uint32_t slot = newUserSlot(id);
    userName_[slot] = pool_.add(name);
    userEmail_[slot] = pool_.add(email);
    if (alive) {
        userAlive_[slot] = 1;
        ++liveUsers_;
        indexPending_ = true;
    }
}

void Directory::loadAttrValue(uint32_t attr, uint32_t slot, std::string_view v) { loadAttrStr(attr, slot, pool_.add(v)); }

void Directory::loadAttrStr(uint32_t attr, uint32_t slot, Str v) {
    if (!attrCodes_.empty()) { attrCodes_.clear(); codesPending_.clear(); }   // loads do not move the revision
    auto& col = attrVals_[attr];
    if (col.size() <= slot) {
        // Bulk load: size the column once for every slot the loader reserved (no regrowth copies).
        if (col.capacity() < userId_.capacity()) col.reserve(userId_.capacity());
        col.resize(std::max<size_t>(slot + 1, slotCount()));
    }
    col[slot] = v;
}

void Directory::loadIdentity(uint32_t ownerSlot, uint16_t integ, bool alive, uint8_t flags, std::string_view account,
                             std::string_view display) {
    uint32_t ii = newIdentity(integ, account, display);
    idents_[ii].owner = ownerSlot;
    idents_[ii].flags = flags;
    if (alive) {
        idents_[ii].alive = 1;
        ++liveIdents_;
        indexPending_ = true;
    }
    ++identRev_;
}

void Directory::loadAlias(uint32_t ownerSlot, bool alive, std::string_view email) {
    uint32_t ai = newAlias(email, ownerSlot);
    if (alive) {
        aliases_[ai].alive = 1;
        indexPending_ = true;
    }
}

void Directory::loadAttrDef(std::string_view key, std::string_view label, std::string_view header, AttrType t, bool alive) {
    uint32_t a = newAttrDef(key, label, header, t);
    attrs_[a].alive = alive;
}

void Directory::loadIntegration(std::string_view name, IntegKind k, bool alive) {
    uint32_t i = newIntegration(name, k);
    integs_[i].alive = alive;
}

uint32_t Directory::loadOrgUnit(std::string_view name, std::string_view filter, bool alive, uint32_t id) {
    if (id != 0 && findOrgUnitById(id) != kNone) id = 0;   // a damaged list: never two units with one id
    uint32_t u = newOrgUnit(name, filter, id);
    units_[u].alive = alive;
    return u;
}

void Directory::reserveUsers(size_t n) {
    userId_.reserve(n);
    userName_.reserve(n);
    userEmail_.reserve(n);
    userAlive_.reserve(n);
    // (not the email index: the bulk builds that follow size it once, see HashIndex::insertMany)
}

void Directory::reserveIndexes(size_t users, size_t idents) {
    ensureIndexed();
    emailIdx_.reserve(users);
    identIdx_.reserve(idents);
}

void Directory::reserveIdentities(size_t n) {
    idents_.reserve(n);
}

Directory::Reclaimed Directory::reclaim(const Marks& m, bool strings) {
    Reclaimed r;
    ensureIndexed();
    const uint32_t nUsers = slotCount(), nIdents = uint32_t(idents_.size()), nAliases = uint32_t(aliases_.size());
    // Users past the mark: all dead, and no account or alias that stays names one of them.
    bool users = m.users < nUsers;
    for (uint32_t s = m.users; users && s < nUsers; ++s)
        if (userAlive_[s]) users = false;
    bool idents = m.idents < nIdents;
    for (uint32_t i = m.idents; idents && i < nIdents; ++i)
        if (idents_[i].alive) idents = false;
    bool aliases = m.aliases < nAliases;
    for (uint32_t i = m.aliases; aliases && i < nAliases; ++i)
        if (aliases_[i].alive) aliases = false;
    // The checks that read every kept record (a few ms at a million people) run when what is cut
    // is large against what is kept (an eighth of the records, 4 MiB or a 64th of the text), as
    // after an undone import of many rows; a small cut (a one-row import's into a large directory)
    // relies on how records are made (nothing kept can name a record made after it) and leaves the
    // text, a few bytes.
    const uint64_t cut = uint64_t(nUsers - std::min(nUsers, m.users)) + (nIdents - std::min(nIdents, m.idents)) + (nAliases - std::min(nAliases, m.aliases));
    const size_t textPast = pool_.bytesText() > m.pool.text ? pool_.bytesText() - m.pool.text : 0;
    const uint64_t kept = uint64_t(std::min(nUsers, m.users)) + std::min(nIdents, m.idents) + std::min(nAliases, m.aliases);
    const bool thorough = cut * 8 >= kept || textPast >= (size_t(4) << 20) || textPast * 64 >= pool_.bytesText();
    const uint32_t keepUsers = users ? m.users : nUsers;
    if (users && thorough) {
        for (uint32_t i = 0; users && i < (idents ? m.idents : nIdents); ++i)
            if (idents_[i].owner != kNone && idents_[i].owner >= keepUsers) users = false;
        for (uint32_t i = 0; users && i < (aliases ? m.aliases : nAliases); ++i)
            if (aliases_[i].owner != kNone && aliases_[i].owner >= keepUsers) users = false;
    }
    const uint32_t usersEnd = users ? m.users : nUsers, identsEnd = idents ? m.idents : nIdents, aliasesEnd = aliases ? m.aliases : nAliases;
    // The text: every string the kept people, accounts and aliases hold must lie before the mark.
    // The definitions (attributes, integrations, org units, remembered keys) are few: a string of
    // theirs past the mark is copied out and added again after the cut.
    bool text = strings && thorough && textPast > 0;
    const auto past = [&](Str x) { return StringPool::after(x, m.pool); };
    for (uint32_t s = 0; text && s < usersEnd; ++s)
        if (past(userName_[s]) || past(userEmail_[s])) text = false;
    const auto goneAttr = [&](size_t a) { return a >= m.attrs && a < attrs_.size() && !attrs_[a].alive; };   // its values go
    for (size_t a = 0; text && a < attrVals_.size(); ++a) {
        if (goneAttr(a)) continue;
        const auto& col = attrVals_[a];
        const size_t n = std::min<size_t>(col.size(), usersEnd);
        for (size_t s = 0; s < n; ++s)
            if (past(col[s])) { text = false; break; }
    }
    for (uint32_t i = 0; text && i < identsEnd; ++i)
        if (past(idents_[i].account) || past(idents_[i].display)) text = false;
    for (uint32_t i = 0; text && i < aliasesEnd; ++i)
        if (past(aliases_[i].email)) text = false;
    r.refused = (m.users < nUsers && !users) || (m.idents < nIdents && !idents) || (m.aliases < nAliases && !aliases) || (strings && thorough && !text &&
                textPast > 0);
    // Attributes defined past the mark and dead: their values go (the definition stays, by index).
    bool attrs = false;
    for (size_t a = m.attrs; a < attrVals_.size(); ++a)
        if (goneAttr(a) && attrVals_[a].capacity()) attrs = true;
    if (!users && !idents && !aliases && !text && !attrs) return r;
    for (size_t a = m.attrs; a < attrVals_.size(); ++a)
        if (goneAttr(a)) std::vector<Str>().swap(attrVals_[a]);

    reclaimFrom_ = sameContent(reclaimFrom_) && reclaimTo_ == revision_ ? reclaimFrom_ : revision_;
    ++revision_;
    reclaimTo_ = revision_;
    if (users) {
        r.users = nUsers - m.users;
        userId_.resize(m.users);
        userName_.resize(m.users);
        userEmail_.resize(m.users);
        userAlive_.resize(m.users);
        for (auto& col : attrVals_)
            if (col.size() > m.users) col.resize(m.users);
        idOrderDirty();
        const size_t chunks = (size_t(m.users) + kUsersPerChunk - 1) / kUsersPerChunk;
        if (dirtyUsers_.size() > chunks) dirtyUsers_.resize(chunks);
        if (userStamp_.size() > chunks) userStamp_.resize(chunks);
        if (m.users % kUsersPerChunk) dirtyUser(m.users - 1);   // the last chunk is shorter now
        dirtyMeta_ = true;                                       // the manifest's counts and chunk list
    }
    if (idents) {
        r.idents = nIdents - m.idents;
        idents_.resize(m.idents);
        const size_t chunks = (size_t(m.idents) + kIdentsPerChunk - 1) / kIdentsPerChunk;
        if (dirtyIdents_.size() > chunks) dirtyIdents_.resize(chunks);
        if (identStamp_.size() > chunks) identStamp_.resize(chunks);
        if (m.idents % kIdentsPerChunk) dirtyIdent(m.idents - 1);
        dirtyMeta_ = true;
    }
    if (aliases) {
        r.aliases = nAliases - m.aliases;
        aliases_.resize(m.aliases);
        dirtyAliases_ = dirtyMeta_ = true;
    }
    if (users || idents) ++identRev_;   // the owner lists
    emailIdx_.compact();
    aliasIdx_.compact();
    identIdx_.compact();
    // Value codes: those of the kept slots hold; the codes of cut slots go.
    if (users) {
        for (size_t a = 0; a < attrCodes_.size(); ++a) {
            auto& c = attrCodes_[a];
            if (!c || c->code.size() <= m.users) continue;
            if (c.use_count() == 1 && c->owner == this) std::const_pointer_cast<AttrCodes>(c)->code.resize(m.users);
            else c.reset();
        }
        for (auto& p : codesPending_) {
            std::vector<std::pair<uint32_t, uint32_t>> kept;
            for (auto [first, count] : p.ranges)
                if (first < m.users) kept.emplace_back(first, std::min(count, m.users - first));
            p.ranges = std::move(kept);
        }
    }
    if (text) {
        // Definitions' strings past the mark: out, cut, in again.
        std::vector<std::pair<Str*, std::string>> moved;
        auto keep = [&](Str& x) { if (past(x)) moved.emplace_back(&x, std::string(s(x))); };
        for (auto& a : attrs_) { keep(a.key); keep(a.label); keep(a.header); }
        for (auto& g : integs_) keep(g.name);
        for (auto& u : units_) { keep(u.name); keep(u.filter); }
        for (auto* list : {&rejected_, &botPatterns_, &importMappings_, &hints_})
            for (auto& k : *list) keep(k.key);
        const size_t before = pool_.bytesText();
        pool_.truncate(m.pool);
        for (auto& [x, t] : moved) *x = pool_.add(t);
        r.poolBytes = before > pool_.bytesText() ? before - pool_.bytesText() : 0;
        if (!moved.empty()) dirtyMeta_ = true;
    }
    return r;
}

size_t Directory::memoryBytes() const {
    size_t b = pool_.bytesReserved();
    b += userId_.capacity() * 4 + userName_.capacity() * 8 + userEmail_.capacity() * 8 + userAlive_.capacity();
    for (auto& col : attrVals_) b += col.capacity() * sizeof(Str);
    b += idents_.capacity() * sizeof(Identity) + aliases_.capacity() * sizeof(Alias);
    b += emailIdx_.memoryBytes() + aliasIdx_.memoryBytes() + identIdx_.memoryBytes();
    b += ownerStart_.capacity() * 4 + ownerList_.capacity() * 4;
    return b;
}

}  // namespace roster
