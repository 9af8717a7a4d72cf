// collect_stats and StatsCollector: min/max/null counts of a file's rows, encoded as Delta stats
// JSON.
#include "delta/stats.hpp"

#include <cmath>

#include "columnar/batch_ops.hpp"

#include "common/civil_time.hpp"
#include "common/decimal_text.hpp"
#include "common/json_writer.hpp"
#include "parquet/value_predicate.hpp"

namespace sl::delta {

namespace {

using columnar::Column;
using columnar::TypeId;

// Min/max of one column over a row range, encoded as JSON values (empty: none to write).
struct Bounds {
  std::string min;
  std::string max;
  int64_t null_count = 0;
};

// Number of bytes of the first `chars` UTF-8 characters of `s` (all of it if shorter).
size_t utf8_prefix_bytes(std::string_view s, size_t chars) {
  size_t i = 0;
  for (size_t n = 0; i < s.size() && n < chars; ++n) {
    auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return std::min(i, s.size());
}

template <class T, class Encode>
void numeric_bounds(const std::vector<T>& values, const Column& c, size_t begin, size_t end,
                    Bounds& out, Encode encode) {
  if (c.validity.empty()) {
    // No nulls (most columns): a plain min/max over the values, which the compiler vectorises
    // (the loop below, with its optional and validity test per value, was 1.5 % of the full
    // refresh).
    if (begin == end) return;
    T lo = values[begin], hi = values[begin];
    bool finite = true;
    for (size_t i = begin; i < end; ++i) {
      const T v = values[i];
      if constexpr (std::is_floating_point_v<T>) finite &= std::isfinite(v);
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    if (!finite) return;  // NaN/Inf: Spark writes no bounds for such a column
    out.min = encode(lo);
    out.max = encode(hi);
    return;
  }
  std::optional<T> lo, hi;
  for (size_t i = begin; i < end; ++i) {
    if (!c.is_valid(i)) continue;
    T v = values[i];
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(v)) return;  // NaN/Inf: Spark writes no bounds for such a column
    }
    if (!lo || v < *lo) lo = v;
    if (!hi || v > *hi) hi = v;
  }
  if (lo) {
    out.min = encode(*lo);
    out.max = encode(*hi);
  }
}

Bounds column_bounds(const Column& c, size_t begin, size_t end, const StatsOptions& options) {
  Bounds b;
  if (!c.validity.empty())
    for (size_t i = begin; i < end; ++i) b.null_count += !c.is_valid(i);
  auto json_of = [](auto v) {
    std::string s;
    JsonWriter(s).number(v);
    return s;
  };
  switch (c.type.id) {
    case TypeId::int32:
      numeric_bounds(c.i32, c, begin, end, b, [&](int32_t v) { return json_of(int64_t{v}); });
      break;
    case TypeId::int64:
      numeric_bounds(c.i64, c, begin, end, b, [&](int64_t v) { return json_of(v); });
      break;
    case TypeId::float32:
      numeric_bounds(c.f32, c, begin, end, b,
                     [&](float v) { return json_of(static_cast<double>(v)); });
      break;
    case TypeId::float64:
      numeric_bounds(c.f64, c, begin, end, b, [&](double v) { return json_of(v); });
      break;
    case TypeId::decimal:
      if (columnar::is_wide_decimal(c.type)) {
        numeric_bounds(c.i128, c, begin, end, b,
                       [&](__int128 v) { return decimal_text(v, c.type.scale); });
      } else {
        numeric_bounds(c.i64, c, begin, end, b,
                       [&](int64_t v) { return decimal_text(v, c.type.scale); });
      }
      break;
    case TypeId::date32:
      numeric_bounds(c.i32, c, begin, end, b, [](int32_t v) {
        std::string s;
        append_json_string(s, format_date(v));
        return s;
      });
      break;
    case TypeId::timestamp_us:
      numeric_bounds(c.i64, c, begin, end, b, [](int64_t v) {
        std::string s;
        append_json_string(s, format_timestamp_ms(v));
        return s;
      });
      break;
    case TypeId::string: {
      std::optional<std::string_view> lo, hi;
      for (size_t i = begin; i < end; ++i) {
        if (!c.is_valid(i)) continue;
        auto v = c.string_at(i);
        if (!lo || v < *lo) lo = v;
        if (!hi || v > *hi) hi = v;
      }
      if (lo) {
        // A prefix of the minimum is still a lower bound; a truncated maximum is not an upper
        // bound, so a long maximum is left out.
        append_json_string(b.min,
                           lo->substr(0, utf8_prefix_bytes(*lo, options.string_prefix_chars)));
        if (utf8_prefix_bytes(*hi, options.string_prefix_chars) == hi->size()) {
          append_json_string(b.max, *hi);
        }
      }
      break;
    }
    default:
      break;  // boolean, binary, nested: null counts only
  }
  return b;
}

// The stats of one column: a struct's are its fields' (nested objects in minValues, maxValues
// and nullCount, as Spark writes them); a list or map has a null count only.
struct ColumnStats {
  Bounds bounds;
  bool is_struct = false;
  // Names and stats side by side: a pair holding ColumnStats, incomplete here, does not compile
  // with clang 14 (the fuzz preset); a vector of it does.
  std::vector<std::string> names;
  std::vector<ColumnStats> fields;
};

// `leaves_left`: the leaf columns still to index (a struct's fields count one by one).
ColumnStats column_stats(const columnar::Field& field, const Column& c, size_t begin, size_t end,
                         const StatsOptions& options, size_t& leaves_left) {
  ColumnStats out;
  if (c.type.id != TypeId::struct_) {
    --leaves_left;
    out.bounds = column_bounds(c, begin, end, options);
    return out;
  }
  out.is_struct = true;
  for (size_t k = 0; k < c.children.size() && k < field.children.size() && leaves_left > 0; ++k) {
    out.names.push_back(field.children[k].name);
    out.fields.push_back(
        column_stats(field.children[k], c.children[k], begin, end, options, leaves_left));
  }
  return out;
}

enum class Section { min, max, null_count };

bool has_value(const ColumnStats& s, Section section) {
  if (section == Section::null_count) return true;
  if (!s.is_struct) return !(section == Section::min ? s.bounds.min : s.bounds.max).empty();
  for (const auto& f : s.fields) {
    if (has_value(f, section)) return true;
  }
  return false;
}

void write_stats(JsonWriter& w, std::string_view name, const ColumnStats& s, Section section) {
  if (!has_value(s, section)) return;
  w.key(name);
  if (s.is_struct) {
    w.begin_object();
    for (size_t k = 0; k < s.fields.size(); ++k) write_stats(w, s.names[k], s.fields[k], section);
    w.end_object();
  } else if (section == Section::null_count) {
    w.number(s.bounds.null_count);
  } else {
    w.raw(section == Section::min ? s.bounds.min : s.bounds.max);
  }
}

// One typed stats value as collect_stats encodes it; false (nothing written) for a null, a
// non-finite float or a type without bounds.
bool write_parsed_value(JsonWriter& w, const Column& c, size_t i) {
  if (!c.is_valid(i)) return false;
  switch (c.type.id) {
    case TypeId::int32:
      w.number(int64_t{c.i32[i]});
      return true;
    case TypeId::int64:
      w.number(c.i64[i]);
      return true;
    case TypeId::float32:
    case TypeId::float64: {
      double v = c.type.id == TypeId::float32 ? double{c.f32[i]} : c.f64[i];
      if (!std::isfinite(v)) return false;
      w.number(v);
      return true;
    }
    case TypeId::decimal:
      w.raw(columnar::is_wide_decimal(c.type) ? decimal_text(c.i128[i], c.type.scale)
                                              : decimal_text(c.i64[i], c.type.scale));
      return true;
    case TypeId::date32:
      w.string(format_date(c.i32[i]));
      return true;
    case TypeId::timestamp_us:
      w.string(format_timestamp_ms(c.i64[i]));
      return true;
    case TypeId::string:
      w.string(c.string_at(i));
      return true;
    default:
      return false;
  }
}

// The leaf types column_bounds writes bounds for.
bool has_bounds(TypeId id) {
  switch (id) {
    case TypeId::int32:
    case TypeId::int64:
    case TypeId::float32:
    case TypeId::float64:
    case TypeId::decimal:
    case TypeId::date32:
    case TypeId::timestamp_us:
    case TypeId::string:
      return true;
    default:
      return false;
  }
}

bool finite_at(const Column& c, size_t i) {
  if (c.type.id == TypeId::float32) return std::isfinite(c.f32[i]);
  if (c.type.id == TypeId::float64) return std::isfinite(c.f64[i]);
  return true;
}

// Whether `c` (a leaf or a struct of them) has a value to write at row i.
bool parsed_has_value(const Column& c, size_t i) {
  if (!c.is_valid(i)) return false;
  if (c.type.id != TypeId::struct_) return has_bounds(c.type.id) && finite_at(c, i);
  for (const auto& child : c.children) {
    if (parsed_has_value(child, i)) return true;
  }
  return false;
}

// A minValues/maxValues/nullCount struct at row i as a JSON object (its nested structs too).
void write_parsed_object(JsonWriter& w, const columnar::Field& field, const Column& c, size_t i) {
  w.begin_object();
  for (size_t k = 0; k < c.children.size() && k < field.children.size(); ++k) {
    const Column& child = c.children[k];
    if (!parsed_has_value(child, i)) continue;
    w.key(field.children[k].name);
    if (child.type.id == TypeId::struct_) {
      write_parsed_object(w, field.children[k], child, i);
    } else {
      write_parsed_value(w, child, i);
    }
  }
  w.end_object();
}

}  // namespace

std::optional<std::string> stats_json_from_parsed(const columnar::Field& stats_parsed,
                                                  const columnar::Column& column, size_t row) {
  if (column.type.id != TypeId::struct_ || !column.is_valid(row)) return std::nullopt;
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (size_t k = 0; k < column.children.size() && k < stats_parsed.children.size(); ++k) {
    const auto& name = stats_parsed.children[k].name;
    const Column& child = column.children[k];
    if (name == "numRecords" && (child.type.id == TypeId::int64 || child.type.id == TypeId::int32)) {
      if (write_parsed_value(w.key(name), child, row)) continue;
      w.null();  // a null numRecords: unknown, as in JSON stats
    } else if ((name == "minValues" || name == "maxValues" || name == "nullCount") &&
               child.type.id == TypeId::struct_ && child.is_valid(row)) {
      write_parsed_object(w.key(name), stats_parsed.children[k], child, row);
    }
  }
  w.end_object();
  return out;
}

namespace {

size_t indexed_leaves(const StatsOptions& options) {
  return options.num_indexed_cols < 0 ? SIZE_MAX : static_cast<size_t>(options.num_indexed_cols);
}

std::string stats_json(const std::vector<columnar::Field>& schema,
                       const std::vector<ColumnStats>& stats, size_t num_records) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("numRecords", static_cast<int64_t>(num_records));
  for (auto [name, section] : {std::pair{"minValues", Section::min},
                               std::pair{"maxValues", Section::max},
                               std::pair{"nullCount", Section::null_count}}) {
    w.key(name).begin_object();
    for (size_t i = 0; i < stats.size(); ++i) write_stats(w, schema[i].name, stats[i], section);
    w.end_object();
  }
  w.end_object();
  return out;
}

// A 2-row column whose row 0 holds the smallest and row 1 the largest present value of `c` in
// [begin, end) (a struct: each field's own, independently), so that column_bounds over it gives
// the bounds of the whole range. A non-finite float takes both rows: column_bounds then writes no
// bounds, as for the range, and every later merge keeps it. Nulls when no value is present.
Column extremes(const columnar::Field& field, const Column& c, size_t begin, size_t end) {
  if (c.type.id == TypeId::struct_) {
    Column out = columnar::null_column(field, 2);
    for (size_t k = 0; k < c.children.size() && k < out.children.size(); ++k)
      out.children[k] = extremes(field.children[k], c.children[k], begin, end);
    return out;
  }
  if (!has_bounds(c.type.id)) return columnar::null_column(field, 2);
  std::optional<size_t> lo, hi;
  for (size_t i = begin; i < end; ++i) {
    if (!c.is_valid(i)) continue;
    if (!finite_at(c, i)) {
      return columnar::take_rows(c, {static_cast<uint32_t>(i), static_cast<uint32_t>(i)});
    }
    // Strictly smaller / larger: the first of equal values is kept, as column_bounds does.
    if (!lo || parquet::compare_values(c, i, c, *lo) < 0) lo = i;
    if (!hi || parquet::compare_values(c, i, c, *hi) > 0) hi = i;
  }
  if (!lo) return columnar::null_column(field, 2);
  return columnar::take_rows(c, {static_cast<uint32_t>(*lo), static_cast<uint32_t>(*hi)});
}

// Adds the null counts of the indexed leaves of `c` to `counts` from index `leaf` on, in the
// order column_stats visits them.
void count_leaf_nulls(const columnar::Field& field, const Column& c, size_t& leaves_left,
                      std::vector<int64_t>& counts, size_t& leaf) {
  if (c.type.id != TypeId::struct_) {
    --leaves_left;
    if (counts.size() <= leaf) counts.resize(leaf + 1, 0);
    counts[leaf++] += static_cast<int64_t>(c.null_count());
    return;
  }
  for (size_t k = 0; k < c.children.size() && k < field.children.size() && leaves_left > 0; ++k)
    count_leaf_nulls(field.children[k], c.children[k], leaves_left, counts, leaf);
}

void set_leaf_null_counts(ColumnStats& stats, const std::vector<int64_t>& counts, size_t& leaf) {
  if (!stats.is_struct) {
    stats.bounds.null_count = leaf < counts.size() ? counts[leaf] : 0;
    ++leaf;
    return;
  }
  for (auto& f : stats.fields) set_leaf_null_counts(f, counts, leaf);
}

}  // namespace

