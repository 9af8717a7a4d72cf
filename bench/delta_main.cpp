// Delta kernel timings for bench/delta.py (issue 4), measured in-process like the delta-rs peer:
//   bench_delta snapshot TABLE RUNS   one line per run: seconds to load the latest snapshot, files
//   bench_delta append TABLE COUNT    one line per commit: ms for write_table of a 1-row batch
//                                     (data file write + fsync, snapshot, commit, and every 10th
//                                     version its checkpoint)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/memory_tuning.hpp"
#include "delta/local_storage.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_writer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int snapshot_runs(const char* table, int runs) {
  sl::delta::LocalStorage storage(table);
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    auto snapshot = sl::delta::load_snapshot(storage);
    double took = seconds_since(start);
    if (!snapshot.ok()) {
      std::fprintf(stderr, "%s\n", snapshot.error().to_string().c_str());
      return 1;
    }
    std::printf("%.6f %zu\n", took, snapshot->files.size());
  }
  return 0;
}

sl::columnar::RecordBatch one_row(int64_t id) {
  sl::columnar::RecordBatch batch;
  batch.schema = {{"id", {sl::columnar::TypeId::int64}, false},
                  {"sport", {sl::columnar::TypeId::string}, true}};
  batch.columns = {sl::columnar::Column({sl::columnar::TypeId::int64}),
                   sl::columnar::Column({sl::columnar::TypeId::string})};
  batch.columns[0].append_i64(id);
  batch.columns[1].append_string("Run");
  batch.num_rows = 1;
  return batch;
}

int append_runs(const char* table, int count) {
  sl::delta::LocalStorage storage(table);
  for (int i = 0; i < count; ++i) {
    auto batch = one_row(i);
    auto start = Clock::now();
    auto written = sl::delta::write_table(storage, batch);
    double took = seconds_since(start);
    if (!written.ok()) {
      std::fprintf(stderr, "%s\n", written.error().to_string().c_str());
      return 1;
    }
    std::printf("%.3f\n", took * 1000);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sl::tune_memory_allocator();  // as the sportlake binary does
  if (argc == 4 && std::string(argv[1]) == "snapshot") {
    return snapshot_runs(argv[2], std::atoi(argv[3]));
  }
  if (argc == 4 && std::string(argv[1]) == "append")
    return append_runs(argv[2], std::atoi(argv[3]));
  std::fprintf(stderr, "usage: bench_delta snapshot TABLE RUNS | append TABLE COUNT\n");
  return 2;
}
