// Thrift compact decoding with sticky errors and a nesting limit.
#include "parquet/thrift_compact_reader.hpp"

namespace sl::parquet::thrift {

namespace {
constexpr int k_max_depth = 64;
}

void CompactReader::struct_begin() {
  if (++depth_ > k_max_depth) fail("thrift structures nested deeper than 64");
  last_ids_.push_back(0);
}

FieldHeader CompactReader::field() {
  FieldHeader h;
  uint8_t byte = cursor_.u8("field header");
  if (!ok() || byte == 0) {
    --depth_;
    return h;  // stop
  }
  uint8_t type = byte & 0x0f;
  int delta = byte >> 4;
  int16_t& last = last_ids_.back();
  h.id = delta != 0 ? static_cast<int16_t>(last + delta)
                    : static_cast<int16_t>(cursor_.zigzag_varint("field id"));
  last = h.id;
  if (type == 1 || type == 2) {
    h.type = CType::bool_true;
    h.bool_value = type == 1;
  } else if (type >= 3 && type <= 12) {
    h.type = static_cast<CType>(type);
  } else {
    fail("thrift field " + std::to_string(h.id) + " has unknown type " + std::to_string(type));
  }
  return h;
}

ListHeader CompactReader::list() {
  ListHeader h;
  uint8_t byte = cursor_.u8("list header");
  h.element = static_cast<CType>(byte & 0x0f);
  h.size = byte >> 4;
  if (h.size == 15) h.size = cursor_.uvarint("list size");
  // Every element takes at least one byte (bools too): a larger count is corrupt, and checking it
  // here stops a forged size from driving a huge allocation.
  if (h.size > cursor_.remaining())
    fail("thrift list of " + std::to_string(h.size) + " elements exceeds the data");
  return h;
}

std::string_view CompactReader::binary() {
  uint64_t n = cursor_.uvarint("binary length");
  if (n > cursor_.remaining()) {
    fail("thrift binary of " + std::to_string(n) + " bytes exceeds the data");
    return {};
  }
  return cursor_.string_view(n, "binary");
}

void CompactReader::skip(CType type) {
  if (!ok()) return;
  switch (type) {
    case CType::bool_true:
    case CType::bool_false:
      break;  // value already in the header
    case CType::i8:
      cursor_.u8("i8");
      break;
    case CType::i16:
    case CType::i32:
    case CType::i64:
      cursor_.uvarint("int");
      break;
    case CType::double_:
      cursor_.skip(8, "double");
      break;
    case CType::binary:
      binary();
      break;
    case CType::list:
    case CType::set: {
      auto h = list();
      for (size_t i = 0; i < h.size && ok(); ++i) {
        if (h.element == CType::bool_true || h.element == CType::bool_false) {
          cursor_.u8("bool");
        } else {
          skip(h.element);
        }
      }
      break;
    }
    case CType::map: {
      uint64_t n = cursor_.uvarint("map size");
      if (n == 0) break;
      // Every entry takes at least a byte: a larger count is corrupt (and would loop for ever on
      // entries whose skipping consumes nothing).
      if (n > cursor_.remaining()) {
        fail("thrift map of " + std::to_string(n) + " entries exceeds the data");
        break;
      }
      uint8_t kv = cursor_.u8("map types");
      auto skip_element = [this](CType t) {
        // Inside containers a bool is a byte of its own.
        if (t == CType::bool_true || t == CType::bool_false)
          cursor_.u8("bool");
        else
          skip(t);
      };
      for (uint64_t i = 0; i < n && ok(); ++i) {
        skip_element(static_cast<CType>(kv >> 4));
        skip_element(static_cast<CType>(kv & 0x0f));
      }
      break;
    }
    case CType::struct_: {
      struct_begin();
      for (;;) {
        auto f = field();
        if (!ok() || f.type == CType::stop) break;
        skip(f.type);
      }
      struct_end();
      break;
    }
    default:
      fail("thrift: cannot skip unknown type " + std::to_string(static_cast<int>(type)));
  }
}

}  // namespace sl::parquet::thrift