std::string collect_stats(const columnar::RecordBatch& batch, size_t begin, size_t end,
                          const StatsOptions& options) {
  size_t leaves_left = indexed_leaves(options);
  std::vector<ColumnStats> stats;
  for (size_t i = 0; i < batch.columns.size() && leaves_left > 0; ++i)
    stats.push_back(
        column_stats(batch.schema[i], batch.columns[i], begin, end, options, leaves_left));
  return stats_json(batch.schema, stats, end - begin);
}

StatsCollector::StatsCollector(std::vector<columnar::Field> schema, StatsOptions options)
    : options_(options) {
  for (const auto& f : schema) extremes_.columns.push_back(columnar::null_column(f, 2));
  extremes_.schema = std::move(schema);
  extremes_.num_rows = 2;
}

void StatsCollector::add(const columnar::RecordBatch& batch) {
  size_t leaves_left = indexed_leaves(options_);
  size_t leaf = 0;
  for (size_t i = 0; i < batch.columns.size() && i < extremes_.columns.size(); ++i) {
    // The kept extremes and the batch's, then the extremes of those four rows.
    Column& kept = extremes_.columns[i];
    const auto& field = extremes_.schema[i];
    kept.append_rows(extremes(field, batch.columns[i], 0, batch.num_rows), 0, 2);
    kept = extremes(field, kept, 0, 4);
    if (leaves_left > 0) count_leaf_nulls(field, batch.columns[i], leaves_left, null_counts_, leaf);
  }
  rows_ += batch.num_rows;
}

std::string StatsCollector::json() const {
  size_t leaves_left = indexed_leaves(options_);
  std::vector<ColumnStats> stats;
  for (size_t i = 0; i < extremes_.columns.size() && leaves_left > 0; ++i)
    stats.push_back(
        column_stats(extremes_.schema[i], extremes_.columns[i], 0, 2, options_, leaves_left));
  size_t leaf = 0;
  for (auto& s : stats) set_leaf_null_counts(s, null_counts_, leaf);
  return stats_json(extremes_.schema, stats, rows_);
}

}  // namespace sl::delta
