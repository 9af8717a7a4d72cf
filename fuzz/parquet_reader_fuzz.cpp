// libFuzzer target: the Parquet reader on arbitrary bytes (footer, schema incl. nested and legacy
// list/map layouts, pages, levels, values, record assembly).
// Seed it with ../shared/conformance/parquet-testing/data/*.parquet and files of
// sl_parquet_write_fixtures (nested ones included).
#include <cstddef>
#include <cstdint>
#include <string>

#include "parquet/file_reader.hpp"

namespace {
// Row groups declaring more level entries than this are skipped: a few bytes of RLE legitimately
// stand for millions of entries, and reading them would only measure memory, not find bugs.
constexpr int64_t k_max_entries_per_row_group = int64_t{1} << 22;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = sl::parquet::ParquetReader::open_bytes(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.parquet");
  if (!reader) return 0;
  const auto& row_groups = (*reader)->metadata().row_groups;
  for (size_t g = 0; g < row_groups.size(); ++g) {
    bool too_big = row_groups[g].num_rows > k_max_entries_per_row_group;
    int64_t entries = 0;
    for (const auto& chunk : row_groups[g].columns) {
      const int64_t n = chunk.meta_data.num_values;
      if (n < 0 || n > k_max_entries_per_row_group) too_big = true;
      if (!too_big) entries += n;
    }
    if (too_big || entries > k_max_entries_per_row_group) continue;
    (void)(*reader)->read_row_group(g);
  }
  return 0;
}
