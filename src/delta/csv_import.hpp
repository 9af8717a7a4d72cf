// CSV → record batches with inferred column types: the one importer behind `sportlake parquet
// convert` and `sportlake lake import`.
//
// Rules. Cells are read in the text syntax of Delta partition values (partitions.hpp), the one
// `lake scan --where` and `parquet cat --where` literals use, so what `lake scan --csv` prints
// imports back as the same values:
// 1. the header line names the columns; every record has as many fields, else the error names
//    file:line;
// 2. a column whose type is given keeps it; any other column gets the first of long, double,
//    boolean, date, timestamp that every non-empty cell of the column parses as, else string. The
//    parse is strict: numbers as std::from_chars reads them (no blanks, no '+', no hexadecimal:
//    " 12" and "0x1A" stay text), booleans exactly "true"/"false", dates "2025-01-31",
//    timestamps "2025-01-31 08:30[:00[.123456]]" with 'T' or ' ', an optional Z or ±HH:MM (UTC
//    when none). A column without any non-empty cell is string;
// 3. an empty cell is null, except in a string column, where it stays the empty string; a cell
//    that does not parse as its column's given type fails, naming file:line, column and value.
//
// Use:
// 1. infer_csv_fields reads the text once for the header and the types;
// 2. read_csv_batches reads it again and hands over batches of at most `batch_rows` rows, so a
//    large file is converted without holding all its rows.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::delta {

// A column type given by the caller: (column name, type).
using CsvColumnType = std::pair<std::string, columnar::DataType>;

// Step 1. `text` without a byte-order mark; `origin` names the file in errors ("in.csv"). A
// given type for a column the header does not have is an error.
Result<std::vector<columnar::Field>> infer_csv_fields(std::string_view text,
                                                      const std::string& origin,
                                                      const std::vector<CsvColumnType>& given = {});

// Step 2. The records of `text` converted to `fields`, in batches of at most `batch_rows` rows
// passed to `consume` in order; returns the number of rows.
Result<size_t> read_csv_batches(std::string_view text, const std::string& origin,
                                const std::vector<columnar::Field>& fields, size_t batch_rows,
                                const std::function<Status(columnar::RecordBatch&&)>& consume);

// Both steps over a whole file, into one batch (a Delta import is one commit anyway).
Result<columnar::RecordBatch> read_csv_file(const std::filesystem::path& path);

}  // namespace sl::delta
