// take_rows / append_rows / null_column / append_batch, flat and nested columns.
#include "columnar/batch_ops.hpp"

namespace sl::columnar {

namespace {
template <class T>
void gather(const std::vector<T>& from, std::vector<T>& to, const std::vector<uint32_t>& rows) {
  const size_t at = to.size();
  to.resize(at + rows.size());  // then filled by index: no capacity check per row
  T* out = to.data() + at;
  for (size_t k = 0; k < rows.size(); ++k) out[k] = from[rows[k]];
}
}  // namespace

Column empty_like(const Column& column) {
  Column out(column.type);
  for (const auto& child : column.children) out.children.push_back(empty_like(child));
  return out;
}

namespace {
// Nested columns: the rows copied run by run (consecutive rows in one append_rows call), which
// carries the offsets, validity and children of every level along.
Column take_nested_rows(const Column& c, const std::vector<uint32_t>& rows) {
  Column out = empty_like(c);
  for (size_t k = 0; k < rows.size();) {
    size_t end = k + 1;
    while (end < rows.size() && rows[end] == rows[end - 1] + 1) ++end;
    out.append_rows(c, rows[k], static_cast<size_t>(rows[end - 1]) + 1);
    k = end;
  }
  return out;
}
}  // namespace

namespace {
// Appends the rows of flat column `c` at `rows` to `out` (same type).
void append_taken_rows(Column& out, const Column& c, const std::vector<uint32_t>& rows) {
  if (!c.validity.empty() || !out.validity.empty()) {
    if (out.validity.empty()) out.validity.assign(out.length, 1);
    if (c.validity.empty()) {
      out.validity.insert(out.validity.end(), rows.size(), 1);
    } else {
      gather(c.validity, out.validity, rows);
    }
  }
  out.length += rows.size();
  switch (c.type.id) {
    case TypeId::boolean:
      gather(c.bools, out.bools, rows);
      break;
    case TypeId::int32:
    case TypeId::date32:
      gather(c.i32, out.i32, rows);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      gather(c.i64, out.i64, rows);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(c.type)) {
        gather(c.i128, out.i128, rows);
      } else {
        gather(c.i64, out.i64, rows);
      }
      break;
    case TypeId::float32:
      gather(c.f32, out.f32, rows);
      break;
    case TypeId::float64:
      gather(c.f64, out.f64, rows);
      break;
    case TypeId::string:
    case TypeId::binary: {
      if (out.length == rows.size()) {  // a new column (take_rows): reserved exactly, where
        out.offsets.reserve(rows.size() + 1);  // appending would grow the bytes up to twice
        size_t total = 0;
        for (uint32_t r : rows) total += c.offsets[r + 1] - c.offsets[r];
        out.bytes.reserve(total);
      }  // appended to a held column: grown geometrically (an exact reserve per call copies all)
      for (uint32_t r : rows) {
        out.bytes.append(c.bytes, c.offsets[r], c.offsets[r + 1] - c.offsets[r]);
        out.offsets.push_back(static_cast<uint32_t>(out.bytes.size()));
      }
      break;
    }
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // take_nested_rows
  }
}

// Whether the rows of `from` can be appended to `to`: the same column types and shapes.
Status check_same_shape(const RecordBatch& to, const RecordBatch& from, std::string_view what) {
  if (to.columns.size() != from.columns.size())
    return make_error(Errc::internal, std::string(what) + ": column counts differ");
  for (size_t i = 0; i < to.columns.size(); ++i)
    if (!(to.columns[i].type == from.columns[i].type) ||
        to.columns[i].children.size() != from.columns[i].children.size())
      return make_error(Errc::internal, std::string(what) + ": types differ");
  return {};
}

bool is_nested(const Column& c) {
  return c.type.id == TypeId::struct_ || c.type.id == TypeId::list || c.type.id == TypeId::map;
}
}  // namespace

Column take_rows(const Column& c, const std::vector<uint32_t>& rows) {
  if (is_nested(c)) return take_nested_rows(c, rows);
  Column out(c.type);
  append_taken_rows(out, c, rows);
  return out;
}

Status append_rows(RecordBatch& to, const RecordBatch& from, const std::vector<uint32_t>& rows) {
  if (to.columns.empty() && to.num_rows == 0) {
    to = take_rows(from, rows);
    return {};
  }
  SL_TRY(check_same_shape(to, from, "append_rows"));
  for (size_t i = 0; i < to.columns.size(); ++i) {
    Column& dst = to.columns[i];
    const Column& src = from.columns[i];
    if (is_nested(src)) {
      Column taken = take_nested_rows(src, rows);
      dst.append_rows(taken, 0, taken.length);
    } else {
      append_taken_rows(dst, src, rows);
    }
  }
  to.num_rows += rows.size();
  return {};
}

RecordBatch take_rows(const RecordBatch& batch, const std::vector<uint32_t>& rows) {
  RecordBatch out;
  out.schema = batch.schema;
  out.num_rows = rows.size();
  for (const auto& c : batch.columns) out.columns.push_back(take_rows(c, rows));
  return out;
}

void take_rows_in_place(RecordBatch& batch, const std::vector<uint32_t>& rows) {
  for (auto& c : batch.columns) c = take_rows(c, rows);  // the old column freed before the next
  batch.num_rows = rows.size();
}

Column null_column(const Field& field, size_t length) {
  Column out = Column::for_field(field);
  for (size_t i = 0; i < length; ++i) out.append_null();
  return out;
}

Status append_batch(RecordBatch& to, const RecordBatch& from) {
  if (to.columns.empty() && to.num_rows == 0) {
    to = from;
    return {};
  }
  SL_TRY(check_same_shape(to, from, "append_batch"));
  for (size_t i = 0; i < to.columns.size(); ++i)
    to.columns[i].append_rows(from.columns[i], 0, from.columns[i].length);
  to.num_rows += from.num_rows;
  return {};
}

}  // namespace sl::columnar
