// bench_parquet_read FILE.parquet [--threads N]: two full scans with our reader (every row group,
// every column; N row groups at a time by read_row_groups on N threads: 1 by default) in one
// process; prints "first_seconds second_seconds rows second_cpu_seconds" for
// bench/parquet_read.py (CPU time of the process during the second scan: steadier than wall time
// on a shared machine, and the cost of the threads). The first scan runs in a fresh process (the
// allocator gets its memory from the kernel, page by page); the second reuses it, as pyarrow's
// runs after its first do. Opening (the file mapped and the footer decoded) is timed too, as
// pyarrow's read_table includes it.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "common/memory_tuning.hpp"
#include "parquet/file_reader.hpp"

using namespace sl::parquet;
using namespace sl::columnar;

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Seconds of one scan, and its rows; nullopt (after printing why) on a read error.
std::optional<std::pair<double, size_t>> scan(const char* path, size_t threads) {
  auto start = std::chrono::steady_clock::now();
  auto reader = ParquetReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().to_string().c_str());
    return std::nullopt;
  }
  (*reader)->set_threads(threads);
  // `threads` row groups at a time, their columns spread over the threads as one list (no wait
  // at the end of each group for its largest column). Not every group at once: holding them all
  // cost 12 % more CPU on one thread (fresh memory) than a group at a time.
  const size_t groups = (*reader)->num_row_groups();
  size_t rows = 0;
  for (size_t first = 0; first < groups; first += threads) {
    std::vector<size_t> window;
    for (size_t g = first; g < std::min(groups, first + threads); ++g) window.push_back(g);
    auto batches = (*reader)->read_row_groups(window);
    if (!batches) {
      std::fprintf(stderr, "%s\n", batches.error().to_string().c_str());
      return std::nullopt;
    }
    for (const auto& batch : *batches) rows += batch.num_rows;
  }
  return std::pair{std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   rows};
}

}  // namespace

int main(int argc, char** argv) {
  size_t threads = 1;
  if (argc == 4 && std::strcmp(argv[2], "--threads") == 0) {
    threads = static_cast<size_t>(std::strtoul(argv[3], nullptr, 10));
  } else if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.parquet [--threads N]\n", argv[0]);
    return 2;
  }
  sl::tune_memory_allocator();  // as the sportlake binary does
  auto first = scan(argv[1], threads);
  if (!first) return 1;
  const double cpu_start = cpu_seconds();
  auto second = scan(argv[1], threads);
  if (!second) return 1;
  std::printf("%.6f %.6f %zu %.6f\n", first->first, second->first, first->second,
              cpu_seconds() - cpu_start);
  return 0;
}
