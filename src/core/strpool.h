#pragma once
// A compact, append-only string arena. Strings are referenced by a 32-bit offset and a length,
// so a million users cost a few dozen bytes each instead of several heap allocations.
// Storage is a list of fixed-size blocks: growth never copies existing text.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace roster {

struct Str {
    uint32_t off = 0;
    uint32_t len = 0;
    bool empty() const { return len == 0; }
    bool operator==(const Str& o) const { return off == o.off && len == o.len; }
    bool operator!=(const Str& o) const { return !(*this == o); }
};

class StringPool {
public:
    static constexpr uint32_t kBlockBits = 24;                 // 16 MiB blocks
    static constexpr uint32_t kBlockSize = 1u << kBlockBits;
    static constexpr uint32_t kMaxString = kBlockSize;         // a single string never spans blocks
    static constexpr uint32_t kMaxPages = 256;                 // 32-bit offsets: 256 pages of 16 MiB

    StringPool() = default;
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;
    StringPool(StringPool&&) = default;
    StringPool& operator=(StringPool&&) = default;

    // Adds a copy of s. Empty strings cost nothing. Strings longer than kMaxString are truncated
    // (callers validate lengths first; see kMaxValueBytes in model.h).
    Str add(std::string_view s) {
        if (s.empty()) return Str{};
        if (s.size() > kMaxString) s = s.substr(0, kMaxString);
        uint32_t n = static_cast<uint32_t>(s.size());
        if (!open_ || used_ + n > cap_) newBlock(n);
        char* dst = pages_.back() + used_;
        std::memcpy(dst, s.data(), n);
        Str r{static_cast<uint32_t>(((pages_.size() - 1) << kBlockBits) | used_), n};
        used_ += n;
        text_ += n;
        return r;
    }
    // Takes a large text in as it is (no copy): strings inside it are then referenced as
    // Str{base + offset, len} (see strIn), and may cross 16 MiB page boundaries since the text is
    // contiguous. `owner` keeps the text alive for as long as the pool holds it. Returns the base
    // offset. Used by bulk imports, whose cells already sit in one buffer.
    uint32_t adopt(const char* data, size_t n, std::shared_ptr<const void> owner) {
        const size_t pages = (n + kBlockSize - 1) / kBlockSize + (n == 0);
        if (pages_.size() + pages > kMaxPages) throw std::bad_alloc();
        const uint32_t base = static_cast<uint32_t>(pages_.size() << kBlockBits);
        for (size_t k = 0; k < pages; ++k) pages_.push_back(const_cast<char*>(data) + k * kBlockSize);
        keep_.push_back(std::move(owner));
        adopted_ += n;
        text_ += n;
        open_ = false;   // the next add() starts a new block after the adopted pages
        return base;
    }
    static Str strIn(uint32_t base, const char* text, std::string_view v) {
        return v.empty() ? Str{} : Str{base + static_cast<uint32_t>(v.data() - text), static_cast<uint32_t>(v.size())};
    }
    std::string_view get(Str s) const {
        if (s.len == 0) return {};
        return std::string_view(pages_[s.off >> kBlockBits] + (s.off & (kBlockSize - 1)), s.len);
    }
    std::string str(Str s) const { return std::string(get(s)); }
    // Where the pool ends now. truncate(mark) gives back everything added or adopted after it: the
    // owned blocks made since are freed, the adopted texts released, the open block refilled from
    // the mark on. Only for strings nothing references any more (Directory::reclaim).
    struct Mark {
        uint32_t pages = 0, blocks = 0, keep = 0, used = 0, cap = 0;
        size_t owned = 0, adopted = 0, text = 0;
        bool open = false;
    };
    Mark mark() const {
        return Mark{uint32_t(pages_.size()), uint32_t(blocks_.size()), uint32_t(keep_.size()), used_, cap_, owned_, adopted_, text_, open_};
    }
    size_t bytesText() const { return text_; }   // the text added and adopted (what strings take, without the blocks' room)
    // Whether s was added after m (so truncate(m) would take it).
    static bool after(Str s, const Mark& m) {
        if (s.len == 0) return false;
        const uint32_t page = s.off >> kBlockBits;
        if (m.pages == 0 || page >= m.pages) return true;
        return page == m.pages - 1 && m.open && (s.off & (kBlockSize - 1)) >= m.used;
    }
    void truncate(const Mark& m) {
        if (pages_.size() < m.pages || blocks_.size() < m.blocks || keep_.size() < m.keep) return;   // not a mark of this pool's past
        pages_.resize(m.pages);
        blocks_.resize(m.blocks);
        keep_.resize(m.keep);
        used_ = m.used;
        cap_ = m.cap;
        owned_ = m.owned;
        adopted_ = m.adopted;
        text_ = m.text;
        open_ = m.open;
    }
    size_t bytesAdopted() const { return adopted_; }
    size_t bytesReserved() const { return owned_ + adopted_; }
    void clear() {
        blocks_.clear();
        pages_.clear();
        keep_.clear();
        used_ = 0;
        cap_ = 0;
        owned_ = 0;
        adopted_ = 0;
        text_ = 0;
        open_ = false;
    }

private:
    // Each owned block sits on a page of its own (offset >> kBlockBits) but is only as large as
    // needed: 64 KiB first, doubling up to the 16 MiB page. A directory of 50 people holds 64 KiB
    // of text, not 16 MiB (in WASM a touched-or-not allocation grows the heap for good), and a
    // million people lose at most 8 of the 256 pages to the small first blocks.
    static constexpr uint32_t kFirstBlock = 1u << 16;
    void newBlock(uint32_t need) {
        if (pages_.size() >= kMaxPages) throw std::bad_alloc();   // 4 GiB of text: offsets would overflow
        uint32_t cap = cap_ == 0 ? kFirstBlock : (cap_ >= kBlockSize / 2 ? kBlockSize : cap_ * 2);
        while (cap < need && cap < kBlockSize) cap *= 2;
        blocks_.emplace_back(new char[cap]);
        pages_.push_back(blocks_.back().get());
        owned_ += cap;
        cap_ = cap;
        used_ = 0;
        open_ = true;
    }
    std::vector<std::unique_ptr<char[]>> blocks_;   // owned blocks
    std::vector<char*> pages_;                      // offset >> kBlockBits -> memory
    std::vector<std::shared_ptr<const void>> keep_; // owners of adopted texts
    uint32_t used_ = 0;
    uint32_t cap_ = 0;                              // the size of the open block
    size_t owned_ = 0;                              // bytes of owned blocks
    size_t adopted_ = 0;
    size_t text_ = 0;                               // bytes of text added and adopted
    bool open_ = false;                             // pages_.back() is an owned block with room
};

}  // namespace roster
