// ByteCursor: a bounds-checked reader over a byte span with a sticky error, for binary decoders.
//
// Every read past the end (or a malformed varint) sets the cursor's error once and from then on
// returns zeros without moving; the decoder checks `ok()` at message boundaries and reports
// `error()`. A truncated message is therefore never silently decoded as zeros.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace sl {

class ByteCursor {
 public:
  ByteCursor() = default;
  explicit ByteCursor(std::span<const std::byte> bytes) : data_(bytes) {}
  ByteCursor(const void* data, size_t size) : data_(static_cast<const std::byte*>(data), size) {}
  explicit ByteCursor(std::string_view text)
      : data_(reinterpret_cast<const std::byte*>(text.data()), text.size()) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t position() const { return pos_; }
  size_t remaining() const { return ok() ? data_.size() - pos_ : 0; }
  bool at_end() const { return remaining() == 0; }
  std::span<const std::byte> rest() const { return data_.subspan(ok() ? pos_ : data_.size()); }

  // Marks the cursor failed with `why` (keeps the first reason).
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why) + " at byte " + std::to_string(pos_);
  }

  bool has(size_t n, const char* what) {
    if (!ok()) return false;
    if (data_.size() - pos_ < n) {
      fail(std::string("truncated ") + what + ": need " + std::to_string(n) + " bytes, have " +
           std::to_string(data_.size() - pos_));
      return false;
    }
    return true;
  }

  std::span<const std::byte> bytes(size_t n, const char* what = "bytes") {
    if (!has(n, what)) return {};
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view string_view(size_t n, const char* what = "string") {
    auto b = bytes(n, what);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  void skip(size_t n, const char* what = "skipped bytes") { (void)bytes(n, what); }

  uint8_t u8(const char* what = "u8") {
    if (!has(1, what)) return 0;
    return static_cast<uint8_t>(data_[pos_++]);
  }

  template <class T>
  T fixed_le(const char* what) {
    T value{};
    if (!has(sizeof(T), what)) return value;
    std::memcpy(&value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    if constexpr (std::endian::native == std::endian::big) value = byteswap_(value);
    return value;
  }
  template <class T>
  T fixed_be(const char* what) {
    T value{};
    if (!has(sizeof(T), what)) return value;
    std::memcpy(&value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    if constexpr (std::endian::native == std::endian::little) value = byteswap_(value);
    return value;
  }

  // Unsigned LEB128 varint (protobuf/Thrift compact style), at most 10 bytes.
  uint64_t uvarint(const char* what = "varint") {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!has(1, what)) return 0;
      auto b = static_cast<uint8_t>(data_[pos_++]);
      value |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return value;
    }
    fail(std::string("overlong ") + what);
    return 0;
  }
  // Zigzag-decoded signed varint.
  int64_t zigzag_varint(const char* what = "varint") {
    uint64_t v = uvarint(what);
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }

 private:
  template <class T>
  static T byteswap_(T v) {
    if constexpr (sizeof(T) == 1) {
      return v;
    } else {
      using U = std::make_unsigned_t<T>;
      U u;
      std::memcpy(&u, &v, sizeof(T));
      U r = 0;
      for (size_t i = 0; i < sizeof(T); ++i) r = static_cast<U>((r << 8) | ((u >> (8 * i)) & 0xff));
      std::memcpy(&v, &r, sizeof(T));
      return v;
    }
  }

  std::span<const std::byte> data_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace sl
