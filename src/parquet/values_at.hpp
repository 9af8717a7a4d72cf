// A random-access range of generated values: `at(i)` for i in [first, last). std::vector::insert
// from such a range grows the vector and writes each new element once, where resize then
// overwrite zeroed the room first (a tenth of a scan's time was such zeroing). The decoders use
// it for PLAIN numbers loaded from a page and for dictionary values gathered by index.
// (A transform view would do, but Clang 14 rejects libstdc++ 12's ranges, and the fuzzers build
// with it.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <vector>

namespace sl::parquet {

// `At` is a small copyable function object: `T operator()(std::ptrdiff_t i) const`.
template <class T, class At>
class ValuesAt {
 public:
  using iterator_category = std::random_access_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = const T*;
  using reference = T;

  ValuesAt(At at, difference_type i) : at_(at), i_(i) {}
  T operator*() const { return at_(i_); }
  ValuesAt& operator++() {
    ++i_;
    return *this;
  }
  ValuesAt operator++(int) {
    ValuesAt before = *this;
    ++i_;
    return before;
  }
  ValuesAt& operator--() {
    --i_;
    return *this;
  }
  ValuesAt& operator+=(difference_type n) {
    i_ += n;
    return *this;
  }
  ValuesAt operator+(difference_type n) const { return ValuesAt(at_, i_ + n); }
  difference_type operator-(const ValuesAt& o) const { return i_ - o.i_; }
  bool operator==(const ValuesAt& o) const { return i_ == o.i_; }

 private:
  At at_;
  difference_type i_;
};

// Appends at(0), ..., at(n - 1) to `dst`.
template <class T, class At>
void append_values_at(std::vector<T>& dst, At at, size_t n) {
  dst.insert(dst.end(), ValuesAt<T, At>(at, 0),
             ValuesAt<T, At>(at, static_cast<std::ptrdiff_t>(n)));
}

// The i-th little-endian T of PLAIN bytes (unaligned load).
template <class T>
struct PlainValueAt {
  const char* bytes;
  T operator()(std::ptrdiff_t i) const {
    T v;
    std::memcpy(&v, bytes + i * static_cast<std::ptrdiff_t>(sizeof(T)), sizeof(T));
    return v;
  }
};

// values[index[i]]: dictionary values gathered by their indices.
template <class T>
struct GatheredValueAt {
  const T* values;
  const uint32_t* index;
  T operator()(std::ptrdiff_t i) const { return values[index[i]]; }
};

}  // namespace sl::parquet
