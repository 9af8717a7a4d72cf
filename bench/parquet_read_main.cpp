// bench_parquet_read FILE.parquet: a full scan with our reader (every row group, every column,
// one thread) and prints "seconds rows" for bench/parquet_read.py. Opening (the file read into
// memory and the footer decoded) is timed too, as pyarrow's read_table includes it.
#include <chrono>
#include <cstdio>

#include "common/memory_tuning.hpp"
#include "parquet/file_reader.hpp"

using namespace sl::parquet;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.parquet\n", argv[0]);
    return 2;
  }
  sl::tune_memory_allocator();  // as the sportlake binary does
  auto start = std::chrono::steady_clock::now();
  auto reader = ParquetReader::open(argv[1]);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().to_string().c_str());
    return 1;
  }
  size_t rows = 0;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    auto batch = (*reader)->read_row_group(g);
    if (!batch) {
      std::fprintf(stderr, "%s\n", batch.error().to_string().c_str());
      return 1;
    }
    rows += batch->num_rows;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.6f %zu\n", seconds, rows);
  return 0;
}
