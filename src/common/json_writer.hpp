// JsonWriter: a small streaming JSON writer (compact output, members in call order, no DOM).
//
// Used where the byte layout matters (Delta log lines, Debezium events) and where speed matters:
// values are appended straight to the caller's string. Commas are placed automatically; the
// caller is trusted to balance begin/end (asserted in debug builds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sl {

// Appends `text` as a JSON string literal: quotes, and escapes for `"`, `\` and control
// characters. Bytes ≥ 0x80 are copied as they are (the text is expected to be UTF-8).
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& number(int64_t value);
  JsonWriter& number(double value);  // shortest text that reads back the same; NaN/Inf → null
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already encoded JSON value

  // key + value shorthands.
  JsonWriter& field(std::string_view name, std::string_view value) {
    return key(name).string(value);
  }
  JsonWriter& field(std::string_view name, const char* value) { return key(name).string(value); }
  JsonWriter& field(std::string_view name, int64_t value) { return key(name).number(value); }
  JsonWriter& field(std::string_view name, int value) { return key(name).number(int64_t{value}); }
  JsonWriter& field(std::string_view name, bool value) { return key(name).boolean(value); }

 private:
  void before_value();

  std::string& out_;
  std::vector<bool> has_members_;  // one per open object/array
  bool after_key_ = false;
};

}  // namespace sl
