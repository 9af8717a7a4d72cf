// A table spec's PostgreSQL side: column definitions and primary key for CREATE TABLE, the COPY
// column list and COPY text rows, the view's select list. Names are the published ones
// (ColumnInfo::published_name); types are
//
//   text → text, int32 → integer, int64 → bigint, float64 → double precision, boolean → boolean,
//   date → date, timestamp → timestamp (without time zone: Gold's times are local),
//   euros → numeric(12,2) (cents written exactly: 154700 → 1547.00)
//
// and a column is NOT NULL unless its member can be null (optional, or text whose "" is null).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "lakehouse/table_spec.hpp"

namespace sl::lakehouse {

std::string_view pg_type(ColumnType type);

// "year integer NOT NULL, month integer NOT NULL CHECK (month BETWEEN 1 AND 12), ..."
std::string sql_column_definitions(const TableInfo& table);
// "year, month, sport_type": the primary key's columns in column order.
std::string sql_primary_key(const TableInfo& table);
// "year, month, sport_type, ...": every column, in the order of the COPY rows.
std::string sql_column_list(const TableInfo& table);
// "year AS annee, employee_id AS id_salarie, nom, ...": the columns shown by the table's view.
std::string sql_view_columns(const TableInfo& table);

// One COPY text field in the input syntax of the column's PostgreSQL type, \N for null.
void append_copy_cell(std::string& out, ColumnType type, const Cell& cell);

// One COPY text line per row (fields separated by tabs, in sql_column_list's order).
template <class Row>
void append_copy_rows(std::string& out, const TableSpec<Row>& spec, std::span<const Row> rows) {
  for (const auto& row : rows) {
    for (size_t c = 0; c < spec.access.size(); ++c) {
      if (c) out += '\t';
      append_copy_cell(out, spec.info.columns[c].type, spec.access[c].get(row));
    }
    out += '\n';
  }
}

}  // namespace sl::lakehouse
