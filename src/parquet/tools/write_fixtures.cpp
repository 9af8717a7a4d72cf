// sl_parquet_write_fixtures OUT_DIR: writes Parquet files covering every type, codec and layout
// the writer supports, plus a manifest of what each holds, for the independent-reader suite
// (tests/parquet/test_writer_interop.py). Values follow formulas the Python side recomputes.
#include <cstdio>
#include <filesystem>
#include <string>

#include "parquet/compression.hpp"
#include "parquet/file_writer.hpp"

using namespace sl::parquet;

namespace {

// Row i of the "all types" table; every 5th row of a nullable column is null.
RecordBatch all_types(size_t rows, size_t first) {
  RecordBatch b;
  b.schema = {
      {"id", {TypeId::int64}, false},
      {"i32", {TypeId::int32}, true},
      {"f32", {TypeId::float32}, true},
      {"f64", {TypeId::float64}, true},
      {"flag", {TypeId::boolean}, true},
      {"name", {TypeId::string}, true},
      {"sport", {TypeId::string}, true},
      {"blob", {TypeId::binary}, true},
      {"day", {TypeId::date32}, true},
      {"ts", {TypeId::timestamp_us}, true},
      {"amount", {TypeId::decimal, 12, 2}, true},
      {"small_dec", {TypeId::decimal, 5, 3}, true},
  };
  for (const auto& f : b.schema) b.columns.emplace_back(f.type);
  static const char* sports[] = {"Run", "Hike", "Swim", "Ride", "Tennis", "Équitation"};
  for (size_t r = first; r < first + rows; ++r) {
    auto i = static_cast<int64_t>(r);
    bool null = r % 5 == 4;
    b.columns[0].append_i64(i);
    auto maybe = [&](Column& c, auto append) { null ? c.append_null() : append(c); };
    maybe(b.columns[1], [&](Column& c) { c.append_i32(static_cast<int32_t>(i * 7 - 1000)); });
    maybe(b.columns[2], [&](Column& c) { c.append_f32(static_cast<float>(i) * 0.5f); });
    maybe(b.columns[3], [&](Column& c) { c.append_f64(static_cast<double>(i) / 3.0 - 10.0); });
    maybe(b.columns[4], [&](Column& c) { c.append_bool(i % 3 == 0); });
    maybe(b.columns[5], [&](Column& c) { c.append_string("name-" + std::to_string(i)); });
    maybe(b.columns[6], [&](Column& c) { c.append_string(sports[r % 6]); });
    maybe(b.columns[7],
          [&](Column& c) { c.append_string(std::string(1 + r % 4, static_cast<char>(r % 256))); });
    maybe(b.columns[8], [&](Column& c) { c.append_i32(static_cast<int32_t>(19000 + i % 1000)); });
    maybe(b.columns[9], [&](Column& c) { c.append_i64(1700000000000000LL + i * 1000003); });
    maybe(b.columns[10], [&](Column& c) { c.append_i64(i * 12345 - 50000); });
    maybe(b.columns[11], [&](Column& c) { c.append_i64(i % 99999); });
  }
  b.num_rows = rows;
  return b;
}

int write(const std::filesystem::path& path, size_t rows, WriterOptions options, size_t batch = 0) {
  RecordBatch schema_only = all_types(0, 0);
  auto writer = ParquetWriter::open(path, schema_only.schema, options);
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().to_string().c_str());
    return 1;
  }
  if (batch == 0) batch = rows == 0 ? 1 : rows;
  for (size_t first = 0; first < rows; first += batch) {
    auto status = (*writer)->write(all_types(std::min(batch, rows - first), first));
    if (!status) {
      std::fprintf(stderr, "%s\n", status.error().to_string().c_str());
      return 1;
    }
  }
  auto closed = (*writer)->close();
  if (!closed) {
    std::fprintf(stderr, "%s\n", closed.error().to_string().c_str());
    return 1;
  }
  std::printf("%s %zu\n", path.filename().c_str(), rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  int failures = 0;
  for (Codec codec :
       {Codec::uncompressed, Codec::snappy, Codec::gzip, Codec::zstd, Codec::lz4_raw}) {
    for (bool dictionary : {true, false}) {
      WriterOptions o;
      o.codec = codec;
      o.dictionary = dictionary;
      std::string name = "all_types_" + std::string(codec_name(codec)) +
                         (dictionary ? "_dict" : "_plain") + ".parquet";
      failures += write(out / name, 5000, o);
    }
  }
  WriterOptions small;
  small.row_group_rows = 7000;
  small.page_size = 4096;
  failures += write(out / "many_groups_and_pages.parquet", 30000, small, 2500);
  failures += write(out / "zero_rows.parquet", 0, WriterOptions{});
  return failures == 0 ? 0 : 1;
}
