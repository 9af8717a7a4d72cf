// RFC 4180 reader and the UTF-8 / Windows-1252 helpers used for input files.
#include "common/csv_reader.hpp"

#include <algorithm>
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
  record_start_ = pos_;
  record_start_line_ = line_;
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
    record.end_line = line_;
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

std::string_view CsvReader::last_record_first_line() const {
  std::string_view line = text_.substr(record_start_);
  line = line.substr(0, line.find('\n'));
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

void CsvReader::restart_after_first_line() {
  size_t newline = text_.find('\n', record_start_);
  pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
  line_ = record_start_line_ + 1;
}

namespace {

// The length of the valid UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0 when none does
// (bad lead byte, truncated, overlong, surrogate, beyond U+10FFFF).
size_t utf8_sequence_length(const uint8_t* s, size_t n, size_t i) {
  uint8_t c = s[i];
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
    return 0;
  }
  if (i + len > n) return 0;
  uint32_t cp = c & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

// The first index from `i` on whose byte is not ASCII (n when none); 8 bytes at a time.
size_t skip_ascii(const uint8_t* s, size_t n, size_t i) {
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, s + i, 8);
    if ((word & 0x8080808080808080ull) != 0) break;
  }
  while (i < n && s[i] < 0x80) ++i;
  return i;
}

}  // namespace

size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  for (size_t i = skip_ascii(s, n, 0); i < n; i = skip_ascii(s, n, i)) {
    size_t len = utf8_sequence_length(s, n, i);
    if (len == 0) return i;
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

bool undefined_in_cp1252(uint8_t b) {
  return b >= 0x80 && b <= 0x9f && k_cp1252_high[b - 0x80] == 0;
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

EncodingEvidence examine_encoding(std::string_view bytes) {
  EncodingEvidence e;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  for (size_t i = skip_ascii(s, n, 0); i < n; i = skip_ascii(s, n, i)) {
    size_t len = utf8_sequence_length(s, n, i);
    for (size_t k = i; k < i + std::max<size_t>(len, 1); ++k) {
      if (undefined_in_cp1252(s[k]) && e.cp1252_undefined++ == 0) e.first_cp1252_undefined = k;
    }
    if (len == 0) {
      if (e.invalid_sequences++ == 0) e.first_invalid = i;
      ++i;
    } else {
      if (e.utf8_sequences++ == 0) e.first_utf8 = i;
      i += len;
    }
  }
  if (e.invalid_sequences == 0) {
    e.encoding = Encoding::utf8;
  } else if (e.cp1252_undefined > 0) {
    e.encoding = Encoding::mixed;  // a byte Windows-1252 does not define: damaged UTF-8
  } else if (e.invalid_sequences > e.utf8_sequences) {
    // Windows-1252 text forms a valid UTF-8 sequence only by accident ("Ã©" is C3 A9): when the
    // bytes that cannot be UTF-8 outnumber those that can, the file is Windows-1252 throughout.
    e.encoding = Encoding::windows1252;
  } else {
    e.encoding = Encoding::mixed;
  }
  return e;
}

Encoding detect_encoding(std::string_view bytes) {
  return examine_encoding(bytes).encoding;
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
