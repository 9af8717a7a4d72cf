// Delta kernel timings for bench/delta.py (issue 4), measured in-process like the delta-rs peer:
//   bench_delta snapshot TABLE RUNS   one line per run: seconds to load the latest snapshot, files,
//                                     CPU seconds of the process (all threads) during the load
//   bench_delta append TABLE COUNT    one line per commit: ms for write_table of a 1-row batch
//                                     (data file write + fsync, snapshot, commit, and every 10th
//                                     version its checkpoint)
//   bench_delta scan TABLE COLUMNS    one line: seconds to load the latest snapshot and scan the
//                                     comma-separated columns of every file, rows, files
// TABLE is a folder or s3://bucket/prefix (then AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY; bench/s3_scan.py).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "common/memory_tuning.hpp"
#include "delta/footer_cache.hpp"
#include "delta/local_storage.hpp"
#include "delta/s3_storage.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_writer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// A folder or an s3:// table (path-style on the endpoint the environment names).
std::unique_ptr<sl::delta::Storage> open_table(const std::string& table) {
  if (!sl::delta::is_s3_uri(table)) return std::make_unique<sl::delta::LocalStorage>(table);
  sl::delta::S3Options options;
  options.endpoint = env("AWS_ENDPOINT_URL");
  options.path_style = true;
  if (!env("AWS_REGION").empty()) options.region = env("AWS_REGION");
  options.access_key_id = env("AWS_ACCESS_KEY_ID");
  options.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
  auto where = sl::delta::parse_s3_uri(table);
  if (!where.ok()) {
    std::fprintf(stderr, "%s\n", where.error().to_string().c_str());
    std::exit(2);
  }
  return std::make_unique<sl::delta::S3Storage>(options, *where,
                                                std::make_shared<sl::delta::FooterCache>());
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds of the whole process so far (every thread), as Python's time.process_time().
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

int snapshot_runs(const char* table, int runs) {
  sl::delta::LocalStorage storage(table);
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    double cpu_start = process_cpu_seconds();
    auto snapshot = sl::delta::load_snapshot(storage);
    double took = seconds_since(start);
    double cpu = process_cpu_seconds() - cpu_start;
    if (!snapshot.ok()) {
      std::fprintf(stderr, "%s\n", snapshot.error().to_string().c_str());
      return 1;
    }
    std::printf("%.6f %zu %.6f\n", took, snapshot->files.size(), cpu);
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
  auto opened = open_table(table);
  auto& storage = *opened;
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

int scan_run(const char* table, const std::string& columns) {
  auto storage = open_table(table);
  auto start = Clock::now();
  auto snapshot = sl::delta::load_snapshot(*storage);
  if (!snapshot.ok()) {
    std::fprintf(stderr, "%s\n", snapshot.error().to_string().c_str());
    return 1;
  }
  sl::delta::ScanOptions options;
  for (size_t begin = 0; begin <= columns.size();) {
    size_t comma = std::min(columns.find(',', begin), columns.size());
    options.columns.push_back(columns.substr(begin, comma - begin));
    begin = comma + 1;
  }
  size_t rows = 0;
  auto status = sl::delta::scan(*storage, *snapshot, options, [&](sl::columnar::RecordBatch&& b) {
    rows += b.num_rows;
    return true;
  });
  double took = seconds_since(start);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().to_string().c_str());
    return 1;
  }
  std::printf("%.6f %zu %zu\n", took, rows, snapshot->files.size());
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
  if (argc == 4 && std::string(argv[1]) == "scan") return scan_run(argv[2], argv[3]);
  std::fprintf(stderr,
               "usage: bench_delta snapshot TABLE RUNS | append TABLE COUNT | scan TABLE COLUMNS\n");
  return 2;
}
