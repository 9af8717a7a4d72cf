// Repairing double-encoded UTF-8.
#include "lakehouse/text_repair.hpp"

#include <array>
#include <cstdint>
#include <vector>

#include "common/csv_reader.hpp"

namespace sl::lakehouse {

namespace {

// Decodes valid UTF-8 into code points; nullopt when invalid.
std::optional<std::vector<char32_t>> code_points(std::string_view text) {
  if (csv::find_invalid_utf8(text) != std::string_view::npos) return std::nullopt;
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Windows-1252's characters for bytes 0x80-0x9F (0 where the code page defines none).
const std::array<char32_t, 32>& windows1252_high() {
  static const std::array<char32_t, 32> table = [] {
    std::array<char32_t, 32> t{};
    for (int b = 0x80; b < 0xA0; ++b) {
      const std::string byte(1, static_cast<char>(b));
      const std::string utf8 = csv::windows1252_to_utf8(byte);
      auto cps = code_points(utf8);
      if (cps && cps->size() == 1 && (*cps)[0] >= 0x100) t[b - 0x80] = (*cps)[0];
    }
    return t;
  }();
  return table;
}

// The byte a character was read from, when it could be one.
std::optional<unsigned char> original_byte(char32_t cp) {
  if (cp <= 0xFF) return static_cast<unsigned char>(cp);
  const auto& high = windows1252_high();
  for (size_t i = 0; i < high.size(); ++i)
    if (high[i] == cp) return static_cast<unsigned char>(0x80 + i);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> repair_double_encoding(std::string_view text) {
  auto cps = code_points(text);
  if (!cps) return std::nullopt;
  std::string bytes;
  bool multi_byte = false;
  for (char32_t cp : *cps) {
    auto b = original_byte(cp);
    if (!b) return std::nullopt;
    multi_byte |= *b >= 0x80;
    bytes += static_cast<char>(*b);
  }
  if (!multi_byte || csv::find_invalid_utf8(bytes) != std::string::npos) return std::nullopt;
  return bytes;
}

bool looks_double_encoded(std::string_view text) {
  auto cps = code_points(text);
  if (!cps) return false;
  for (size_t i = 0; i + 1 < cps->size(); ++i) {
    const char32_t a = (*cps)[i], b = (*cps)[i + 1];
    const auto continuation = original_byte(b);
    if ((a == U'Ã' || a == U'Â') && continuation && *continuation >= 0x80 && *continuation <= 0xBF)
      return true;
    if (a == U'â' && b == U'€') return true;
  }
  return false;
}

}  // namespace sl::lakehouse
