// Field helpers (a column of each lake type); TableBuilder: rows appended value by value in the
// order of the fields, into a RecordBatch (the tests build their Bronze inputs with it; each value
// call fills the next column; end_row() checks that the row is complete — a missing or extra value
// is a programming error); SpecRows: rows appended a struct at a time into a table's columns
// through its spec (table_spec.hpp), the full refresh's Silver pieces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "lakehouse/table_spec.hpp"

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

// Rows built one at a time straight into a table's columns: each row is kept in a block of
// k_rows_per_block, which the spec then fills in column by column while it is in cache (no call
// per cell, no vector of rows). A row's views must stay valid until its block is filled in:
// `slot()` is the place in the block of the next row, so a caller can keep a row's texts in its
// own buffer per slot (reused: nothing allocated per row). The batch taken can be given back
// once written (`reuse`): the next rows go into its buffers.
template <class Row>
class SpecRows {
 public:
  explicit SpecRows(const TableSpec<Row>& spec) : spec_(spec), batch_(record_batch(spec, {})) {
    block_.reserve(k_rows_per_block);
  }
  size_t slot() const { return block_.size(); }
  size_t rows() const { return batch_.num_rows + block_.size(); }
  void append(const Row& row) {
    block_.push_back(row);
    if (block_.size() == k_rows_per_block) fill_block();
  }
  // The rows appended so far; the next ones start a new batch.
  columnar::RecordBatch take() {
    fill_block();
    columnar::RecordBatch out = std::move(batch_);
    batch_ = record_batch(spec_, {});
    return out;
  }
  // A batch of this spec taken before and written: its buffers hold the next rows. Only between
  // batches (ignored when rows are pending).
  void reuse(columnar::RecordBatch&& spent) {
    if (rows() > 0 || spent.columns.size() != batch_.columns.size()) return;
    for (auto& column : spent.columns) column.clear();
    spent.num_rows = 0;
    batch_ = std::move(spent);
  }

 private:
  void fill_block() {
    append_rows(spec_, std::span<const Row>(block_), batch_);
    block_.clear();
  }

  const TableSpec<Row>& spec_;
  columnar::RecordBatch batch_;
  std::vector<Row> block_;
};

}  // namespace sl::lakehouse
