#include "suggest.h"

#include <algorithm>

#include "commands.h"
#include "normalize.h"
#include "text.h"

namespace roster {

// ---------------------------------------------------------------- stable keys

std::string personKey(const Directory& d, uint32_t slot) {
    std::string e = foldEmail(d.userEmail(slot));
    if (!e.empty()) return e;
    uint32_t n = 0;
    const uint32_t* list = d.identitiesOf(slot, n);
    if (n > 0) {
        const Identity& id = d.identities()[list[0]];
        return toLowerAscii(trim(d.s(d.integrations()[id.integ].name))) + ":" + toLowerAscii(trim(d.s(id.account)));
    }
    return formatUserId(d.userId(slot));
}

std::string mergeKey(const Directory& d, uint32_t a, uint32_t b) {
    std::string x = personKey(d, a), y = personKey(d, b);
    if (y < x) std::swap(x, y);
    return "merge|" + x + "|" + y;
}

std::string assignKey(const Directory& d, uint32_t ii, uint32_t slot) {
    const Identity& id = d.identities()[ii];
    return "assign|" + toLowerAscii(trim(d.s(d.integrations()[id.integ].name))) + "|" + toLowerAscii(trim(d.s(id.account))) + "|" +
           personKey(d, slot);
}

std::string mergeHint(std::string_view a, std::string_view b, std::string_view reason) {
    std::string x = foldEmail(a), y = foldEmail(b);
    if (y < x) std::swap(x, y);
    return "merge\x1f" + x + "\x1f" + y + "\x1f" + std::string(reason);
}

std::string assignHint(std::string_view integration, std::string_view account, std::string_view email, std::string_view reason) {
    return "assign\x1f" + std::string(trim(integration)) + "\x1f" + std::string(trim(account)) + "\x1f" + foldEmail(email) + "\x1f" +
           std::string(reason);
}

// ---------------------------------------------------------------- helpers

namespace {

uint64_t keyHash(char kind, std::string_view v) {
    uint64_t h = 1469598103934665603ull;
    h = (h ^ uint8_t(kind)) * 1099511628211ull;
    for (unsigned char c : v) h = (h ^ c) * 1099511628211ull;
    // final mix so that the top bits (the bucket) are well spread
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

std::string q(std::string_view s) { return "\u201C" + std::string(s) + "\u201D"; }

std::string displayOf(const Directory& d, uint32_t slot) {
    std::string_view n = d.userName(slot);
    if (!n.empty()) return std::string(n);
    if (!d.userEmail(slot).empty()) return std::string(d.userEmail(slot));
    return formatUserId(d.userId(slot));
}

double combine(const std::vector<double>& w) {
    double keep = 1;
    for (double x : w) keep *= (1 - x);
    return std::min(0.99, 1 - keep);
}

bool isEmailLike(std::string_view s) { return s.find('@') != std::string_view::npos; }

}  // namespace

// ---------------------------------------------------------------- engine

struct SuggestionEngine::Person {
    std::string name, norm;        // name as written, normalizeName
    std::vector<std::string> words;
    struct Mail { std::string full, local, domain, noreply; };
    std::vector<Mail> mails;        // primary first, then aliases
    struct Acc { uint32_t ii; uint16_t integ; std::string id; bool github; };
    std::vector<Acc> accs;
    std::string handle, handleRev;
};

using Person = SuggestionEngine::Person;

void SuggestionEngine::reset() {
    *this = SuggestionEngine();
}

double SuggestionEngine::progress() const {
    if (phase_ == Phase::Done) return 1.0;
    if (phase_ == Phase::Start) return 0.0;
    return std::min(0.999, double(workDone_) / double(std::max<uint64_t>(1, workTotal_)));
}

void SuggestionEngine::begin(const Directory& d) {
    std::vector<Suggestion> last = std::move(results_);   // shown (checked) by the UI while recomputing
    reset();
    results_ = std::move(last);
    rev_ = d.revision();
    patterns_ = botPatternList(d);
    const uint32_t slots = d.slotCount();
    skipUser_.assign(slots, 1);
    isGithub_.assign(d.integrations().size(), 0);
    for (size_t i = 0; i < d.integrations().size(); ++i)
        isGithub_[i] = toLowerAscii(d.s(d.integrations()[i].name)).find("github") != std::string::npos;
    for (const auto& r : d.rejected())
        if (r.alive) rejected_.push_back(std::string(d.s(r.key)));
    std::sort(rejected_.begin(), rejected_.end());
    // Aliases per owner (integer work only).
    aliasStart_.assign(size_t(slots) + 1, 0);
    const auto& als = d.aliases();
    for (const Alias& a : als)
        if (a.alive && a.owner < slots) ++aliasStart_[a.owner + 1];
    for (size_t i = 1; i < aliasStart_.size(); ++i) aliasStart_[i] += aliasStart_[i - 1];
    aliasList_.assign(aliasStart_.back(), 0);
    {
        std::vector<uint32_t> fill(aliasStart_.begin(), aliasStart_.end() - 1);
        for (uint32_t ai = 0; ai < als.size(); ++ai)
            if (als[ai].alive && als[ai].owner < slots) aliasList_[fill[als[ai].owner]++] = ai;
    }
    usable_.assign(d.identities().size(), 0);
    buckets_.assign(size_t(1) << kBucketBits, {});
    const uint64_t users = d.userCount(), idents = d.liveIdentityCount();
    workTotal_ = slots + d.identities().size() + (size_t(1) << kBucketBits) / 64 + users + idents / 8 + 1;
    phase_ = Phase::Users;
    cursor_ = 0;
}


// The keys of an account id: an email-like id by its email and local part, any other by itself
// (true: it is not email-like and long enough to be a login).
static bool accountIdKeys(std::string_view acc, std::vector<uint64_t>& keys) {
    if (isEmailLike(acc)) {
        keys.push_back(keyHash('e', foldEmail(acc)));
        std::string l = emailLocal(acc);
        if (l.size() >= 2) keys.push_back(keyHash('i', l));
        return false;
    }
    if (acc.size() < 2) return false;
    keys.push_back(keyHash('i', toLowerAscii(acc)));
    return true;
}

void SuggestionEngine::userKeys(const Directory& d, uint32_t slot, bool withAccounts, std::vector<uint64_t>& keys) const {
    keys.clear();
    std::string_view name = d.userName(slot);
    std::vector<std::string> words = foldedWords(name);
    if (!words.empty()) {
        std::vector<std::string> sorted = words;
        std::sort(sorted.begin(), sorted.end());
        std::string norm;
        for (auto& w : sorted) norm += (norm.empty() ? "" : " ") + w;
        keys.push_back(keyHash('n', norm));
        if (words.size() >= 2) {
            std::string h, r;
            for (auto& w : words) h += w;
            r = words.back();
            for (size_t i = 0; i + 1 < words.size(); ++i) r += words[i];
            keys.push_back(keyHash('h', h));
            if (r != h) keys.push_back(keyHash('h', r));
        }
    }
    auto mail = [&](std::string_view e) {
        if (trim(e).empty()) return;
        keys.push_back(keyHash('e', foldEmail(e)));
        std::string login;
        if (parseNoreply(e, login)) keys.push_back(keyHash('i', login));
        else {
            std::string l = emailLocal(e);
            if (l.size() >= 2) keys.push_back(keyHash('i', l));
        }
    };
    mail(d.userEmail(slot));
    for (uint32_t k = aliasStart_[slot]; k < aliasStart_[slot + 1]; ++k) mail(d.s(d.aliases()[aliasList_[k]].email));
    if (withAccounts)
        for (uint32_t k = identStart_[slot]; k < identStart_[slot + 1]; ++k) {
            accountIdKeys(trim(d.s(d.identities()[identList_[k]].account)), keys);
        }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

void SuggestionEngine::accountKeys(const Directory& d, uint32_t ii, std::vector<uint64_t>& keys) const {
    keys.clear();
    const Identity& id = d.identities()[ii];
    std::string_view acc = trim(d.s(id.account));
    if (accountIdKeys(acc, keys)) {
        std::string h = alnumFold(acc);
        if (h.size() >= 4) keys.push_back(keyHash('h', h));
    }
    std::string_view disp = trim(d.s(id.display));
    if (!disp.empty()) {
        std::string norm = normalizeName(disp);
        if (!norm.empty()) keys.push_back(keyHash('n', norm));
        std::string h = alnumFold(disp);
        if (h.size() >= 4 && norm.find(' ') == std::string::npos) {
            keys.push_back(keyHash('h', h));
            keys.push_back(keyHash('i', toLowerAscii(disp)));
        }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

void SuggestionEngine::lookup(uint64_t h, std::vector<uint32_t>& out) const {
    const auto& b = buckets_[h >> (64 - kBucketBits)];
    auto lo = std::lower_bound(b.begin(), b.end(), h, [](const KeyEntry& e, uint64_t v) { return e.h < v; });
    auto hi = lo;
    while (hi != b.end() && hi->h == h) ++hi;
    if (size_t(hi - lo) > kMaxBlock) return;   // too common to mean anything
    for (auto it = lo; it != hi; ++it) out.push_back(it->slot);
}

namespace {

}  // namespace

Person SuggestionEngine::loadPerson(const Directory& d, uint32_t slot) const {
    const auto& aliasStart = aliasStart_;
    const auto& aliasList = aliasList_;
    const auto& identStart = identStart_;
    const auto& identList = identList_;
    const auto& isGithub = isGithub_;
    Person p;
    p.name = std::string(trim(d.userName(slot)));
    p.words = foldedWords(p.name);
    {
        std::vector<std::string> s = p.words;
        std::sort(s.begin(), s.end());
        for (auto& w : s) p.norm += (p.norm.empty() ? "" : " ") + w;
        for (auto& w : p.words) p.handle += w;
        if (p.words.size() >= 2) {
            p.handleRev = p.words.back();
            for (size_t i = 0; i + 1 < p.words.size(); ++i) p.handleRev += p.words[i];
        }
    }
    auto mail = [&](std::string_view e) {
        if (trim(e).empty()) return;
        Person::Mail m;
        m.full = foldEmail(e);
        m.domain = emailDomain(e);
        if (!parseNoreply(e, m.noreply)) m.local = emailLocal(e);
        p.mails.push_back(std::move(m));
    };
    mail(d.userEmail(slot));
    for (uint32_t k = aliasStart[slot]; k < aliasStart[slot + 1]; ++k) mail(d.s(d.aliases()[aliasList[k]].email));
    for (uint32_t k = identStart[slot]; k < identStart[slot + 1]; ++k) {
        const Identity& id = d.identities()[identList[k]];
        p.accs.push_back({identList[k], id.integ, toLowerAscii(trim(d.s(id.account))), id.integ < isGithub.size() && isGithub[id.integ] != 0});
    }
    return p;
}

namespace {

std::string integName(const Directory& d, uint16_t integ) { return std::string(d.s(d.integrations()[integ].name)); }

// Signals between two people, one direction: what a's emails say about b's accounts.
void emailToAccounts(const Directory& d, const Person& a, const std::string& an, const Person& b, const std::string& bn,
                     std::vector<double>& w, std::vector<std::string>& why) {
    for (const auto& m : a.mails) {
        for (const auto& acc : b.accs) {
            if (!m.noreply.empty() && acc.github && acc.id == m.noreply) {
                w.push_back(0.85);
                why.push_back(an + "'s email " + m.full + " is a GitHub noreply address for the login " + q(m.noreply) + ", which is " + bn +
                              "'s " + integName(d, acc.integ) + " account");
            } else if (!m.local.empty() && m.local.size() >= 3 && acc.id == m.local) {
                w.push_back(0.45);
                why.push_back(an + "'s email local part " + q(m.local) + " is " + bn + "'s " + integName(d, acc.integ) + " account id");
            } else if (isEmailLike(acc.id) && acc.id == m.full) {
                w.push_back(0.8);
                why.push_back(bn + "'s " + integName(d, acc.integ) + " account is " + an + "'s email " + m.full);
            }
        }
        if (!m.noreply.empty())
            for (const auto& mb : b.mails)
                if (!mb.local.empty() && mb.local == m.noreply) {
                    w.push_back(0.4);
                    why.push_back(an + "'s GitHub noreply login " + q(m.noreply) + " is the local part of " + bn + "'s email " + mb.full);
                }
    }
}

}  // namespace

void SuggestionEngine::scoreMerge(const Directory& d, const Person& A, uint32_t a, uint32_t b) {
    ++pairsScored_;
    Person B = loadPerson(d, b);
    const std::string an = displayOf(d, a), bn = displayOf(d, b);
    std::vector<double> w;
    std::vector<std::string> why;
    const bool sameName = !A.norm.empty() && A.norm == B.norm;
    if (sameName) {
        bool multi = A.words.size() >= 2;
        w.push_back(multi ? 0.5 : 0.2);
        if (A.name == B.name) why.push_back("Same name " + q(A.name));
        else why.push_back("Same name apart from accents, case, punctuation or word order: " + q(A.name) + " and " + q(B.name));
        // same domain (primary emails, not noreply)
        if (!A.mails.empty() && !B.mails.empty() && A.mails[0].noreply.empty() && B.mails[0].noreply.empty() && !A.mails[0].domain.empty() &&
            A.mails[0].domain == B.mails[0].domain) {
            w.push_back(multi ? 0.25 : 0.1);
            why.push_back("Same name at the same email domain (" + A.mails[0].domain + ")");
        }
    }
    emailToAccounts(d, A, an, B, bn, w, why);
    emailToAccounts(d, B, bn, A, an, w, why);
    // Same email local part at different domains.
    {
        bool done = false;
        for (const auto& ma : A.mails) {
            for (const auto& mb : B.mails)
                if (!ma.local.empty() && ma.local.size() >= 3 && ma.local == mb.local && ma.full != mb.full) {
                    w.push_back(0.4);
                    why.push_back("Same email local part " + q(ma.local) + " at " + ma.domain + " and " + mb.domain);
                    done = true;
                    break;
                }
            if (done) break;
        }
    }
    // The same account id in two integrations.
    for (const auto& x : A.accs)
        for (const auto& y : B.accs)
            if (x.integ != y.integ && x.id.size() >= 4 && x.id == y.id) {
                w.push_back(isEmailLike(x.id) ? 0.7 : 0.35);
                why.push_back("Same account id " + q(x.id) + " in " + integName(d, x.integ) + " (" + an + ") and " + integName(d, y.integ) + " (" +
                              bn + ")");
            }
    if (w.empty()) return;
    double score = combine(w);
    if (score < kMinScore) return;
    if (!rejected_.empty() && std::binary_search(rejected_.begin(), rejected_.end(), mergeKey(d, a, b))) return;
    // Keep the record with a real (non-noreply) email and more accounts, else the older one.
    auto rank = [&](const Person& p, uint32_t slot) {
        int r = 0;
        if (!p.mails.empty() && p.mails[0].noreply.empty()) r += 4;
        if (!p.mails.empty()) r += 2;
        (void)slot;
        return r * 1000 + int(std::min<size_t>(p.accs.size(), 999));
    };
    Suggestion s;
    s.kind = Suggestion::Merge;
    s.slots = rank(B, b) > rank(A, a) ? std::vector<uint32_t>{b, a} : std::vector<uint32_t>{a, b};
    s.score = score;
    s.reasons = std::move(why);
    pending_.push_back(std::move(s));
}

void SuggestionEngine::scoreAssign(const Directory& d, uint32_t ii, std::vector<Suggestion>& out) {
    const Identity& id = d.identities()[ii];
    std::vector<uint64_t> keys;
    accountKeys(d, ii, keys);
    std::vector<uint32_t> cands;
    for (uint64_t h : keys) lookup(h, cands);
    std::sort(cands.begin(), cands.end());
    cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
    if (cands.empty()) return;
    const std::string acc = toLowerAscii(trim(d.s(id.account)));
    const std::string accHandle = isEmailLike(acc) ? std::string() : alnumFold(acc);
    const std::string disp(trim(d.s(id.display)));
    const std::vector<std::string> dispWords = foldedWords(disp);
    std::string dispNorm;
    {
        std::vector<std::string> s = dispWords;
        std::sort(s.begin(), s.end());
        for (auto& w : s) dispNorm += (dispNorm.empty() ? "" : " ") + w;
    }
    const std::string integ = integName(d, id.integ);
    const bool github = id.integ < isGithub_.size() && isGithub_[id.integ];
    const std::string accLabel = integ + " account " + q(d.s(id.account));
    std::vector<Suggestion> found;
    for (uint32_t slot : cands) {
        if (slot >= skipUser_.size() || skipUser_[slot]) continue;
        ++pairsScored_;
        Person P = loadPerson(d, slot);
        const std::string pn = displayOf(d, slot);
        std::vector<double> w;
        std::vector<std::string> why;
        if (!dispNorm.empty() && dispNorm == P.norm) {
            bool multi = dispWords.size() >= 2;
            w.push_back(multi ? 0.55 : 0.2);
            if (disp == P.name) why.push_back("The account's display name " + q(disp) + " is " + pn + "'s name");
            else why.push_back("The account's display name " + q(disp) + " is " + pn + "'s name apart from accents, case or word order");
        } else if (dispWords.size() == 1 && !P.words.empty() && P.words.size() >= 2 && dispWords[0] == P.words[0]) {
            w.push_back(0.15);
            why.push_back("The account's display name " + q(disp) + " is " + pn + "'s first name");
        }
        bool localHit = false;
        for (const auto& m : P.mails) {
            if (isEmailLike(acc)) {
                if (acc == m.full) {
                    w.push_back(0.9);
                    why.push_back("The account id is " + pn + "'s email " + m.full);
                    localHit = true;
                    break;
                }
                std::string l = emailLocal(acc);
                if (!m.local.empty() && l == m.local && l.size() >= 3) {
                    w.push_back(0.45);
                    why.push_back("The account id " + q(acc) + " has the same local part as " + pn + "'s email " + m.full);
                    localHit = true;
                    break;
                }
            } else {
                if (!m.local.empty() && acc == m.local && acc.size() >= 3) {
                    w.push_back(0.5);
                    why.push_back("The account id " + q(acc) + " is the local part of " + pn + "'s email " + m.full);
                    localHit = true;
                    break;
                }
                if (github && !m.noreply.empty() && acc == m.noreply) {
                    w.push_back(0.85);
                    why.push_back(pn + "'s email " + m.full + " is a GitHub noreply address for this login");
                    localHit = true;
                    break;
                }
            }
        }
        for (const auto& a : P.accs)
            if (a.integ != id.integ && a.id == acc && acc.size() >= 4) {
                w.push_back(0.4);
                why.push_back(pn + " has the same account id in " + integName(d, a.integ));
                break;
            }
        if (!localHit && accHandle.size() >= 4 && P.words.size() >= 2 && (accHandle == P.handle || accHandle == P.handleRev)) {
            w.push_back(0.4);
            why.push_back("The account id " + q(d.s(id.account)) + " spells " + pn + "'s name");
        }
        if (w.empty()) continue;
        double score = combine(w);
        if (score < kMinScore) continue;
        if (!rejected_.empty() && std::binary_search(rejected_.begin(), rejected_.end(), assignKey(d, ii, slot))) continue;
        Suggestion s;
        s.kind = Suggestion::Assign;
        s.slots = {slot};
        s.ident = ii;
        s.score = score;
        s.reasons = std::move(why);
        found.push_back(std::move(s));
    }
    std::sort(found.begin(), found.end(), [](const Suggestion& x, const Suggestion& y) {
        return x.score != y.score ? x.score > y.score : x.slots[0] < y.slots[0];
    });
    if (found.size() > kMaxPerAccount) found.resize(kMaxPerAccount);
    (void)accLabel;
    for (auto& s : found) out.push_back(std::move(s));
}

void SuggestionEngine::addHints(const Directory& d) {
    auto split = [](std::string_view rec) {
        std::vector<std::string_view> parts;
        size_t p = 0;
        for (;;) {
            size_t q = rec.find('\x1f', p);
            parts.push_back(rec.substr(p, q == std::string_view::npos ? q : q - p));
            if (q == std::string_view::npos) break;
            p = q + 1;
        }
        return parts;
    };
    auto usable = [&](uint32_t s) { return s != kNone && s < skipUser_.size() && d.userAlive(s); };
    for (const auto& h : d.hints()) {
        if (!h.alive) continue;
        auto parts = split(d.s(h.key));
        if (parts[0] == "merge" && parts.size() >= 4) {
            uint32_t a = d.findEmail(parts[1]), b = d.findEmail(parts[2]);
            if (!usable(a) || !usable(b) || a == b) continue;
            if (b < a) std::swap(a, b);
            if (!rejected_.empty() && std::binary_search(rejected_.begin(), rejected_.end(), mergeKey(d, a, b))) continue;
            std::string why(parts[3]);
            bool found = false;
            for (auto& s : pending_)
                if (s.kind == Suggestion::Merge && s.slots.size() == 2 &&
                    ((s.slots[0] == a && s.slots[1] == b) || (s.slots[0] == b && s.slots[1] == a))) {
                    found = true;
                    if (std::find(s.reasons.begin(), s.reasons.end(), why) == s.reasons.end()) s.reasons.insert(s.reasons.begin(), why);
                    s.score = std::max(s.score, kHintScore);
                }
            if (found) continue;
            Suggestion s;
            s.kind = Suggestion::Merge;
            s.slots = {a, b};
            s.score = kHintScore;
            s.reasons = {why};
            pending_.push_back(std::move(s));
        } else if (parts[0] == "assign" && parts.size() >= 5) {
            const uint32_t integ = d.findIntegration(parts[1]);
            if (integ == kNone) continue;
            const uint32_t ii = d.findIdentity(integ, parts[2]);
            const uint32_t slot = d.findEmail(parts[3]);
            if (ii == kNone || !usable(slot)) continue;
            const Identity& id = d.identities()[ii];
            if (!id.alive || id.owner != kNone || (id.flags & kIdentExcluded)) continue;
            if (!rejected_.empty() && std::binary_search(rejected_.begin(), rejected_.end(), assignKey(d, ii, slot))) continue;
            std::string why(parts[4]);
            bool found = false;
            for (auto& s : pending_)
                if (s.kind == Suggestion::Assign && s.ident == ii && !s.slots.empty() && s.slots[0] == slot) {
                    found = true;
                    if (std::find(s.reasons.begin(), s.reasons.end(), why) == s.reasons.end()) s.reasons.insert(s.reasons.begin(), why);
                    s.score = std::max(s.score, kHintScore);
                }
            if (found) continue;
            Suggestion s;
            s.kind = Suggestion::Assign;
            s.slots = {slot};
            s.ident = ii;
            s.score = kHintScore;
            s.reasons = {why};
            pending_.push_back(std::move(s));
        }
    }
}

bool SuggestionEngine::step(const Directory& d, double budgetMs, size_t maxItems) {
    if (phase_ != Phase::Start && rev_ != d.revision()) phase_ = Phase::Start;
    if (phase_ == Phase::Done) return true;
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    size_t items = 0;
    auto out = [&]() {
        if (++items >= maxItems) return true;
        if ((items & 63) == 0) {
            double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
            if (ms >= budgetMs) return true;
        }
        return false;
    };
    std::vector<uint64_t> keys;
    std::vector<uint32_t> cands;
    const unsigned shift = 64 - kBucketBits;
    while (phase_ != Phase::Done) {
        switch (phase_) {
            case Phase::Start:
                begin(d);
                if (out()) return false;
                break;
            case Phase::Users: {
                const uint32_t slots = d.slotCount();
                while (cursor_ < slots) {
                    uint32_t slot = uint32_t(cursor_++);
                    ++workDone_;
                    if (!d.userAlive(slot)) continue;
                    if (emailLooksLikeBot(d.userEmail(slot), patterns_) || looksLikeBot(d.userName(slot), patterns_)) continue;
                    skipUser_[slot] = 0;
                    userKeys(d, slot, false, keys);
                    for (uint64_t h : keys) buckets_[h >> shift].push_back({h, slot});
                    if (out()) return false;
                }
                phase_ = Phase::Identities;
                cursor_ = 0;
                break;
            }
            case Phase::Identities: {
                const auto& ids = d.identities();
                while (cursor_ < ids.size()) {
                    uint32_t ii = uint32_t(cursor_++);
                    ++workDone_;
                    const Identity& id = ids[ii];
                    if (!id.alive || (id.flags & kIdentExcluded)) continue;
                    if (looksLikeBot(d.s(id.account), patterns_) || looksLikeBot(d.s(id.display), patterns_)) continue;
                    usable_[ii] = 1;
                    if (id.owner == kNone) { unassigned_.push_back(ii); continue; }
                    if (id.owner >= skipUser_.size() || skipUser_[id.owner]) continue;
                    std::string_view acc = trim(d.s(id.account));
                    auto add = [&](uint64_t h) { buckets_[h >> shift].push_back({h, id.owner}); };
                    if (isEmailLike(acc)) {
                        add(keyHash('e', foldEmail(acc)));
                        std::string l = emailLocal(acc);
                        if (l.size() >= 2) add(keyHash('i', l));
                    } else if (acc.size() >= 2) {
                        add(keyHash('i', toLowerAscii(acc)));
                    }
                    if (out()) return false;
                }
                phase_ = Phase::Csr;
                break;
            }
            case Phase::Csr: {
                const uint32_t slots = uint32_t(skipUser_.size());
                const auto& ids = d.identities();
                identStart_.assign(size_t(slots) + 1, 0);
                for (uint32_t ii = 0; ii < ids.size(); ++ii)
                    if (usable_[ii] && ids[ii].owner < slots) ++identStart_[ids[ii].owner + 1];
                for (size_t i = 1; i < identStart_.size(); ++i) identStart_[i] += identStart_[i - 1];
                identList_.assign(identStart_.back(), 0);
                std::vector<uint32_t> fill(identStart_.begin(), identStart_.end() - 1);
                for (uint32_t ii = 0; ii < ids.size(); ++ii)
                    if (usable_[ii] && ids[ii].owner < slots) identList_[fill[ids[ii].owner]++] = ii;
                phase_ = Phase::SortBuckets;
                cursor_ = 0;
                if (out()) return false;
                break;
            }
            case Phase::SortBuckets:
                while (cursor_ < buckets_.size()) {
                    auto& b = buckets_[cursor_++];
                    std::sort(b.begin(), b.end(), [](const KeyEntry& x, const KeyEntry& y) { return x.h != y.h ? x.h < y.h : x.slot < y.slot; });
                    b.erase(std::unique(b.begin(), b.end(), [](const KeyEntry& x, const KeyEntry& y) { return x.h == y.h && x.slot == y.slot; }), b.end());
                    if ((cursor_ & 63) == 0) ++workDone_;
                    if (out()) return false;
                }
                phase_ = Phase::Merge;
                cursor_ = 0;
                break;
            case Phase::Merge: {
                const uint32_t slots = uint32_t(skipUser_.size());
                while (cursor_ < slots) {
                    uint32_t a = uint32_t(cursor_++);
                    if (skipUser_[a]) continue;
                    ++workDone_;
                    userKeys(d, a, true, keys);
                    cands.clear();
                    for (uint64_t h : keys) lookup(h, cands);
                    std::sort(cands.begin(), cands.end());
                    cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
                    bool loaded = false;
                    Person A;
                    for (uint32_t b : cands)
                        if (b > a && b < slots && !skipUser_[b]) {
                            if (!loaded) { A = loadPerson(d, a); loaded = true; }
                            scoreMerge(d, A, a, b);
                        }
                    if (out()) return false;
                }
                phase_ = Phase::Assign;
                cursor_ = 0;
                break;
            }
            case Phase::Assign:
                while (cursor_ < unassigned_.size()) {
                    uint32_t ii = unassigned_[cursor_++];
                    if ((cursor_ & 7) == 0) ++workDone_;
                    scoreAssign(d, ii, pending_);
                    if (out()) return false;
                }
                phase_ = Phase::Sort;
                break;
            case Phase::Sort: {
                addHints(d);
                std::stable_sort(pending_.begin(), pending_.end(), [](const Suggestion& x, const Suggestion& y) {
                    if (x.score != y.score) return x.score > y.score;
                    if (x.kind != y.kind) return x.kind < y.kind;
                    return x.slots < y.slots;
                });
                results_ = std::move(pending_);
                pending_.clear();
                buckets_.clear();
                buckets_.shrink_to_fit();
                phase_ = Phase::Done;
                break;
            }
            case Phase::Done: break;
        }
    }
    return true;
}

}  // namespace roster
