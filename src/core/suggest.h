#pragma once
// Suggestions: pairs of people who are probably one person (merge), and unassigned accounts that
// probably belong to a person (assign), each with a score in 0..1 and reasons in words.
//
// Never all pairs: people and accounts are grouped by blocking keys (folded name, email local part,
// account id, GitHub noreply login, name as a handle, email-like account id), and only people and
// accounts that share a key are compared. Blocks larger than kMaxBlock are too common to mean
// anything and are skipped.
//
// Incremental: the UI calls step() each frame with a time budget; progress() goes 0..1; when the
// directory's revision changes the engine restarts by itself. Session::suggestions() runs it to
// completion. Bots, excluded accounts and rejected suggestions are never offered.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "model.h"

namespace roster {

struct Suggestion {
    enum Kind : uint8_t { Merge, Assign } kind = Merge;
    std::vector<uint32_t> slots;   // merge: [keep, other]; assign: [the person]
    uint32_t ident = kNone;        // assign: the unassigned account (identity index)
    double score = 0;
    std::vector<std::string> reasons;
};

// Stable keys of suggestions (emails and accounts, lower-cased; never ids), as stored by
// rejectSuggestion: "merge|a@x.com|b@y.com" (sorted) and "assign|github|login|a@x.com".
// A person without an email is named by their first account ("github:login") or, failing that, id.
std::string personKey(const Directory& d, uint32_t slot);
std::string mergeKey(const Directory& d, uint32_t a, uint32_t b);
std::string assignKey(const Directory& d, uint32_t ident, uint32_t slot);

// Suggestion hints (Directory::hints): an import's word that two addresses are one person (a .mailmap
// line tying two people), or that an unassigned account is a person's (DevLake's name matching).
// Offered as suggestions (score kHintScore, the hint's reason first) while both sides exist apart;
// never applied by themselves. Records: "merge\x1f<email>\x1f<email>\x1f<reason>" and
// "assign\x1f<integration>\x1f<account>\x1f<email>\x1f<reason>".
std::string mergeHint(std::string_view emailA, std::string_view emailB, std::string_view reason);
std::string assignHint(std::string_view integration, std::string_view account, std::string_view email, std::string_view reason);
constexpr double kHintScore = 0.9;

class SuggestionEngine {
public:
    static constexpr size_t kMaxBlock = 64;
    static constexpr size_t kMaxPerAccount = 3;   // assign candidates kept per unassigned account
    static constexpr double kMinScore = 0.3;

    // Advances the computation for about budgetMs milliseconds (or maxItems work items, whichever
    // comes first). Restarts when d.revision() differs from the revision being computed.
    // Returns true when the results are complete for the directory's current revision.
    bool step(const Directory& d, double budgetMs, size_t maxItems = SIZE_MAX);
    void runToCompletion(const Directory& d) { while (!step(d, 1e9)) {} }
    bool done() const { return phase_ == Phase::Done; }
    double progress() const;
    uint64_t revision() const { return rev_; }
    // Results (best first): complete for revision() once done(); while recomputing, the previous
    // run's results (their people and accounts may have changed since: check before showing).
    const std::vector<Suggestion>& results() const { return results_; }
    void reset();

    struct Person;   // a person's collation data (suggest.cpp)

    // Blocking statistics of the last run (tests): candidate pairs scored.
    uint64_t pairsScored() const { return pairsScored_; }

private:
    enum class Phase { Start, Users, Identities, Csr, SortBuckets, Merge, Assign, Sort, Done };
    void begin(const Directory& d);
    void userKeys(const Directory& d, uint32_t slot, bool withAccounts, std::vector<uint64_t>& keys) const;
    void accountKeys(const Directory& d, uint32_t ii, std::vector<uint64_t>& keys) const;
    void lookup(uint64_t h, std::vector<uint32_t>& out) const;   // appends the block's slots (nothing when too large)
    Person loadPerson(const Directory& d, uint32_t slot) const;
    void scoreMerge(const Directory& d, const Person& A, uint32_t a, uint32_t b);
    void scoreAssign(const Directory& d, uint32_t ii, std::vector<Suggestion>& out);
    void addHints(const Directory& d);   // the hints' suggestions, into pending_

    struct KeyEntry { uint64_t h; uint32_t slot; };
    static constexpr unsigned kBucketBits = 12;

    Phase phase_ = Phase::Start;
    uint64_t rev_ = 0;
    size_t cursor_ = 0;
    uint64_t workDone_ = 0, workTotal_ = 1;
    uint64_t pairsScored_ = 0;

    std::vector<uint8_t> skipUser_;                    // per slot: dead or a bot
    std::vector<uint32_t> aliasStart_, aliasList_;     // CSR: live aliases per owner slot
    std::vector<uint32_t> identStart_, identList_;     // CSR: live, usable (not bot/excluded) accounts per owner
    std::vector<uint8_t> usable_;                      // per identity: live, not excluded, not a bot
    std::vector<uint32_t> unassigned_;                 // candidate unassigned accounts
    std::vector<std::string> patterns_;
    std::vector<uint8_t> isGithub_;                    // per integration: its name says GitHub
    std::vector<std::vector<KeyEntry>> buckets_;       // blocking keys, bucketed by the hash's top bits, then sorted
    std::vector<std::string> rejected_;                // sorted live rejected keys
    std::vector<Suggestion> results_, pending_;
};

}  // namespace roster
