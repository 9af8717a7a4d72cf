// bench_parquet_read FILE.parquet: two full scans with our reader (every row group, every column,
// one thread) in one process; prints "first_seconds second_seconds rows" for
// bench/parquet_read.py. The first scan runs in a fresh process (the allocator gets its memory
// from the kernel, page by page); the second reuses it, as pyarrow's runs after its first do.
// Opening (the file mapped and the footer decoded) is timed too, as pyarrow's read_table
// includes it.
#include <chrono>
#include <cstdio>
#include <optional>

#include "common/memory_tuning.hpp"
#include "parquet/file_reader.hpp"

using namespace sl::parquet;
using namespace sl::columnar;

namespace {

// Seconds of one scan, and its rows; nullopt (after printing why) on a read error.
std::optional<std::pair<double, size_t>> scan(const char* path) {
  auto start = std::chrono::steady_clock::now();
  auto reader = ParquetReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().to_string().c_str());
    return std::nullopt;
  }
  size_t rows = 0;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    auto batch = (*reader)->read_row_group(g);
    if (!batch) {
      std::fprintf(stderr, "%s\n", batch.error().to_string().c_str());
      return std::nullopt;
    }
    rows += batch->num_rows;
  }
  return std::pair{std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   rows};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.parquet\n", argv[0]);
    return 2;
  }
  sl::tune_memory_allocator();  // as the sportlake binary does
  auto first = scan(argv[1]);
  if (!first) return 1;
  auto second = scan(argv[1]);
  if (!second) return 1;
  std::printf("%.6f %.6f %zu\n", first->first, second->first, first->second);
  return 0;
}
