// KeyIndex: one table's rows by an integer key (the employee id), at one Delta version, made of
// parts of consecutive data files (about k_part_rows rows each). What GoldReader::rows_of
// answers from.
//
// A part holds its files' rows (the columns asked) sorted by key in a RowSpill on local disk,
// and in memory one 16-byte entry per key present in the part: the key and where its rows
// start (the next entry's start is where they end). 10M activities of 100,000 employees in 5
// parts: 500,000 entries, 8 MB (under 1 byte per activity) instead of the decoded columns
// (~40-60 bytes per activity). A part whose schema cannot be spilled (nested columns) keeps its
// sorted rows in memory instead, with the same entries.
//
// A new version reuses the parts whose files it still has (same path, same deletion vector) and
// builds only the others, reading one file at a time: a rebuild holds one run's decoded rows
// (~k_run_bytes) and one file's at most, never a part's or a second copy of the table.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"
#include "serve/row_spill.hpp"

namespace sl::serve {

class KeyIndexPart {
 public:
  // The part of `files`' rows (`rows`, already read, in the files' order) sorted by `key_column`
  // (int32 or int64; rows with a null key are left out). Errc::invalid_argument without such a
  // column.
  static Result<std::shared_ptr<const KeyIndexPart>> build(std::vector<std::string> files,
                                                           columnar::RecordBatch rows,
                                                           const std::string& key_column);
  // One part of `runs` (parts built by `build`, spilled, in the files' order): per key, each
  // run's rows in the runs' order, copied from the runs' files as they are (never decoded), each
  // run's file read once from start to end. How a part of millions of rows is built while
  // holding one run's decoded rows at a time (build_key_index), and still one entry per key.
  static Result<std::shared_ptr<const KeyIndexPart>> merge(
      const std::vector<std::shared_ptr<const KeyIndexPart>>& runs);
  // Appends the rows of `key` to `out` (same schema), in the files' order.
  Status append_rows_of(int64_t key, columnar::RecordBatch& out) const;

  const std::vector<std::string>& file_ids() const { return file_ids_; }
  const std::vector<columnar::Field>& schema() const { return schema_; }
  size_t rows() const { return rows_; }
  size_t memory_bytes() const;
  uint64_t disk_bytes() const { return spill_ ? spill_->size() : 0; }

 private:
  struct Entry {
    int64_t key;
    uint32_t first_row;  // in key order
    uint32_t start;      // byte offset in the spill (in memory: unused)
  };
  KeyIndexPart() = default;

  std::vector<std::string> file_ids_;
  std::vector<columnar::Field> schema_;
  size_t rows_ = 0;
  std::vector<Entry> entries_;  // sorted by key; a last entry marks the end
  std::optional<RowSpill> spill_;
  columnar::RecordBatch in_memory_;  // when the schema cannot be spilled: the rows by key
};

// Rows gathered into one part: the table's rows / this is how many reads a page makes, and a
// part holds one 16-byte entry per key present in it.
constexpr size_t k_part_rows = 2'000'000;
// Decoded rows sorted and spilled as one run of a part (`KeyIndexPart::merge`): what a build
// holds in memory at most beside one data file's rows (~100,000 of the employee page's activity
// columns). A part was sorted whole in memory before: up to 2M rows, ~170 MB with the vectors'
// growth, which `up` paid after each refresh (issue 16).
constexpr size_t k_run_bytes = size_t{8} << 20;

struct KeyIndex {
  int64_t version = -1;
  std::vector<std::shared_ptr<const KeyIndexPart>> parts;  // in the snapshot's file order
  std::vector<columnar::Field> schema;  // of the rows answered (the columns asked)

  // The rows of `key`, in the table's order.
  Result<columnar::RecordBatch> rows_of(int64_t key) const;
  size_t rows() const;
  size_t memory_bytes() const;
  uint64_t disk_bytes() const;
};

// What identifies a data file's rows in a snapshot: its path and its deletion vector.
std::string file_id(const delta::Add& add);

// The index of `snapshot`: `reuse`'s parts for the files it still has, the others read from
// `storage` (the columns `columns`, every one when empty) and built one at a time.
Result<std::shared_ptr<const KeyIndex>> build_key_index(const delta::Storage& storage,
                                                        const delta::Snapshot& snapshot,
                                                        const std::vector<std::string>& columns,
                                                        const std::string& key_column,
                                                        const KeyIndex* reuse);

}  // namespace sl::serve
