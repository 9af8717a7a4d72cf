// sl_parquet_write_fixtures OUT_DIR: writes Parquet files covering every type, codec and layout
// the writer supports, plus a manifest of what each holds, for the independent-reader suite
// (tests/parquet/test_writer_interop.py). Values follow formulas the Python side recomputes.
#include <cstdio>
#include <filesystem>
#include <string>

#include "parquet/compression.hpp"
#include "parquet/file_writer.hpp"

using namespace sl::parquet;
using namespace sl::columnar;

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
      {"big_dec", {TypeId::decimal, 38, 10}, true},  // 16-byte FIXED_LEN_BYTE_ARRAY
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
    maybe(b.columns[12], [&](Column& c) {
      __int128 big = 1;
      for (int k = 0; k < 30; ++k) big *= 10;
      c.append_i128((i - 500) * big + i);
    });
  }
  b.num_rows = rows;
  return b;
}

Field named(std::string name, TypeId id, bool nullable = true, std::vector<Field> children = {}) {
  return {std::move(name), {id}, nullable, std::move(children)};
}

// The nested table: lists, structs, maps, nested lists, a Delta-like `add` struct and a list of
// structs, with nulls and empties at every level (formulas mirrored in test_writer_interop.py).
std::vector<Field> nested_schema() {
  Field event = named("element", TypeId::struct_, true,
                      {named("kind", TypeId::string),
                       named("at", TypeId::timestamp_us),
                       {"amount", {TypeId::decimal, 10, 2}, true, {}}});
  return {
      named("id", TypeId::int64, false),
      named("tags", TypeId::list, true, {named("element", TypeId::string)}),
      named("point", TypeId::struct_, true,
            {named("x", TypeId::float64, false), named("y", TypeId::float64),
             named("label", TypeId::string)}),
      named("props", TypeId::map, true,
            {named("key", TypeId::string, false), named("value", TypeId::int64)}),
      named("matrix", TypeId::list, true,
            {named("element", TypeId::list, true, {named("element", TypeId::int32)})}),
      named("add", TypeId::struct_, true,
            {named("path", TypeId::string), named("size", TypeId::int64, false),
             named("partitionValues", TypeId::map, true,
                   {named("key", TypeId::string, false), named("value", TypeId::string)}),
             named("tags", TypeId::map, true,
                   {named("key", TypeId::string, false), named("value", TypeId::string)}),
             named("stats", TypeId::string)}),
      named("events", TypeId::list, true, {event}),
      named("ints", TypeId::list, false, {named("element", TypeId::int32, false)}),
  };
}

