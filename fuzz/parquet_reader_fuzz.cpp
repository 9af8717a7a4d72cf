// libFuzzer target: the Parquet reader on arbitrary bytes (footer, metadata, pages, values).
// Seed it with ../shared/conformance/parquet-testing/data/*.parquet.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parquet/file_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = sl::parquet::ParquetReader::open_bytes(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.parquet");
  if (!reader) return 0;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) (void)(*reader)->read_row_group(g);
  return 0;
}
