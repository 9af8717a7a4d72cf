// DELTA_BINARY_PACKED / DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY decoding (see the header).
#include "parquet/delta_encodings.hpp"

#include <algorithm>
#include <climits>
#include <string_view>

namespace sl::parquet {

namespace {

Error corrupt(const std::string& what) {
  return make_error(Errc::corrupt, what);
}

Error cursor_error(const ByteCursor& in) {
  return corrupt(in.error());
}

// Value `index` of `width` bits in an LSB-first bit-packed run (width ≤ 64).
uint64_t unpack(std::string_view packed, size_t index, int width) {
  if (width == 0) return 0;
  uint64_t value = 0;
  size_t bit = index * static_cast<size_t>(width);
  for (int got = 0; got < width;) {
    auto byte = static_cast<uint8_t>(packed[bit / 8]);
    int offset = static_cast<int>(bit % 8);
    int take = std::min(8 - offset, width - got);
    uint64_t bits = (byte >> offset) & ((1u << take) - 1);
    value |= bits << got;
    got += take;
    bit += static_cast<size_t>(take);
  }
  return value;
}

// A run of lengths decoded with DELTA_BINARY_PACKED, checked non-negative.
Status lengths(ByteCursor& in, size_t count, std::vector<uint64_t>& out, const char* what) {
  SL_TRY(decode_delta_binary_packed(in, count, out));
  for (uint64_t v : out) {
    if (v > static_cast<uint64_t>(INT32_MAX)) {
      return corrupt(std::string("negative or oversized ") + what);
    }
  }
  return {};
}

void append_plain(std::string& plain, std::string_view value, int32_t fixed_length) {
  if (fixed_length == 0) {
    auto n = static_cast<uint32_t>(value.size());
    plain.append(reinterpret_cast<const char*>(&n), 4);
  }
  plain.append(value);
}

Status check_fixed(std::string_view value, int32_t fixed_length) {
  if (fixed_length > 0 && value.size() != static_cast<size_t>(fixed_length)) {
    return corrupt("a FIXED_LEN_BYTE_ARRAY value of " + std::to_string(value.size()) +
                   " bytes instead of " + std::to_string(fixed_length));
  }
  return {};
}

}  // namespace

Status decode_delta_binary_packed(ByteCursor& in, size_t count, std::vector<uint64_t>& out) {
  out.clear();
  uint64_t block_size = in.uvarint("DELTA_BINARY_PACKED block size");
  uint64_t miniblocks = in.uvarint("DELTA_BINARY_PACKED miniblock count");
  uint64_t total = in.uvarint("DELTA_BINARY_PACKED value count");
  auto first = static_cast<uint64_t>(in.zigzag_varint("DELTA_BINARY_PACKED first value"));
  if (!in.ok()) return cursor_error(in);
  if (block_size == 0 || block_size % 128 != 0 || block_size > (1u << 20) || miniblocks == 0 ||
      block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    return corrupt("DELTA_BINARY_PACKED header: block of " + std::to_string(block_size) +
                   " values in " + std::to_string(miniblocks) + " miniblocks");
  }
  if (total < count) {
    return corrupt("DELTA_BINARY_PACKED holds " + std::to_string(total) + " values, the page " +
                   std::to_string(count));
  }
  if (total == 0) return {};
  const size_t per_miniblock = block_size / miniblocks;
  out.reserve(count);
  out.push_back(first);
  uint64_t last = first;
  uint64_t remaining = total - 1;  // values still to decode (some may go beyond `count`)
  while (remaining > 0) {
    auto min_delta = static_cast<uint64_t>(in.zigzag_varint("DELTA_BINARY_PACKED min delta"));
    auto widths = in.string_view(miniblocks, "DELTA_BINARY_PACKED bit widths");
    if (!in.ok()) return cursor_error(in);
    for (size_t m = 0; m < miniblocks && remaining > 0; ++m) {
      int width = static_cast<uint8_t>(widths[m]);
      if (width > 64) {
        return corrupt("DELTA_BINARY_PACKED bit width " + std::to_string(width));
      }
      auto packed = in.string_view(per_miniblock * static_cast<size_t>(width) / 8,
                                   "DELTA_BINARY_PACKED miniblock");
      if (!in.ok()) return cursor_error(in);
      for (size_t j = 0; j < per_miniblock && remaining > 0; ++j, --remaining) {
        last += min_delta + unpack(packed, j, width);
        if (out.size() < count) out.push_back(last);
      }
    }
  }
  out.resize(count);
  return {};
}

Status delta_length_byte_array_to_plain(ByteCursor& in, size_t count, int32_t fixed_length,
                                        std::string& plain) {
  std::vector<uint64_t> sizes;
  SL_TRY(lengths(in, count, sizes, "DELTA_LENGTH_BYTE_ARRAY length"));
  for (uint64_t n : sizes) {
    auto value = in.string_view(static_cast<size_t>(n), "DELTA_LENGTH_BYTE_ARRAY value");
    if (!in.ok()) return cursor_error(in);
    SL_TRY(check_fixed(value, fixed_length));
    append_plain(plain, value, fixed_length);
  }
  return {};
}

Status delta_byte_array_to_plain(ByteCursor& in, size_t count, int32_t fixed_length,
                                 std::string& plain) {
  std::vector<uint64_t> prefixes, suffixes;
  SL_TRY(lengths(in, count, prefixes, "DELTA_BYTE_ARRAY prefix length"));
  SL_TRY(lengths(in, count, suffixes, "DELTA_BYTE_ARRAY suffix length"));
  std::string previous, value;
  for (size_t i = 0; i < count; ++i) {
    if (prefixes[i] > previous.size()) {
      return corrupt("DELTA_BYTE_ARRAY prefix of " + std::to_string(prefixes[i]) +
                     " bytes after a value of " + std::to_string(previous.size()));
    }
    auto suffix = in.string_view(static_cast<size_t>(suffixes[i]), "DELTA_BYTE_ARRAY suffix");
    if (!in.ok()) return cursor_error(in);
    value.assign(previous, 0, static_cast<size_t>(prefixes[i]));
    value.append(suffix);
    SL_TRY(check_fixed(value, fixed_length));
    append_plain(plain, value, fixed_length);
    std::swap(previous, value);
  }
  return {};
}

}  // namespace sl::parquet
