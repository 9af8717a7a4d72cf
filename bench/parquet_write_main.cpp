// bench_parquet_write ROWS OUT.parquet [--no-page-checksums]: generates the activity-like table in
// memory (not timed), writes it with our writer (SNAPPY, one thread) and prints "seconds bytes" for
// bench/parquet_write.py. Columns are nullable (without nulls), as in the peers' Arrow table.
// --no-page-checksums leaves PageHeader.crc out (the cost of the CRCs, written and verified on
// read, measured against the same file without them).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "parquet/file_writer.hpp"

using namespace sl::parquet;
using namespace sl::columnar;

int main(int argc, char** argv) {
  const bool no_checksums = argc == 4 && std::string_view(argv[3]) == "--no-page-checksums";
  if (argc != 3 && !no_checksums) {
    std::fprintf(stderr, "usage: %s ROWS OUT.parquet [--no-page-checksums]\n", argv[0]);
    return 2;
  }
  const size_t rows = std::stoull(argv[1]);
  static const char* sports[] = {"Run",       "Hike",        "Swim",         "Ride",   "Tennis",
                                 "Badminton", "TableTennis", "RockClimbing", "Soccer", "Sail",
                                 "Workout",   "Walk",        "Rugby",        "Judo",   "Boxe"};
  RecordBatch b;
  b.schema = {
      {"activity_id", {TypeId::int64}, true},  {"employee_id", {TypeId::int32}, true},
      {"sport_type", {TypeId::string}, true},  {"name", {TypeId::string}, true},
      {"distance_m", {TypeId::float64}, true}, {"start_date_utc", {TypeId::timestamp_us}, true},
      {"commute", {TypeId::boolean}, true}};
  for (const auto& f : b.schema) b.columns.emplace_back(f.type);
  for (auto& c : b.columns) {
    c.i64.reserve(rows);
  }
  for (size_t i = 0; i < rows; ++i) {
    auto n = static_cast<int64_t>(i);
    b.columns[0].append_i64(10000000000LL + n);
    b.columns[1].append_i32(static_cast<int32_t>((n * 7919) % 161 + 10000));
    b.columns[2].append_string(sports[(n * 31) % 15]);
    b.columns[3].append_string("Activité " + std::to_string(n));
    b.columns[4].append_f64(static_cast<double>(n % 20000) * 1.5);
    b.columns[5].append_i64(1700000000000000LL + n * 60000000LL);
    b.columns[6].append_bool(n % 7 == 0);
  }
  b.num_rows = rows;
  std::filesystem::remove(argv[2]);
  auto start = std::chrono::steady_clock::now();
  WriterOptions options;
  options.codec = Codec::snappy;
  options.page_checksums = !no_checksums;
  auto status = write_file(argv[2], b, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status) {
    std::fprintf(stderr, "%s\n", status.error().to_string().c_str());
    return 1;
  }
  std::printf("%.6f %llu\n", seconds,
              static_cast<unsigned long long>(std::filesystem::file_size(argv[2])));
  return 0;
}
