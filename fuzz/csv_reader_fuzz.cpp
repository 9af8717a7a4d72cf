// libFuzzer target: the CSV reader and the encoding helpers on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sl::csv::detect_encoding(text);
  (void)sl::csv::windows1252_to_utf8(text);
  sl::csv::CsvReader reader(text, "fuzz.csv");
  sl::csv::Record record;
  for (int i = 0; i < 100000; ++i) {
    auto more = reader.next(record);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
