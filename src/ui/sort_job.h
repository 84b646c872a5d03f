#pragma once
// Sorting the Users table by one column as a roster::Job, in slices across frames.
//
// Each row gets a 128-bit key (the first 16 bytes of the ASCII-folded text, or an order-preserving
// image of a number, or an account count); a stable LSD radix sort orders (key, row) pairs (bytes
// that are the same in every key are skipped), and only runs of equal keys whose text is longer
// than 16 bytes are then refined, 8 bytes at a time. Rows keep
// their input order among equals (stable), so with directory order as input the result equals
// std::stable_sort with the table's comparator:
//   name/email: text ignoring ASCII case (blank first ascending);
//   accounts: the number of accounts;
//   attributes: numbers as numbers, other types as folded text (ISO dates sort as text), blanks
//   (and unparsable numbers) last in both directions.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "job.h"
#include "model.h"

namespace roster::ui {

class SortJob : public Job {
public:
    // column: 0 name, 1 email, 2 accounts, 100 + attribute index. `rows` are live slots in the
    // order equal rows keep.
    SortJob(const Directory& d, std::vector<uint32_t> rows, int column, bool ascending);

    std::string title() const override;
    Progress progress() const override;
    bool step(Clock::time_point deadline) override;

    bool finished() const { return phase_ == Done; }
    bool cancelled() const { return cancelled_; }
    int column() const { return column_; }
    bool ascending() const { return ascending_; }
    uint64_t revision() const { return rev_; }
    size_t size() const { return n_; }
    std::vector<uint32_t>& result() { return out_; }   // the sorted slots once finished() && !cancelled()
    const double* phaseMs() const { return phaseMs_; }   // CPU time of the keys, radix and ties phases

private:
    enum Phase { Keys, Radix, Ties, Done };
    bool keysStep(Clock::time_point deadline);
    bool radixStep(Clock::time_point deadline);
    bool tiesStep(Clock::time_point deadline);
    bool textColumn() const;
    std::string_view text(uint32_t slot) const;

    const Directory& d_;
    uint64_t rev_;
    int column_;
    bool ascending_;
    bool numeric_ = false;
    uint32_t attr_ = 0;
    Phase phase_ = Keys;
    bool cancelled_ = false;

    std::vector<uint32_t> in_;          // input rows
    size_t n_ = 0;
    size_t pos_ = 0;                    // progress inside the phase
    std::vector<uint64_t> keys_, keys2_;       // the first 8 bytes (or the number / count)
    std::vector<uint64_t> keysLo_, keysLo2_;   // bytes 8..15 of text (0 otherwise)
    std::vector<uint32_t> idx_, idx2_;  // slots, permuted with the keys
    std::vector<uint32_t> blanks_;      // rows sorted last, in input order
    std::vector<std::array<uint32_t, 256>> hist_;   // per byte of the key
    std::vector<int> passes_;           // bytes that actually differ
    size_t pass_ = 0;
    std::array<size_t, 256> offs_{};
    struct Run { uint32_t b, e, level; };   // rows [b, e) equal in their first 8 * level bytes
    std::vector<Run> work_;
    std::vector<uint32_t> len_;          // text length by slot (text columns)
    std::vector<std::pair<uint64_t, uint32_t>> tmp_;
    std::vector<uint32_t> out_;
    double phaseMs_[3] = {0, 0, 0};
};

// Folded (ASCII lower-case) comparison of two strings, as the table orders text.
int compareFolded(std::string_view a, std::string_view b);

}  // namespace roster::ui
