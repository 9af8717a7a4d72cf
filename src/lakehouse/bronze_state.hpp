// The current state of a source table read back from its Bronze change log: for each key, its
// last change by (_commit_lsn, _lsn); a key whose last change is a delete is gone. Plus typed,
// null-aware access to the columns by name (types as lake_types.hpp writes them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::lakehouse {

class BronzeState {
 public:
  // nullopt when the table does not exist yet (nothing ingested). `columns`: the source columns
  // to read (the keys and the change metadata it needs are added; empty: every column). Reading
  // only what Silver uses keeps e.g. the activities' raw JSON payloads out of memory. The data
  // files are decoded on `threads` threads (0: one per core).
  static Result<std::optional<BronzeState>> read(const delta::Storage& table,
                                                 const std::vector<std::string>& key_columns,
                                                 const std::vector<std::string>& columns = {},
                                                 size_t threads = 0);
  // From a batch already in memory (tests).
  static Result<BronzeState> of(columnar::RecordBatch batch,
                                const std::vector<std::string>& key_columns);
  // Every row of a table that is not a change log (Silver read back), for the typed access.
  static BronzeState every_row(columnar::RecordBatch batch);
  // Chosen rows of one batch (a data file's current rows, bronze_stream.hpp), in that order.
  static BronzeState rows_of(columnar::RecordBatch batch, std::vector<size_t> rows);

  // The table's version `read` read (-1 otherwise).
  int64_t version() const { return version_; }

  // Rows of the current state, in key order of first appearance: opaque row ids for the
  // accessors below (with a single batch, `of`, the indices into it).
  const std::vector<size_t>& rows() const { return rows_; }
  size_t changes() const { return changes_; }

  bool has(std::string_view column) const { return index_of(column) != k_absent; }
  // A column found once by its name, for a loop that reads it at every row (no name lookup per
  // cell); a column the table lacks reads as null.
  struct ColumnRef {
    size_t index;
  };
  ColumnRef column(std::string_view name) const { return {index_of(name)}; }

  std::optional<int64_t> integer(ColumnRef column, size_t row) const;  // int32/int64
  std::optional<double> number(ColumnRef column, size_t row) const;    // any numeric
  std::optional<std::string> text(ColumnRef column, size_t row) const;
  // The text in place (valid while this state lives): no string allocated per cell.
  std::optional<std::string_view> text_view(ColumnRef column, size_t row) const;
  std::optional<bool> boolean(ColumnRef column, size_t row) const;
  std::optional<int32_t> date(ColumnRef column, size_t row) const;       // days
  std::optional<int64_t> timestamp(ColumnRef column, size_t row) const;  // µs
  std::optional<int64_t> integer(std::string_view name, size_t row) const {
    return integer(column(name), row);
  }
  std::optional<double> number(std::string_view name, size_t row) const {
    return number(column(name), row);
  }
  std::optional<std::string> text(std::string_view name, size_t row) const {
    return text(column(name), row);
  }
  std::optional<bool> boolean(std::string_view name, size_t row) const {
    return boolean(column(name), row);
  }
  std::optional<int32_t> date(std::string_view name, size_t row) const {
    return date(column(name), row);
  }
  std::optional<int64_t> timestamp(std::string_view name, size_t row) const {
    return timestamp(column(name), row);
  }
  // A decimal column's value in cents (rounded half away from zero beyond 2 digits).
  std::optional<int64_t> cents(std::string_view column, size_t row) const;

 private:
  static constexpr size_t k_absent = ~size_t{0};
  // A row id is (chunk << k_chunk_shift) | row in the chunk: the data files' batches are kept as
  // read, never concatenated (a copy of the whole table, and as much memory again at the peak).
  static constexpr int k_chunk_shift = 32;

  static Result<BronzeState> of_chunks(std::vector<columnar::RecordBatch> chunks,
                                       const std::vector<std::string>& key_columns);
  size_t index_of(std::string_view column) const;
  // The column's cell at `row`, or null when the table has no such column.
  std::pair<const columnar::Column*, size_t> cell(ColumnRef column, size_t row) const;

  std::vector<columnar::RecordBatch> chunks_;  // same schema, one per data file
  // Per column of the schema, its name's length and first and last bytes: Silver asks for a
  // column by name at every cell, and most names differ in these (no string comparison).
  std::vector<uint64_t> name_signatures_;
  size_t changes_ = 0;
  std::vector<size_t> rows_;
  int64_t version_ = -1;
};

}  // namespace sl::lakehouse
