// RFC 4180 reader and the UTF-8 / Windows-1252 helpers used for input files.
#include "common/csv_reader.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace sl::csv {

CsvReader::CsvReader(std::string_view text, std::string origin, char delimiter)
    : text_(strip_bom(text)), origin_(std::move(origin)), delimiter_(delimiter) {}

Result<bool> CsvReader::next(Record& record) {
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;

  record.line = line_;
  size_t used = 0;
  auto next_field = [&]() -> std::string& {
    if (used == record.fields.size()) record.fields.emplace_back();
    std::string& field = record.fields[used++];
    field.clear();
    return field;
  };

  for (;;) {
    std::string& field = next_field();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      size_t quote_line = line_;
      ++pos_;
      for (;;) {
        size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) {
          return make_error(Errc::parse, origin_ + ":" + std::to_string(quote_line) +
                                             ": unterminated quoted field");
        }
        for (size_t i = pos_; i < quote; ++i) {
          if (text_[i] == '\n') ++line_;
        }
        field.append(text_.substr(pos_, quote - pos_));
        pos_ = quote + 1;
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      // Characters between the closing quote and the delimiter are kept (lenient, like pandas).
      while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        field.push_back(text_[pos_++]);
      }
    } else {
      size_t end = pos_;
      while (end < text_.size() && text_[end] != delimiter_ && text_[end] != '\n' &&
             text_[end] != '\r')
        ++end;
      field.assign(text_.substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ < text_.size() && text_[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    // End of record: CRLF, LF, lone CR, or end of input.
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  record.fields.resize(used);
  return true;
}

size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {
// Windows-1252 code points for bytes 0x80..0x9f (0 = undefined).
constexpr std::array<uint16_t, 32> k_cp1252_high = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

bool has_valid_multibyte_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (s[i] >= 0xc2 && s[i] <= 0xf4 &&
        find_invalid_utf8(text.substr(i, std::min<size_t>(4, text.size() - i))) != 0) {
      return true;
    }
  }
  return false;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}
}  // namespace

Encoding detect_encoding(std::string_view bytes) {
  if (find_invalid_utf8(bytes) == std::string_view::npos) return Encoding::utf8;
  if (has_valid_multibyte_utf8(bytes)) return Encoding::mixed;
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    if (b >= 0x80 && b <= 0x9f && k_cp1252_high[b - 0x80] == 0) return Encoding::mixed;
  }
  return Encoding::windows1252;
}

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else if (b < 0xa0) {
      uint16_t cp = k_cp1252_high[b - 0x80];
      append_utf8(out, cp == 0 ? 0xfffd : cp);
    } else {
      append_utf8(out, b);  // Latin-1 range maps to the same code point
    }
  }
  return out;
}

std::string_view strip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

}  // namespace sl::csv
