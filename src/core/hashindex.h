#pragma once
// Open-addressing hash index from a key hash to a 32-bit reference. Keys themselves live
// elsewhere (the directory's string pool); lookups confirm a candidate with a caller predicate.
// 8 bytes per slot: the index for a million emails is ~16 MB, with no per-entry allocation.
#include <cstdint>
#include <vector>

namespace roster {

class HashIndex {
public:
    static constexpr uint32_t kEmpty = 0xFFFFFFFFu;   // find(): no such entry
    static constexpr uint32_t kTomb = 0xFFFFFFFEu;    // (refs must stay below this)

    void clear() { slots_.clear(); size_ = 0; used_ = 0; }
    size_t size() const { return size_; }
    // Room for n entries without a rehash, at a load factor of at most 0.7.
    void reserve(size_t n) { if ((n + 1) * 10 > slots_.size() * 7) rehash((n + 1) * 10 / 7 + 16); }

    // Returns the first ref with this hash for which eq(ref) holds, else kEmpty.
    template <class Eq>
    uint32_t find(uint64_t h64, Eq&& eq) const {
        if (slots_.empty()) return kEmpty;
        uint32_t h = fold(h64);
        size_t mask = slots_.size() - 1, i = pos(h, mask);
        for (;;) {
            const Slot& s = slots_[i];
            if (s.code == kFree) return kEmpty;
            if (s.code != kGone && s.hash == h && eq(s.code - 1)) return s.code - 1;
            i = (i + 1) & mask;
        }
    }
    void insert(uint64_t h64, uint32_t ref) {
        if ((used_ + 1) * 10 > slots_.size() * 7) rehash(size_ * 2 + 16);
        place(fold(h64), ref);
    }
    bool erase(uint64_t h64, uint32_t ref) {
        if (slots_.empty()) return false;
        uint32_t h = fold(h64);
        size_t mask = slots_.size() - 1, i = pos(h, mask);
        for (;;) {
            Slot& s = slots_[i];
            if (s.code == kFree) return false;
            if (s.code == ref + 1 && s.hash == h) { s.code = kGone; --size_; return true; }
            i = (i + 1) & mask;
        }
    }
    size_t memoryBytes() const { return slots_.capacity() * sizeof(Slot); }
    // Clears the tombstones erased entries leave, when they are more than the live entries (a table
    // whose entries were erased by an undo is the size of the live ones again).
    void compact() {
        if (used_ > 2 * size_ + 16) rehash((size_ + 1) * 10 / 7 + 16);
    }

    // Many inserts at once (index builds after a bulk import or a load). The entries are placed in
    // the order of their home slots, found by a stable counting sort, so that a table far larger
    // than the caches is filled in one forward sweep instead of one cache miss per entry. Entries
    // with equal hashes keep their given order, so lookups find the same ref as after insert()s.
    struct Item { uint32_t hash, ref; };
    static Item item(uint64_t h64, uint32_t ref) { return Item{fold(h64), ref}; }
    void insertMany(const std::vector<Item>& items) {
        if (items.empty()) return;
        if ((used_ + items.size() + 1) * 10 > slots_.size() * 7) rehash((size_ + items.size() + 1) * 10 / 7 + 16);
        const size_t mask = slots_.size() - 1;
        if (items.size() < 4096 || items.size() * 64 < slots_.size()) {
            for (const Item& it : items) place(it.hash, it.ref);
            return;
        }
        unsigned bits = 0;
        while ((size_t(1) << bits) < slots_.size()) ++bits;
        const unsigned bb = bits < 16 ? bits : 16, shift = bits - bb;
        std::vector<uint32_t> start((size_t(1) << bb) + 1, 0);
        for (const Item& it : items) ++start[(pos(it.hash, mask) >> shift) + 1];
        for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
        std::vector<Item> sorted(items.size());
        for (const Item& it : items) sorted[start[pos(it.hash, mask) >> shift]++] = it;
        for (const Item& it : sorted) place(it.hash, it.ref);
    }

private:
    // A slot holds ref + 1 (0 = never used), so a new table is all zero bytes: one memory.fill (or
    // untouched, zeroed pages) instead of a loop writing a marker into every slot.
    static constexpr uint32_t kFree = 0, kGone = 0xFFFFFFFFu;
    struct Slot { uint32_t hash, code; };
    static uint32_t fold(uint64_t h) { return uint32_t(h ^ (h >> 32)); }
    static size_t pos(uint32_t h, size_t mask) { return size_t((h * 0x9E3779B1u) ^ (h >> 16)) & mask; }
    void place(uint32_t h, uint32_t ref) {
        size_t mask = slots_.size() - 1, i = pos(h, mask);
        while (slots_[i].code != kFree && slots_[i].code != kGone) i = (i + 1) & mask;
        if (slots_[i].code == kFree) ++used_;
        slots_[i] = Slot{h, ref + 1};
        ++size_;
    }
    void rehash(size_t want) {
        size_t cap = 16;
        while (cap < want) cap <<= 1;
        std::vector<Slot> old;
        old.swap(slots_);
        slots_ = std::vector<Slot>(cap);   // value-initialised: zero bytes
        used_ = size_ = 0;
        for (const Slot& s : old)
            if (s.code != kFree && s.code != kGone) place(s.hash, s.code - 1);
    }
    std::vector<Slot> slots_;
    size_t size_ = 0, used_ = 0;
};

}  // namespace roster
