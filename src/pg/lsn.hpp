// Lsn: a PostgreSQL WAL position (64 bits), printed as "16/B374D848".
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace sl::pg {

struct Lsn {
  uint64_t value = 0;
  auto operator<=>(const Lsn&) const = default;

  std::string to_string() const {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%X/%X", static_cast<unsigned>(value >> 32),
                  static_cast<unsigned>(value & 0xffffffffu));
    return buffer;
  }
  static std::optional<Lsn> parse(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size())
      return std::nullopt;
    auto hex = [](std::string_view s, uint64_t& out) {
      if (s.size() > 8) return false;
      out = 0;
      for (char c : s) {
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                         : -1;
        if (d < 0) return false;
        out = out * 16 + static_cast<uint64_t>(d);
      }
      return true;
    };
    uint64_t hi = 0, lo = 0;
    if (!hex(text.substr(0, slash), hi) || !hex(text.substr(slash + 1), lo)) return std::nullopt;
    return Lsn{(hi << 32) | lo};
  }
};

}  // namespace sl::pg
