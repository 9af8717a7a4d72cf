// libFuzzer target: the Parquet reader on arbitrary bytes (footer, schema incl. nested and legacy
// list/map layouts, pages, levels, values in every encoding and codec, record assembly) and
// row-group skipping (statistics decoded and compared with a literal of each primitive column),
// page checksums, and the whole-file check of `lake check` (parquet/file_check.hpp). What a
// row group reads is then taken through row selection (columnar::take_rows: `--where`) and
// concatenation (columnar::append_batch: optimize, scans over files) -- the crash sites of nested
// columns -- and every column they return must be well formed.
// Seed it with ../shared/conformance/parquet-testing/data/*.parquet, files of
// sl_parquet_write_fixtures and fuzz/seeds/fuzz_parquet_reader/ (nested columns, nulls at every
// level, written by pyarrow).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch_ops.hpp"
#include "parquet/file_check.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/value_predicate.hpp"

namespace {

// "column <= zero value of its type" for each top-level primitive column.
std::vector<sl::parquet::ValuePredicate> predicates(const sl::parquet::ParquetReader& reader) {
  using sl::columnar::TypeId;
  std::vector<sl::parquet::ValuePredicate> out;
  for (const auto& field : reader.schema()) {
    sl::columnar::Column zero(field.type);
    switch (field.type.id) {
      case TypeId::boolean:
        zero.append_bool(false);
        break;
      case TypeId::int32:
      case TypeId::date32:
        zero.append_i32(0);
        break;
      case TypeId::decimal:
        if (sl::columnar::is_wide_decimal(field.type)) {
          zero.append_i128(0);
          break;
        }
        [[fallthrough]];
      case TypeId::int64:
      case TypeId::timestamp_us:
        zero.append_i64(0);
        break;
      case TypeId::float32:
        zero.append_f32(0);
        break;
      case TypeId::float64:
        zero.append_f64(0);
        break;
      case TypeId::string:
      case TypeId::binary:
        zero.append_string("");
        break;
      default:
        continue;
    }
    out.push_back({field.name, sl::parquet::CompareOp::le, std::move(zero)});
  }
  return out;
}

// A column's buffers agree with its length and type (offsets monotonic and inside their data,
// a struct's children as long as it); traps otherwise.
void check_column(const sl::columnar::Column& c, size_t length) {
  using sl::columnar::TypeId;
  auto require = [](bool ok) {
    if (!ok) __builtin_trap();
  };
  require(c.length == length);
  require(c.validity.empty() || c.validity.size() == length);
  auto check_offsets = [&](size_t end) {
    require(c.offsets.size() == length + 1);
    for (size_t i = 0; i < length; ++i) require(c.offsets[i] <= c.offsets[i + 1]);
    require(c.offsets[length] <= end);
  };
  switch (c.type.id) {
    case TypeId::string:
    case TypeId::binary:
      check_offsets(c.bytes.size());
      break;
    case TypeId::list:
    case TypeId::map:
      require(!c.children.empty());
      for (const auto& child : c.children) require(child.length == c.children[0].length);
      check_offsets(c.children[0].length);
      for (const auto& child : c.children) check_column(child, child.length);
      break;
    case TypeId::struct_:
      for (const auto& child : c.children) check_column(child, length);
      break;
    default:
      break;
  }
}

void check_batch(const sl::columnar::RecordBatch& batch, size_t rows) {
  if (batch.num_rows != rows || batch.columns.size() != batch.schema.size()) __builtin_trap();
  for (const auto& column : batch.columns) check_column(column, rows);
}

// Row selection and concatenation on a batch read from the file: every other row backwards and
// the first again (`--where` keeps rows in any order), then appended to `all` (the batches read
// so far) and to itself.
void select_and_concatenate(const sl::columnar::RecordBatch& batch,
                            std::optional<sl::columnar::RecordBatch>& all) {
  check_batch(batch, batch.num_rows);
  std::vector<uint32_t> rows;
  for (size_t i = batch.num_rows; i >= 2; i -= 2) rows.push_back(static_cast<uint32_t>(i - 1));
  if (batch.num_rows > 0) rows.push_back(0);
  auto taken = sl::columnar::take_rows(batch, rows);
  check_batch(taken, rows.size());
  check_batch(sl::columnar::take_rows(batch, {}), 0);
  auto twice = taken;
  if (sl::columnar::append_batch(twice, taken).ok()) check_batch(twice, 2 * rows.size());
  if (!all) {
    all = batch;
    return;
  }
  const size_t before = all->num_rows;
  if (sl::columnar::append_batch(*all, taken).ok()) check_batch(*all, before + rows.size());
}

// Row groups declaring more level entries than this are skipped: a few bytes of RLE legitimately
// stand for millions of entries, and reading them would only measure memory and time, not find
// bugs (a 1M-row, 4-column group takes a second under ASan, a hundred times a typical input).
constexpr int64_t k_max_entries_per_row_group = int64_t{1} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = sl::parquet::ParquetReader::open_bytes(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.parquet");
  if (!reader) return 0;
  const auto& row_groups = (*reader)->metadata().row_groups;
  const auto filters = predicates(**reader);
  bool every_group_read = true;
  std::optional<sl::columnar::RecordBatch> all;
  for (size_t g = 0; g < row_groups.size(); ++g) {
    bool too_big = row_groups[g].num_rows > k_max_entries_per_row_group;
    int64_t entries = 0;
    for (const auto& chunk : row_groups[g].columns) {
      const int64_t n = chunk.meta_data.num_values;
      if (n < 0 || n > k_max_entries_per_row_group) too_big = true;
      if (!too_big) entries += n;
    }
    if (too_big || entries > k_max_entries_per_row_group) {
      every_group_read = false;
      continue;
    }
    for (const auto& filter : filters) (void)row_group_may_match(**reader, g, {filter});
    auto batch = (*reader)->read_row_group(g);
    if (batch.ok()) select_and_concatenate(*batch, all);
  }
  // The whole-file check (`lake check`): page walk, statistics against values.
  if (every_group_read) (void)sl::parquet::check_file(**reader);
  return 0;
}
