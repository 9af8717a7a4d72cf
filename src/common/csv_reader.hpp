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
  size_t line = 0;  // 1-based physical line where the record starts
};

class CsvReader {
 public:
  // `origin` names the input in error messages ("data_rh.csv").
  CsvReader(std::string_view text, std::string origin, char delimiter = ',');

  // Reads the next record into `record` (reusing its storage). Returns false at the end of the
  // input; an unterminated quoted field is an error naming the line it started on.
  Result<bool> next(Record& record);

 private:
  std::string_view text_;
  std::string origin_;
  size_t pos_ = 0;
  size_t line_ = 1;
  char delimiter_;
};

enum class Encoding { utf8, windows1252, mixed };

// The first byte offset of an invalid UTF-8 sequence, or npos when `text` is valid UTF-8.
size_t find_invalid_utf8(std::string_view text);
// Classifies raw bytes: valid UTF-8; Windows-1252 (not UTF-8, no valid multi-byte UTF-8 sequence,
// only bytes defined in Windows-1252); otherwise mixed (UTF-8 with damaged parts).
Encoding detect_encoding(std::string_view bytes);
std::string windows1252_to_utf8(std::string_view bytes);
// Strips a UTF-8 byte-order mark.
std::string_view strip_bom(std::string_view text);

}  // namespace sl::csv
