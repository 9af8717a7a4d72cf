// libFuzzer target: the CSV reader and the encoding helpers on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto evidence = sl::csv::examine_encoding(text);
  // The decision follows from the evidence; the offsets lie inside the input.
  if ((evidence.invalid_sequences == 0) != (evidence.encoding == sl::csv::Encoding::utf8))
    std::abort();
  if (evidence.encoding == sl::csv::Encoding::windows1252 && evidence.cp1252_undefined > 0)
    std::abort();
  for (size_t offset : {evidence.first_utf8, evidence.first_invalid,
                        evidence.first_cp1252_undefined}) {
    if (offset != std::string_view::npos && offset >= size) std::abort();
  }
  if ((evidence.invalid_sequences == 0) != (sl::csv::find_invalid_utf8(text) == std::string_view::npos))
    std::abort();
  (void)sl::csv::windows1252_to_utf8(text);
  // The first byte picks the delimiter; a record spanning lines or an unterminated quote makes
  // the reader restart on the line after the record's first one, as the HR loader does.
  const char delimiter = size > 0 && (data[0] & 1) ? ';' : ',';
  sl::csv::CsvReader reader(text, "fuzz.csv", delimiter);
  sl::csv::Record record;
  size_t last_line = 0;
  for (int i = 0; i < 100000; ++i) {
    auto more = reader.next(record);
    if (more.ok() && !*more) break;
    if (record.line < last_line) std::abort();  // restarts never go back
    last_line = record.line;
    if (more.ok() && record.end_line < record.line) std::abort();
    if (!more.ok() || (record.end_line > record.line && record.fields.size() % 2 == 0))
      reader.restart_after_first_line();
    (void)reader.last_record_first_line();
  }
  return 0;
}
