// CompactWriter: our own Thrift compact-protocol encoder for Parquet metadata.
//
// Wire grammar (Thrift compact protocol, as used by parquet.thrift):
//   struct       := field* STOP(0x00)
//   field        := header value
//   header       := (delta << 4 | type)            when 1 <= delta <= 15 (delta = id - previous id)
//                 | type, zigzag-varint(id)         otherwise
//   type         := 1 BOOL_TRUE | 2 BOOL_FALSE | 3 I8 | 4 I16 | 5 I32 | 6 I64 | 7 DOUBLE | 8 BINARY
//                 | 9 LIST | 12 STRUCT               (bool fields carry their value in the type)
//   i16/i32/i64  := zigzag varint (ULEB128);  i8 := 1 byte;  double := 8 bytes LE
//   binary       := varint(length) bytes
//   list         := (size << 4 | elemtype) when size <= 14, else (0xF0 | elemtype) varint(size);
//   elems
// Each nested struct keeps its own "previous field id" (a stack).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sl::parquet::thrift {

enum class CType : uint8_t {
  stop = 0,
  bool_true = 1,
  bool_false = 2,
  i8 = 3,
  i16 = 4,
  i32 = 5,
  i64 = 6,
  double_ = 7,
  binary = 8,
  list = 9,
  set = 10,
  map = 11,
  struct_ = 12,
};

class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void struct_begin() { last_ids_.push_back(0); }
  void struct_end() {
    out_.push_back(0);
    last_ids_.pop_back();
  }

  void field_i32(int16_t id, int32_t v) {
    field_header(id, CType::i32);
    varint(zigzag(v));
  }
  void field_i64(int16_t id, int64_t v) {
    field_header(id, CType::i64);
    varint(zigzag(v));
  }
  void field_i8(int16_t id, int8_t v) {
    field_header(id, CType::i8);
    out_.push_back(static_cast<char>(v));
  }
  void field_bool(int16_t id, bool v) {
    field_header(id, v ? CType::bool_true : CType::bool_false);
  }
  void field_binary(int16_t id, std::string_view v) {
    field_header(id, CType::binary);
    binary(v);
  }
  // Starts a nested struct field: call struct_begin()-equivalent bookkeeping; end with
  // struct_end().
  void field_struct_begin(int16_t id) {
    field_header(id, CType::struct_);
    struct_begin();
  }
  // Starts a list field; then write `size` elements with the element functions below.
  void field_list_begin(int16_t id, CType element, size_t size) {
    field_header(id, CType::list);
    list_header(element, size);
  }

  // List elements.
  void element_i32(int32_t v) { varint(zigzag(v)); }
  void element_i64(int64_t v) { varint(zigzag(v)); }
  void element_binary(std::string_view v) { binary(v); }
  void element_struct_begin() { struct_begin(); }

 private:
  static uint64_t zigzag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void binary(std::string_view v) {
    varint(v.size());
    out_.append(v);
  }
  void list_header(CType element, size_t size) {
    if (size <= 14) {
      out_.push_back(static_cast<char>((size << 4) | static_cast<uint8_t>(element)));
    } else {
      out_.push_back(static_cast<char>(0xf0 | static_cast<uint8_t>(element)));
      varint(size);
    }
  }
  void field_header(int16_t id, CType type) {
    int16_t& last = last_ids_.back();
    int delta = id - last;
    if (delta >= 1 && delta <= 15) {
      out_.push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
    } else {
      out_.push_back(static_cast<char>(type));
      varint(zigzag(id));
    }
    last = id;
  }

  std::string& out_;
  std::vector<int16_t> last_ids_;
};

}  // namespace sl::parquet::thrift
