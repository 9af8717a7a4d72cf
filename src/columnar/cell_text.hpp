// Cells of record batches as text: JSON values (numbers as numbers; dates, timestamps and
// decimals as strings; binary as hex; nested values as objects and arrays; a map's keys as
// object keys, a key that is not a string written as its JSON text: {"5": ...}) or CSV fields
// (the JSON text, strings bare, quoted when needed).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "columnar/column.hpp"

namespace sl::columnar {

// "int64", "decimal(12,2)", "list<int32>", "struct<a:string>"... (nullability is not shown)
std::string type_label(const Field& field);
nlohmann::json cell_json(const Column& column, size_t row);
std::string csv_cell(const Column& column, size_t row);

// How text cells are written to CSV: as they are, or safe to open in a spreadsheet (a text
// starting with = + - @ tab or CR, which Excel, LibreOffice and Sheets would evaluate as a
// formula, gets a leading ' and quotes; OWASP's advice against CSV injection).
enum class CsvCells { as_is, spreadsheet_safe };

// One row as a JSON object (fields in schema order, struct fields named), or a CSV line.
nlohmann::ordered_json row_json(const RecordBatch& batch, size_t row);
std::string csv_line(const RecordBatch& batch, size_t row, CsvCells cells = CsvCells::as_is);
// Every row as a JSON array of objects.
std::string rows_json(const RecordBatch& batch);
// A header line and every row, RFC 4180 (CRLF line ends).
std::string rows_csv(const RecordBatch& batch, CsvCells cells = CsvCells::as_is);

}  // namespace sl::columnar
