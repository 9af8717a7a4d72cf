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
  // to read (the keys and the change metadata are added; empty: every column). Reading only what
  // Silver uses keeps e.g. the activities' raw JSON payloads out of memory.
  static Result<std::optional<BronzeState>> read(const delta::Storage& table,
                                                 const std::vector<std::string>& key_columns,
                                                 const std::vector<std::string>& columns = {});
  // From a batch already in memory (tests).
  static Result<BronzeState> of(columnar::RecordBatch batch,
                                const std::vector<std::string>& key_columns);
  // Every row of a table that is not a change log (Silver read back), for the typed access.
  static BronzeState every_row(columnar::RecordBatch batch);

  // The table's version `read` read (-1 otherwise).
  int64_t version() const { return version_; }

  // Rows of the current state (indices into the batch), in key order of first appearance.
  const std::vector<size_t>& rows() const { return rows_; }
  size_t changes() const { return batch_.num_rows; }

  bool has(std::string_view column) const { return find(column) != nullptr; }
  std::optional<int64_t> integer(std::string_view column, size_t row) const;  // int32/int64
  std::optional<double> number(std::string_view column, size_t row) const;    // any numeric
  std::optional<std::string> text(std::string_view column, size_t row) const;
  std::optional<bool> boolean(std::string_view column, size_t row) const;
  std::optional<int32_t> date(std::string_view column, size_t row) const;       // days
  std::optional<int64_t> timestamp(std::string_view column, size_t row) const;  // µs
  // A decimal column's value in cents (rounded half away from zero beyond 2 digits).
  std::optional<int64_t> cents(std::string_view column, size_t row) const;

 private:
  const columnar::Column* find(std::string_view column) const;

  columnar::RecordBatch batch_;
  std::vector<size_t> rows_;
  int64_t version_ = -1;
};

}  // namespace sl::lakehouse