RecordBatch nested(size_t rows, size_t first) {
  RecordBatch b;
  b.schema = nested_schema();
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  Column &id = b.columns[0], &tags = b.columns[1], &point = b.columns[2], &props = b.columns[3];
  Column &matrix = b.columns[4], &add = b.columns[5], &events = b.columns[6], &ints = b.columns[7];
  for (size_t r = first; r < first + rows; ++r) {
    auto i = static_cast<int64_t>(r);
    id.append_i64(i);
    // tags: null, [], or 1..4 strings with some nulls.
    if (r % 7 == 0) {
      tags.append_null();
    } else {
      for (size_t k = 0; r % 7 != 1 && k < r % 4 + 1; ++k) {
        if ((r + k) % 5 == 0)
          tags.children[0].append_null();
        else
          tags.children[0].append_string("t" + std::to_string(r) + "_" + std::to_string(k));
      }
      tags.end_list();
    }
    // point: null, or {x, y (null every 4th), label (null every 5th)}.
    if (r % 6 == 0) {
      point.append_null();
    } else {
      point.children[0].append_f64(static_cast<double>(i) * 0.5);
      r % 4 == 0 ? point.children[1].append_null()
                 : point.children[1].append_f64(-static_cast<double>(i));
      r % 5 == 0 ? point.children[2].append_null()
                 : point.children[2].append_string("p" + std::to_string(r % 3));
      point.append_struct();
    }
    // props: null, {}, or k0..k{r%3} → r*10+k (null every 4th).
    if (r % 8 == 0) {
      props.append_null();
    } else {
      for (size_t k = 0; r % 8 != 1 && k <= r % 3; ++k) {
        props.children[0].append_string("k" + std::to_string(k));
        (r + k) % 4 == 0 ? props.children[1].append_null()
                         : props.children[1].append_i64(i * 10 + static_cast<int64_t>(k));
      }
      props.end_list();
    }
    // matrix: null, or r%3+1 rows: row 1 null when r is even, row 2 empty, else i+1 cells.
    if (r % 9 == 0) {
      matrix.append_null();
    } else {
      Column& row = matrix.children[0];
      for (size_t k = 0; k < r % 3 + 1; ++k) {
        if (k == 1 && r % 2 == 0) {
          row.append_null();
          continue;
        }
        for (size_t j = 0; k != 2 && j <= k; ++j) {
          if ((r + j) % 11 == 0)
            row.children[0].append_null();
          else
            row.children[0].append_i32(static_cast<int32_t>(r + k + j));
        }
        row.end_list();
      }
      matrix.end_list();
    }
    // add: null every 3rd row (as in a checkpoint's non-add rows).
    if (r % 3 == 0) {
      add.append_null();
    } else {
      add.children[0].append_string("part-" + std::to_string(r) + ".parquet");
      add.children[1].append_i64(i * 100);
      Column& pv = add.children[2];
      char day[16];
      std::snprintf(day, sizeof day, "2024-01-%02zu", r % 28 + 1);
      pv.children[0].append_string("date");
      pv.children[1].append_string(day);
      pv.children[0].append_string("region");
      r % 2 ? pv.children[1].append_null() : pv.children[1].append_string("eu");
      pv.end_list();
      r % 2 ? add.children[3].append_null() : add.children[3].end_list();
      r % 5 == 0 ? add.children[4].append_null()
                 : add.children[4].append_string("{\"numRecords\":" + std::to_string(r) + "}");
      add.append_struct();
    }
    // events: null, or r%3 structs (the second null when r%4 == 0).
    if (r % 10 == 0) {
      events.append_null();
    } else {
      Column& event = events.children[0];
      static const char* kinds[] = {"Run", "Hike", "Swim", "Ride", "Tennis", "Équitation"};
      for (size_t k = 0; k < r % 3; ++k) {
        if (k == 1 && r % 4 == 0) {
          event.append_null();
          continue;
        }
        event.children[0].append_string(kinds[(r + k) % 6]);
        event.children[1].append_i64(1700000000000000LL + i * 1000003 + static_cast<int64_t>(k));
        event.children[2].append_i64(i * 101 - 5000 + static_cast<int64_t>(k));
        event.append_struct();
      }
      events.end_list();
    }
    // ints: required list of required ints, r%5 of them.
    for (size_t k = 0; k < r % 5; ++k) ints.children[0].append_i32(static_cast<int32_t>(r * k));
    ints.end_list();
  }
  b.num_rows = rows;
  return b;
}

using Table = RecordBatch (*)(size_t rows, size_t first);

int write(const std::filesystem::path& path, size_t rows, WriterOptions options, size_t batch = 0,
          Table table = all_types) {
  RecordBatch schema_only = table(0, 0);
  auto writer = ParquetWriter::open(path, schema_only.schema, options);
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().to_string().c_str());
    return 1;
  }
  if (batch == 0) batch = rows == 0 ? 1 : rows;
  for (size_t first = 0; first < rows; first += batch) {
    auto status = (*writer)->write(table(std::min(batch, rows - first), first));
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
  for (bool dictionary : {true, false}) {
    WriterOptions o;
    o.dictionary = dictionary;
    failures += write(out / (std::string("nested_") + (dictionary ? "dict" : "plain") + ".parquet"),
                      3000, o, 0, nested);
  }
  failures += write(out / "nested_many_groups_and_pages.parquet", 20000, small, 3000, nested);
  failures += write(out / "nested_zero_rows.parquet", 0, WriterOptions{}, 0, nested);
  return failures == 0 ? 0 : 1;
}
