// take_rows / null_column / append_batch over flat columns.
#include "columnar/batch_ops.hpp"

namespace sl::columnar {

namespace {
template <class T>
void gather(const std::vector<T>& from, std::vector<T>& to, const std::vector<uint32_t>& rows) {
  to.reserve(rows.size());
  for (uint32_t r : rows) to.push_back(from[r]);
}
}  // namespace

Column take_rows(const Column& c, const std::vector<uint32_t>& rows) {
  Column out(c.type);
  out.length = rows.size();
  if (!c.validity.empty()) gather(c.validity, out.validity, rows);
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
    case TypeId::binary:
      out.offsets.reserve(rows.size() + 1);
      for (uint32_t r : rows) {
        auto v = c.string_at(r);
        out.bytes.append(v);
        out.offsets.push_back(static_cast<uint32_t>(out.bytes.size()));
      }
      break;
    default: {
      // Nested columns: rebuild row by row through the builders is not possible generically;
      // callers only split flat batches (checked by the table writer).
      out.length = 0;
      break;
    }
  }
  return out;
}

RecordBatch take_rows(const RecordBatch& batch, const std::vector<uint32_t>& rows) {
  RecordBatch out;
  out.schema = batch.schema;
  out.num_rows = rows.size();
  for (const auto& c : batch.columns) out.columns.push_back(take_rows(c, rows));
  return out;
}

Column null_column(const DataType& type, size_t length) {
  Column out(type);
  for (size_t i = 0; i < length; ++i) out.append_null();
  return out;
}

Status append_batch(RecordBatch& to, const RecordBatch& from) {
  if (to.columns.empty() && to.num_rows == 0) {
    to = from;
    return {};
  }
  if (to.columns.size() != from.columns.size()) {
    return make_error(Errc::internal, "append_batch: column counts differ");
  }
  for (size_t i = 0; i < to.columns.size(); ++i) {
    Column& dst = to.columns[i];
    const Column& src = from.columns[i];
    if (!(dst.type == src.type)) return make_error(Errc::internal, "append_batch: types differ");
    if (!src.validity.empty() || !dst.validity.empty()) {
      if (dst.validity.empty()) dst.validity.assign(dst.length, 1);
      if (src.validity.empty()) {
        dst.validity.insert(dst.validity.end(), src.length, 1);
      } else {
        dst.validity.insert(dst.validity.end(), src.validity.begin(), src.validity.end());
      }
    }
    dst.bools.insert(dst.bools.end(), src.bools.begin(), src.bools.end());
    dst.i32.insert(dst.i32.end(), src.i32.begin(), src.i32.end());
    dst.i64.insert(dst.i64.end(), src.i64.begin(), src.i64.end());
    dst.i128.insert(dst.i128.end(), src.i128.begin(), src.i128.end());
    dst.f32.insert(dst.f32.end(), src.f32.begin(), src.f32.end());
    dst.f64.insert(dst.f64.end(), src.f64.begin(), src.f64.end());
    if (src.type.id == TypeId::string || src.type.id == TypeId::binary) {
      uint32_t base = static_cast<uint32_t>(dst.bytes.size());
      for (size_t k = 1; k < src.offsets.size(); ++k) dst.offsets.push_back(base + src.offsets[k]);
      dst.bytes += src.bytes;
    }
    dst.length += src.length;
  }
  to.num_rows += from.num_rows;
  return {};
}

}  // namespace sl::columnar
