// CsvReader: RFC 4180 records from text, with the line each record starts on; text encodings.
//
// Grammar: record = field *(delimiter field) (CRLF | LF | end); field = quoted | bare;
// quoted = '"' *(any char but '"' | '""') '"'; a quote inside a bare field is kept as is.
// A quoted field may hold delimiters and newlines. A blank line is skipped (not a record).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sl::csv {

struct Record {
  std::vector<std::string> fields;
  size_t line = 0;      // 1-based physical line where the record starts
  size_t end_line = 0;  // physical line where it ends (> line when a quoted field holds newlines)
};

class CsvReader {
 public:
  // `origin` names the input in error messages ("data_rh.csv").
  CsvReader(std::string_view text, std::string origin, char delimiter = ',');

  // Reads the next record into `record` (reusing its storage). Returns false at the end of the
  // input; an unterminated quoted field is an error naming the line it started on.
  Result<bool> next(Record& record);

  // Discards what the last call to next() read (a record, or the start of an unterminated one)
  // after the end of its first physical line, so that the next call starts on the line after it.
  // An unbalanced quote makes one record of several lines; a caller that rejects the line with
  // the quote reads the lines it swallowed again, as the records they are.
  void restart_after_first_line();
  // The first physical line of what the last call to next() read (without its line break).
  std::string_view last_record_first_line() const;

 private:
  std::string_view text_;
  std::string origin_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_start_ = 0;       // offset of the last record
  size_t record_start_line_ = 1;  // and its line
  char delimiter_;
};

enum class Encoding { utf8, windows1252, mixed };

// The first byte offset of an invalid UTF-8 sequence, or npos when `text` is valid UTF-8.
size_t find_invalid_utf8(std::string_view text);

// What the bytes of a whole file say about its encoding, and the decision drawn from them:
// - valid UTF-8 throughout: utf8;
// - a byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): mixed (UTF-8 with
//   damaged parts; the caller rejects the damaged rows);
// - more bytes that start no valid UTF-8 sequence than valid multi-byte sequences: windows1252
//   (Windows-1252 text forms a valid UTF-8 sequence only by accident, e.g. "Ã©" = C3 A9, so a
//   few such sequences in a file that is mostly not UTF-8 are Windows-1252 too);
// - otherwise mixed.
struct EncodingEvidence {
  Encoding encoding = Encoding::utf8;
  size_t utf8_sequences = 0;     // valid multi-byte UTF-8 sequences
  size_t invalid_sequences = 0;  // bytes >= 0x80 that start no valid UTF-8 sequence
  size_t cp1252_undefined = 0;   // bytes undefined in Windows-1252
  // Byte offsets of the first of each (npos when none).
  size_t first_utf8 = std::string_view::npos;
  size_t first_invalid = std::string_view::npos;
  size_t first_cp1252_undefined = std::string_view::npos;
};
EncodingEvidence examine_encoding(std::string_view bytes);
// examine_encoding(bytes).encoding.
Encoding detect_encoding(std::string_view bytes);
std::string windows1252_to_utf8(std::string_view bytes);
// Strips a UTF-8 byte-order mark.
std::string_view strip_bom(std::string_view text);

}  // namespace sl::csv
