// DictionaryIndex: the dense index (first-seen order) of each distinct value of a column chunk, as
// RLE_DICTIONARY needs, in an open-addressing hash table (linear probing, load ≤ 1/2).
//
// Why not std::unordered_map: it allocates a node per distinct value and chases a pointer per
// lookup; a chunk of a million values with a hundred thousand distinct ones spent more time in
// malloc/free than in hashing. Here the slots are one flat array: of (key, index) pairs for
// integer keys, of (index, hash) pairs for the others, whose keys are one vector.
//
// Keys are integers (floats as their bit patterns, so -0.0/0.0 and NaNs stay distinct), __int128
// or std::string_view (which must outlive the index: they point into the column being written).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sl::parquet {

template <class Key>
class DictionaryIndex {
  // Integer keys (numbers, floats as bits) are kept in their slot: a lookup reads one slot, where
  // a key kept apart is a second random read for every value already seen (most of a dictionary
  // column's values).
  static constexpr bool k_key_in_slot = std::is_integral_v<Key> && sizeof(Key) <= 8;

 public:
  // The index of `key`, and whether it was inserted now (a new distinct value).
  std::pair<uint32_t, bool> insert(const Key& key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const uint32_t h = slot_hash(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == k_empty) {
        slot.index = static_cast<uint32_t>(size_++);
        if constexpr (k_key_in_slot) {
          slot.key = key;
        } else {
          slot.hash = h;
          keys_.push_back(key);
        }
        return {slot.index, true};
      }
      if constexpr (k_key_in_slot) {
        if (slot.key == key) return {slot.index, false};
      } else {
        if (slot.hash == h && keys_[slot.index] == key) return {slot.index, false};
      }
    }
  }

  size_t size() const { return size_; }

  // 32 well-mixed bits of `key`: the slot is taken from the low bits, and every bit of the key
  // must reach them. Integer keys are often sequential (ids), and a double column's bit patterns
  // differ only in their high bits (300.0, 301.0, 12.5: the low mantissa bits are zero): the
  // 128-bit product by an odd constant folds both halves, so each input bit moves the low ones.
  // (The product's bits 32..63 alone, as before, gave whole numbers a few dozen slots between
  // them, and each lookup walked a long run: 10 % of the full refresh's CPU.) Public for the
  // tests of that spread.
  static uint32_t slot_hash(const Key& key) {
    if constexpr (std::is_same_v<Key, std::string_view>) {
      return mix(std::hash<std::string_view>{}(key));
    } else if constexpr (std::is_same_v<Key, __int128>) {
      auto u = static_cast<unsigned __int128>(key);
      return mix(static_cast<uint64_t>(u) ^ mix(static_cast<uint64_t>(u >> 64)));
    } else {
      static_assert(std::is_integral_v<Key>);
      return mix(static_cast<uint64_t>(key));
    }
  }

 private:
  static constexpr uint32_t k_empty = UINT32_MAX;
  struct HashedSlot {
    uint32_t index = k_empty;
    uint32_t hash = 0;
  };
  struct KeySlot {
    Key key{};
    uint32_t index = k_empty;
  };
  using Slot = std::conditional_t<k_key_in_slot, KeySlot, HashedSlot>;

  static uint32_t mix(uint64_t x) {
    const auto p = static_cast<unsigned __int128>(x) * 0x9E3779B97F4A7C15ULL;
    const uint64_t folded = static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
    return static_cast<uint32_t>(folded ^ (folded >> 32));
  }

  static uint32_t hash_of(const Slot& s) {
    if constexpr (k_key_in_slot) {
      return slot_hash(s.key);
    } else {
      return s.hash;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.index == k_empty) continue;
      size_t i = hash_of(s) & mask;
      while (slots_[i].index != k_empty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  std::vector<Key> keys_;  // the keys not kept in their slot, by index
};

}  // namespace sl::parquet
