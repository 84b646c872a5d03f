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
        if (blocks_.empty() || used_ + n > kBlockSize) newBlock();
        char* dst = blocks_.back().get() + used_;
        std::memcpy(dst, s.data(), n);
        Str r{static_cast<uint32_t>(((blocks_.size() - 1) << kBlockBits) | used_), n};
        used_ += n;
        bytes_ += n;
        return r;
    }
    std::string_view get(Str s) const {
        if (s.len == 0) return {};
        return std::string_view(blocks_[s.off >> kBlockBits].get() + (s.off & (kBlockSize - 1)), s.len);
    }
    std::string str(Str s) const { return std::string(get(s)); }
    size_t bytesUsed() const { return bytes_; }
    size_t bytesReserved() const { return blocks_.size() * size_t(kBlockSize); }
    void clear() { blocks_.clear(); used_ = 0; bytes_ = 0; }
    // Blocks are allocated lazily at their full size; the first one is small-friendly in practice
    // because untouched pages of a fresh allocation cost nothing on most platforms.

private:
    void newBlock() {
        if (blocks_.size() >= 256) throw std::bad_alloc();   // 4 GiB of text: offsets would overflow
        blocks_.emplace_back(new char[kBlockSize]);
        used_ = 0;
    }
    std::vector<std::unique_ptr<char[]>> blocks_;
    uint32_t used_ = 0;
    size_t bytes_ = 0;
};

}  // namespace roster
