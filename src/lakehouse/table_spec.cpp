// A table spec's Delta side: the lake field of each column type.
#include "lakehouse/table_spec.hpp"

#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {

columnar::Field lake_field(const ColumnInfo& column) {
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

std::vector<columnar::Field> lake_schema(const TableInfo& table) {
  std::vector<columnar::Field> fields;
  fields.reserve(table.columns.size());
  for (const auto& c : table.columns) fields.push_back(lake_field(c));
  return fields;
}

}  // namespace sl::lakehouse
