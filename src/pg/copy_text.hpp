// Helpers that write values in COPY's text format (one row a line, tab between fields, \N = NULL).
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace sl::pg {

// Appends `value` as a COPY text field: backslash, tab, newline and carriage return escaped.
inline void append_copy_text(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

// Appends a number in its shortest exact decimal form.
template <class Number>
void append_copy_number(std::string& out, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

constexpr std::string_view k_copy_null = "\\N";

}  // namespace sl::pg
