// A table spec's Delta side: lake fields and the cells of record batches.
#include "lakehouse/table_spec.hpp"

#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {

parquet::Field lake_field(const ColumnInfo& column) {
  std::string name(column.name);
  const bool nullable = column.lake_nullable;
  switch (column.type) {
    case ColumnType::text:
      return string_field(std::move(name), nullable);
    case ColumnType::int32:
      return int_field(std::move(name), nullable);
    case ColumnType::int64:
      return long_field(std::move(name), nullable);
    case ColumnType::float64:
      return double_field(std::move(name), nullable);
    case ColumnType::boolean:
      return bool_field(std::move(name), nullable);
    case ColumnType::date:
      return date_field(std::move(name), nullable);
    case ColumnType::timestamp:
      return timestamp_field(std::move(name), nullable);
    case ColumnType::euros:
      return euros_field(std::move(name), nullable);
  }
  return string_field(std::move(name), nullable);  // unreachable: every type is listed
}

std::vector<parquet::Field> lake_schema(const TableInfo& table) {
  std::vector<parquet::Field> fields;
  fields.reserve(table.columns.size());
  for (const auto& c : table.columns) fields.push_back(lake_field(c));
  return fields;
}

void append_cell(parquet::Column& column, ColumnType type, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return column.append_null();
  switch (type) {
    case ColumnType::text:
      return column.append_string(std::get<std::string_view>(cell));
    case ColumnType::int32:
    case ColumnType::date:
      return column.append_i32(static_cast<int32_t>(std::get<int64_t>(cell)));
    case ColumnType::int64:
    case ColumnType::timestamp:
    case ColumnType::euros:
      return column.append_i64(std::get<int64_t>(cell));
    case ColumnType::float64:
      return column.append_f64(std::get<double>(cell));
    case ColumnType::boolean:
      return column.append_bool(std::get<bool>(cell));
  }
}

}  // namespace sl::lakehouse
