// libFuzzer target: the Parquet reader on arbitrary bytes (footer, schema incl. nested and legacy
// list/map layouts, pages, levels, values in every encoding and codec, record assembly) and
// row-group skipping (statistics decoded and compared with a literal of each primitive column),
// page checksums, and the whole-file check of `lake check` (parquet/file_check.hpp).
// Seed it with ../shared/conformance/parquet-testing/data/*.parquet and files of
// sl_parquet_write_fixtures (nested ones included).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
    (void)(*reader)->read_row_group(g);
  }
  // The whole-file check (`lake check`): page walk, statistics against values.
  if (every_group_read) (void)sl::parquet::check_file(**reader);
  return 0;
}
