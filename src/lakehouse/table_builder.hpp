// Field helpers (a column of each lake type) and TableBuilder: rows appended value by value in the
// order of the fields, into a RecordBatch (the tests build their Bronze inputs with it; the Silver
// and Gold tables come from their specs, table_spec.hpp). Each value call fills the next column;
// end_row() checks that the row is complete (a missing or extra value is a programming error).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"

namespace sl::lakehouse {

// Field helpers: a nullable column of each lake type.
columnar::Field string_field(std::string name, bool nullable = true);
columnar::Field long_field(std::string name, bool nullable = true);
columnar::Field int_field(std::string name, bool nullable = true);
columnar::Field double_field(std::string name, bool nullable = true);
columnar::Field bool_field(std::string name, bool nullable = true);
columnar::Field date_field(std::string name, bool nullable = true);
columnar::Field timestamp_field(std::string name, bool nullable = true);
columnar::Field euros_field(std::string name, bool nullable = true);  // decimal(12,2)

class TableBuilder {
 public:
  explicit TableBuilder(std::vector<columnar::Field> fields);

  TableBuilder& text(std::optional<std::string_view> v);
  TableBuilder& long_(std::optional<int64_t> v);
  TableBuilder& int_(std::optional<int32_t> v);
  TableBuilder& double_(std::optional<double> v);
  TableBuilder& boolean(std::optional<bool> v);
  TableBuilder& date(std::optional<int32_t> days);
  TableBuilder& timestamp(std::optional<int64_t> micros);
  TableBuilder& euros(std::optional<int64_t> cents);
  // Ends the row; false (and the builder unusable) when it did not get one value per field.
  bool end_row();

  columnar::RecordBatch take();

 private:
  columnar::Column& next(columnar::TypeId expected);

  std::vector<columnar::Field> fields_;
  std::vector<columnar::Column> columns_;
  size_t cursor_ = 0;
  size_t rows_ = 0;
  bool broken_ = false;
};

}  // namespace sl::lakehouse
