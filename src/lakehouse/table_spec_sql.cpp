// A table spec as PostgreSQL DDL, COPY text and view columns.
#include "lakehouse/table_spec_sql.hpp"

#include <cmath>

#include "common/civil_time.hpp"
#include "common/decimal_text.hpp"
#include "pg/copy_text.hpp"

namespace sl::lakehouse {

namespace {

constexpr std::string_view k_separator = ", ";

// The published names of the columns `keep` selects, joined by ", ".
template <class Keep>
std::string join_names(const TableInfo& table, Keep keep) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!keep(c)) continue;
    if (!out.empty()) out += k_separator;
    out += c.published_name();
  }
  return out;
}

void append_float8(std::string& out, double value) {
  // to_chars would write "nan"/"inf", which float8 input does not all accept ("-nan").
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
  } else {
    pg::append_copy_number(out, value);  // shortest text that reads back as the same double
  }
}

}  // namespace

std::string_view pg_type(ColumnType type) {
  switch (type) {
    case ColumnType::text:
      return "text";
    case ColumnType::int32:
      return "integer";
    case ColumnType::int64:
      return "bigint";
    case ColumnType::float64:
      return "double precision";
    case ColumnType::boolean:
      return "boolean";
    case ColumnType::date:
      return "date";
    case ColumnType::timestamp:
      return "timestamp";
    case ColumnType::euros:
      return "numeric(12,2)";
  }
  return "text";  // unreachable: every type is listed
}

std::string sql_column_definitions(const TableInfo& table) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!out.empty()) out += k_separator;
    out += c.published_name();
    out += ' ';
    out += pg_type(c.type);
    if (!c.may_be_null) out += " NOT NULL";
    if (!c.pg_check.empty()) {
      out += " CHECK (";
      out += c.pg_check;
      out += ')';
    }
  }
  return out;
}

std::string sql_primary_key(const TableInfo& table) {
  return join_names(table, [](const ColumnInfo& c) { return c.pg_primary_key; });
}

std::string sql_column_list(const TableInfo& table) {
  return join_names(table, [](const ColumnInfo&) { return true; });
}

std::string sql_view_columns(const TableInfo& table) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!c.pg_in_view) continue;
    if (!out.empty()) out += k_separator;
    out += c.published_name();
    if (!c.pg_view_name.empty() && c.pg_view_name != c.published_name()) {
      out += " AS ";
      out += c.pg_view_name;
    }
  }
  return out;
}

void append_copy_cell(std::string& out, ColumnType type, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    out += pg::k_copy_null;
    return;
  }
  switch (type) {
    case ColumnType::text:
      return pg::append_copy_text(out, std::get<std::string_view>(cell));
    case ColumnType::int32:
    case ColumnType::int64:
      return pg::append_copy_number(out, std::get<int64_t>(cell));
    case ColumnType::float64:
      return append_float8(out, std::get<double>(cell));
    case ColumnType::boolean:
      out += std::get<bool>(cell) ? 't' : 'f';
      return;
    case ColumnType::date:
      out += format_date(std::get<int64_t>(cell));
      return;
    case ColumnType::timestamp:
      // "2025-03-01 07:45:00.000000": no zone, as a `timestamp` column reads it.
      out += format_timestamp_us(std::get<int64_t>(cell), ' ', false);
      return;
    case ColumnType::euros:
      // Exact: the cents' decimal text, never through a double.
      out += decimal_text(std::get<int64_t>(cell), 2);
      return;
  }
}

}  // namespace sl::lakehouse
