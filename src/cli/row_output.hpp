// Printing RecordBatch rows for the CLI: JSON lines or CSV, nested values as JSON
// (struct → object with the field names, list → array, map → object whose keys are the map's keys,
// a key that is not a string written as its JSON text: {"5": ...}).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "columnar/cell_text.hpp"
#include "columnar/column.hpp"

namespace sl::cli {

enum class RowFormat { json, csv };

// One cell as JSON or CSV text: columnar/cell_text.hpp.
using columnar::cell_json;
using columnar::csv_cell;
using columnar::type_label;

// Prints rows [0, min(batch rows, max_rows)) and returns how many were printed.
size_t print_rows(const columnar::RecordBatch& batch, RowFormat format, size_t max_rows);
void print_csv_header(const std::vector<std::string>& names);

std::vector<std::string> split_list(const std::string& text);

}  // namespace sl::cli
