// Row printing shared by `parquet cat` and `lake scan`.
#include "cli/row_output.hpp"

#include <fmt/core.h>

namespace sl::cli {

void print_csv_header(const std::vector<std::string>& names) {
  std::string header;
  for (size_t i = 0; i < names.size(); ++i) header += (i ? "," : "") + names[i];
  fmt::print("{}\n", header);
}

size_t print_rows(const columnar::RecordBatch& batch, RowFormat format, size_t max_rows) {
  size_t n = std::min(batch.num_rows, max_rows);
  for (size_t r = 0; r < n; ++r) {
    if (format == RowFormat::csv)
      fmt::print("{}\n", columnar::csv_line(batch, r));
    else
      fmt::print("{}\n", columnar::row_json(batch, r).dump());
  }
  return n;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace sl::cli
