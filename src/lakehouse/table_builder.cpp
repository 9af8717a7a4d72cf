// Row-wise construction of record batches.
#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

Field string_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::string}, nullable};
}
Field long_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::int64}, nullable};
}
Field int_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::int32}, nullable};
}
Field double_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::float64}, nullable};
}
Field bool_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::boolean}, nullable};
}
Field date_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::date32}, nullable};
}
Field timestamp_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::timestamp_us}, nullable};
}
Field euros_field(std::string name, bool nullable) {
  return {std::move(name), DataType{TypeId::decimal, 12, 2}, nullable};
}

TableBuilder::TableBuilder(std::vector<Field> fields) : fields_(std::move(fields)) {
  for (const auto& f : fields_) columns_.push_back(columnar::Column::for_field(f));
}

columnar::Column& TableBuilder::next(TypeId expected) {
  static columnar::Column sink;  // absorbs values after a mistake; end_row() reports it
  if (cursor_ >= columns_.size() || columns_[cursor_].type.id != expected) {
    broken_ = true;
    sink = columnar::Column(DataType{expected});
    return sink;
  }
  return columns_[cursor_++];
}

TableBuilder& TableBuilder::text(std::optional<std::string_view> v) {
  auto& c = next(TypeId::string);
  v ? c.append_string(*v) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::long_(std::optional<int64_t> v) {
  auto& c = next(TypeId::int64);
  v ? c.append_i64(*v) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::int_(std::optional<int32_t> v) {
  auto& c = next(TypeId::int32);
  v ? c.append_i32(*v) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::double_(std::optional<double> v) {
  auto& c = next(TypeId::float64);
  v ? c.append_f64(*v) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::boolean(std::optional<bool> v) {
  auto& c = next(TypeId::boolean);
  v ? c.append_bool(*v) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::date(std::optional<int32_t> days) {
  auto& c = next(TypeId::date32);
  days ? c.append_i32(*days) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::timestamp(std::optional<int64_t> micros) {
  auto& c = next(TypeId::timestamp_us);
  micros ? c.append_i64(*micros) : c.append_null();
  return *this;
}
TableBuilder& TableBuilder::euros(std::optional<int64_t> cents) {
  auto& c = next(TypeId::decimal);
  cents ? c.append_i64(*cents) : c.append_null();
  return *this;
}

bool TableBuilder::end_row() {
  if (cursor_ != columns_.size()) broken_ = true;
  cursor_ = 0;
  ++rows_;
  return !broken_;
}

columnar::RecordBatch TableBuilder::take() {
  columnar::RecordBatch batch;
  batch.schema = fields_;
  batch.columns = std::move(columns_);
  batch.num_rows = rows_;
  columns_.clear();
  for (const auto& f : fields_) columns_.push_back(columnar::Column::for_field(f));
  rows_ = 0;
  return batch;
}

}  // namespace sl::lakehouse
