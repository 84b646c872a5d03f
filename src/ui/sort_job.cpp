#include "sort_job.h"

#include <algorithm>
#include <cstring>

#include "attributes_panel.h"
#include "filter.h"
#include "value_input.h"

namespace roster::ui {

namespace {
constexpr size_t kCheckEvery = 4096;   // rows between two looks at the clock

inline unsigned char foldByte(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

inline uint64_t textKey(std::string_view s) {
    uint64_t k = 0;
    const size_t n = std::min<size_t>(8, s.size());
    for (size_t i = 0; i < 8; ++i) k = (k << 8) | (i < n ? foldByte((unsigned char)s[i]) : 0);
    return k;
}

inline uint64_t numberKey(double v) {
    if (v == 0) v = 0;   // -0 equals 0
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return (b >> 63) ? ~b : (b | (uint64_t(1) << 63));
}
}  // namespace

int compareFolded(std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
        unsigned char x = foldByte((unsigned char)a[i]), y = foldByte((unsigned char)b[i]);
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

SortJob::SortJob(const Directory& d, std::vector<uint32_t> rows, int column, bool ascending)
    : d_(d), rev_(d.revision()), column_(column), ascending_(ascending), in_(std::move(rows)) {
    n_ = in_.size();
    if (column_ >= 100) {
        attr_ = uint32_t(column_ - 100);
        numeric_ = attr_ < d.attrDefs().size() && d.attrDefs()[attr_].type == AttrType::Number;
    }
    keys_.reserve(n_);
    keysLo_.reserve(n_);
    idx_.reserve(n_);
    if (textColumn()) len_.assign(d.slotCount(), 0);
    hist_.assign(16, std::array<uint32_t, 256>{});
}

std::string SortJob::title() const {
    std::string what = column_ == 0 ? "name" : column_ == 1 ? "email" : column_ == 2 ? "accounts" : "attribute";
    if (column_ >= 100 && attr_ < d_.attrDefs().size() && d_.revision() == rev_) what = attrDisplayName(d_, attr_);
    return "Sorting users by " + what;
}

Job::Progress SortJob::progress() const {
    Progress p;
    p.unit = "rows";
    p.total = n_;
    if (phase_ == Keys) {
        p.phase = "Reading values";
        p.done = pos_;
    } else if (phase_ == Radix) {
        p.phase = "Sorting";
        const size_t m = keys_.size(), passes = std::max<size_t>(1, passes_.size());
        p.done = m ? uint64_t((double(pass_) * double(m) + double(pos_)) / double(passes * m) * double(n_)) : n_;
    } else if (phase_ == Ties) {
        p.phase = "Ordering equal prefixes";
        p.done = keys_.size() ? uint64_t(double(pos_) / double(keys_.size()) * double(n_)) : n_;
    } else {
        p.phase = cancelled_ ? "Cancelled" : "Done";
        p.done = n_;
    }
    return p;
}

bool SortJob::textColumn() const { return column_ == 0 || column_ == 1 || (column_ >= 100 && !numeric_); }

std::string_view SortJob::text(uint32_t slot) const {
    if (column_ == 0) return d_.userName(slot);
    if (column_ == 1) return d_.userEmail(slot);
    return d_.attrValue(attr_, slot);
}

bool SortJob::keysStep(Clock::time_point deadline) {
    const bool isAttr = column_ >= 100;
    const bool validAttr = !isAttr || attr_ < d_.attrDefs().size();
    for (; pos_ < n_; ++pos_) {
        if ((pos_ % kCheckEvery) == 0 && pos_ && Clock::now() >= deadline) return false;
        const uint32_t slot = in_[pos_];
        if (slot >= d_.slotCount()) continue;   // never happens while the revision is the same
        uint64_t k = 0, lo = 0;
        if (column_ == 2) {
            uint32_t count = 0;
            d_.identitiesOf(slot, count);
            k = count;
        } else if (!validAttr) {
            k = 0;
        } else if (isAttr && numeric_) {
            double v;
            if (!parseNumberValue(d_.attrValue(attr_, slot), v)) { blanks_.push_back(slot); continue; }
            k = numberKey(v);
        } else {
            std::string_view s = text(slot);
            if (isAttr && s.empty()) { blanks_.push_back(slot); continue; }
            k = textKey(s);
            if (s.size() > 8) lo = textKey(s.substr(8));
            len_[slot] = uint32_t(std::min<size_t>(s.size(), UINT32_MAX));
        }
        if (!ascending_) { k = ~k; lo = ~lo; }
        keys_.push_back(k);
        keysLo_.push_back(lo);
        idx_.push_back(slot);
        for (int b = 0; b < 8; ++b) ++hist_[size_t(b)][(lo >> (8 * b)) & 0xff];
        for (int b = 0; b < 8; ++b) ++hist_[size_t(8 + b)][(k >> (8 * b)) & 0xff];
    }
    const size_t m = keys_.size();
    for (int b = 0; b < 16; ++b) {
        const auto& h = hist_[size_t(b)];
        if (m && *std::max_element(h.begin(), h.end()) != m) passes_.push_back(b);
    }
    in_.clear();
    in_.shrink_to_fit();
    keys2_.resize(m);
    keysLo2_.resize(m);
    idx2_.resize(m);
    phase_ = Radix;
    pos_ = pass_ = 0;
    return true;
}

bool SortJob::radixStep(Clock::time_point deadline) {
    const size_t m = keys_.size();
    while (pass_ < passes_.size()) {
        const int b = passes_[pass_];
        const int shift = 8 * (b % 8);
        const bool onLo = b < 8;   // the 16-byte key: the low 8 bytes first (LSD)
        if (pos_ == 0) {
            size_t sum = 0;
            for (size_t v = 0; v < 256; ++v) { offs_[v] = sum; sum += hist_[size_t(b)][v]; }
        }
        while (pos_ < m) {
            const size_t end = std::min(m, pos_ + kCheckEvery * 4);
            for (size_t i = pos_; i < end; ++i) {
                const uint64_t k = keys_[i], lo = keysLo_[i];
                const size_t o = offs_[((onLo ? lo : k) >> shift) & 0xff]++;
                keys2_[o] = k;
                keysLo2_[o] = lo;
                idx2_[o] = idx_[i];
            }
            pos_ = end;
            if (pos_ < m && Clock::now() >= deadline) return false;
        }
        keys_.swap(keys2_);
        keysLo_.swap(keysLo2_);
        idx_.swap(idx2_);
        ++pass_;
        pos_ = 0;
        if (pass_ < passes_.size() && Clock::now() >= deadline) return false;
    }
    keys2_.clear();
    keys2_.shrink_to_fit();
    keysLo2_ = {};
    idx2_.clear();
    idx2_.shrink_to_fit();
    phase_ = textColumn() ? Ties : Done;
    pos_ = 0;
    return true;
}

// Runs of equal 16-byte keys whose text goes on past the key are refined 8 bytes at a time (an MSD radix
// on 8-byte digits, each level a stable sort of (next 8 bytes, row) pairs): comparisons stay on
// integers, and rows with equal text keep their input order.
// Runs of equal keys whose text goes on past the key are refined 8 bytes at a time (an MSD radix
// on 8-byte digits, each level a stable sort of (next 8 bytes, row) pairs): comparisons stay on
// integers, and rows with equal text keep their input order.
bool SortJob::tiesStep(Clock::time_point deadline) {
    const size_t m = keys_.size();
    auto& tmp = tmp_;
    size_t since = 0;
    for (;;) {
        if (work_.empty()) {
            if (pos_ >= m) break;
            // The next run of equal 16-byte keys.
            size_t j = pos_ + 1;
            while (j < m && keys_[j] == keys_[pos_] && keysLo_[j] == keysLo_[pos_]) ++j;
            if (j - pos_ > 1) work_.push_back({uint32_t(pos_), uint32_t(j), 2});
            since += j - pos_;
            pos_ = j;
        }
        while (!work_.empty()) {
            const Run r = work_.back();
            work_.pop_back();
            const size_t off = size_t(r.level) * 8;
            bool longer = false;
            for (size_t i = r.b; i < r.e && !longer; ++i) longer = len_[idx_[i]] > off;
            if (!longer) continue;   // equal texts: input order stays
            const size_t g = r.e - r.b;
            tmp.resize(g);
            for (size_t i = r.b; i < r.e; ++i) {
                const uint32_t slot = idx_[i];
                uint64_t k = 0;
                if (len_[slot] > off) k = textKey(text(slot).substr(off));
                tmp[i - r.b] = {ascending_ ? k : ~k, slot};
            }
            auto less = [](const std::pair<uint64_t, uint32_t>& x, const std::pair<uint64_t, uint32_t>& y) { return x.first < y.first; };
            if (g <= 24) {   // insertion sort: stable, and no allocation for the many small runs
                for (size_t i = 1; i < g; ++i) {
                    auto v = tmp[i];
                    size_t j = i;
                    while (j > 0 && less(v, tmp[j - 1])) { tmp[j] = tmp[j - 1]; --j; }
                    tmp[j] = v;
                }
            } else {
                std::stable_sort(tmp.begin(), tmp.end(), less);
            }
            for (size_t i = 0; i < g; ++i) idx_[r.b + i] = tmp[i].second;
            for (size_t i = 0; i < g;) {
                size_t j = i + 1;
                while (j < g && tmp[j].first == tmp[i].first) ++j;
                if (j - i > 1) work_.push_back({uint32_t(r.b + i), uint32_t(r.b + j), r.level + 1});
                i = j;
            }
            since += g;
            if (since >= kCheckEvery) {
                since = 0;
                if (Clock::now() >= deadline) return false;
            }
        }
        if (since >= kCheckEvery) {
            since = 0;
            if (pos_ < m && Clock::now() >= deadline) return false;
        }
    }
    phase_ = Done;
    return true;
}

bool SortJob::step(Clock::time_point deadline) {
    if (phase_ == Done) return true;
    if (cancelRequested_ || d_.revision() != rev_) {
        // Nothing to undo: the job only reads. A changed directory makes the keys stale.
        cancelled_ = true;
        phase_ = Done;
        keys_ = {}; keys2_ = {}; keysLo_ = {}; keysLo2_ = {}; idx_ = {}; idx2_ = {}; in_ = {}; blanks_ = {}; len_ = {}; tmp_ = {};
        return true;
    }
    while (phase_ != Done) {
        bool more;
        const auto t0 = Clock::now();
        const int ph = int(phase_);
        if (phase_ == Keys) more = keysStep(deadline);
        else if (phase_ == Radix) more = radixStep(deadline);
        else more = tiesStep(deadline);
        phaseMs_[ph] += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!more) return false;
        if (phase_ != Done && Clock::now() >= deadline) return false;
    }
    out_ = std::move(idx_);
    out_.insert(out_.end(), blanks_.begin(), blanks_.end());
    keys_ = {};
    keysLo_ = {};
    blanks_ = {};
    len_ = {};
    tmp_ = {};
    return true;
}

}  // namespace roster::ui
