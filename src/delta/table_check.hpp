// Table check: every live file of a snapshot verified, and the outcome recorded with the table.
//
// check_table(storage, snapshot), per live file (files are independent; run one after another):
// 1. read it through the Storage: a missing or unreadable file is a finding;
// 2. its size against `add.size`; its footer (magic, length, metadata, schema);
// 3. parquet::check_file: every page of every column decoded, page CRCs verified where written,
//    the footer's row counts, each flat chunk's Parquet statistics against its values;
// 4. the log's `add.stats` against the file: numRecords against the footer's rows, and when every
//    column read cleanly, nullCount exactly and minValues/maxValues as bounds of the values
//    (recomputed by collect_stats; a truncated string min or an absent max is fine, a bound that
//    excludes a value is not: data skipping would drop rows).
// Each finding names the file, and where known the row group, column and page.
//
// The record (`_sportlake/check.json` inside the table's own folder, hidden from Delta readers
// and vacuum by its `_` prefix, so it travels with the table, object storage included):
//   {"checked_at_ms":1760000000000,"version":12,"files":3,"findings":0,"clean":true,
//    "last_clean_at_ms":1760000000000,"last_clean_version":12}
// A check that finds damage keeps the previous last clean time and version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct TableFinding {
  std::string file;  // as Storage::describe gives it
  std::optional<size_t> row_group;
  std::string column;
  std::string message;
  std::string to_string() const;  // "<file>: row group 0, column 'x': page 1 ...: <what>"
};

struct TableCheck {
  int64_t version = -1;
  size_t files = 0;
  int64_t rows = 0;  // from the files' footers
  size_t pages = 0;
  size_t pages_with_crc = 0;
  std::vector<TableFinding> findings;
  bool clean() const { return findings.empty(); }
};

// Errors only when the check itself cannot run; damage is findings.
TableCheck check_table(const Storage& storage, const Snapshot& snapshot);

constexpr std::string_view k_check_record_path = "_sportlake/check.json";

struct CheckRecord {
  int64_t checked_at_ms = 0;
  int64_t version = -1;
  size_t files = 0;
  size_t findings = 0;
  bool clean = false;
  std::optional<int64_t> last_clean_at_ms;
  std::optional<int64_t> last_clean_version;
};

// Writes the outcome of `check` at `now_ms`, keeping the last clean check of the previous record
// when this one is not clean.
Status save_check_record(Storage& storage, const TableCheck& check, int64_t now_ms);
// The table's record; nullopt when it was never checked.
Result<std::optional<CheckRecord>> load_check_record(const Storage& storage);

}  // namespace sl::delta
