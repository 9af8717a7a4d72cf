// check_file: verifies a whole Parquet file beyond what a projected read touches — every page of
// every column chunk decoded (its CRC verified where the writer wrote one), the footer's row
// counts, and each flat primitive chunk's statistics against its values.
//
// Steps, per row group (row groups are independent):
// 1. walk each leaf chunk's page headers: count pages and those carrying a crc;
// 2. read each top-level column whole (column_chunk_reader: CRCs, levels, values, row count);
//    a failure is one finding naming the row group, column and page, and the other columns go on;
// 3. for a flat primitive column read without error: the chunk's null_count equals the nulls read,
//    and no value lies outside its trusted min/max (value_predicate.hpp's chunk_bounds).
// Finally the footer's num_rows must be the sum of its row groups'.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"

namespace sl::parquet {

class ParquetReader;

struct FileFinding {
  std::optional<size_t> row_group;  // none: the file as a whole
  std::string column;               // top-level column, or leaf path; empty: the row group
  std::string message;              // what is wrong, naming the page when one is at fault
};

struct FileCheck {
  int64_t rows = 0;  // the footer's num_rows
  size_t row_groups = 0;
  size_t pages = 0;
  size_t pages_with_crc = 0;
  std::vector<FileFinding> findings;  // empty: the file is sound
};

// `on_column(row_group, field, column)` receives each top-level column read without error (the
// caller may check more of its values: Delta's statistics do).
using CheckedColumn = std::function<void(size_t row_group, size_t field, columnar::Column&&)>;
FileCheck check_file(const ParquetReader& reader, const CheckedColumn& on_column = {});

}  // namespace sl::parquet
