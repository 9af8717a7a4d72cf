// CompactReader: decoder of the Thrift compact protocol (grammar in thrift_compact.hpp) over a
// bounds-checked cursor, with a nesting limit; unknown fields are skipped whatever their type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_cursor.hpp"
#include "parquet/thrift_compact.hpp"

namespace sl::parquet::thrift {

struct FieldHeader {
  int16_t id = 0;
  CType type = CType::stop;
  bool bool_value = false;  // for bool fields, the value lives in the type nibble
};

struct ListHeader {
  CType element = CType::stop;
  size_t size = 0;
};

class CompactReader {
 public:
  explicit CompactReader(ByteCursor& cursor) : cursor_(cursor) {}

  bool ok() const { return cursor_.ok(); }
  void fail(const std::string& why) { cursor_.fail(why); }

  void struct_begin();
  void struct_end() { last_ids_.pop_back(); }
  // The next field header; type `stop` ends the struct.
  FieldHeader field();
  ListHeader list();

  int32_t i32() { return static_cast<int32_t>(cursor_.zigzag_varint("i32")); }
  int64_t i64() { return cursor_.zigzag_varint("i64"); }
  int8_t i8() { return static_cast<int8_t>(cursor_.u8("i8")); }
  double double_() { return cursor_.fixed_le<double>("double"); }
  std::string_view binary();
  bool element_bool() { return cursor_.u8("bool") == 1; }
  // Skips a value of `type` (nested structs and lists included).
  void skip(CType type);

 private:
  ByteCursor& cursor_;
  std::vector<int16_t> last_ids_;
  int depth_ = 0;
};

}  // namespace sl::parquet::thrift
