// A Silver table written while it is built (both refreshes): rows are appended in batches,
// held per partition, and written as data files (sorted by the table's key) when they are
// spilled — by the caller (the full refresh spills once the rows it holds exceed its memory
// budget), or by the writer itself past `spill_bytes` (the incremental refresh) — or at the
// end; every file written is committed at once (commit_silver_files), so readers see the old
// table or the new one. Holding rows per partition keeps a spill's sort to one partition at a
// time (a copy of that partition, not of everything held).
//
// Order: append (any number of times, spills in between) → commit or commit_replacing, once.
#pragma once

#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "delta/snapshot.hpp"
#include "lakehouse/silver_model.hpp"

namespace sl::lakehouse {

class SilverFileWriter {
 public:
  // `spill_bytes` > 0: append spills by itself once the rows held exceed it.
  SilverFileWriter(const delta::Lake& lake, std::string table, size_t spill_bytes = 0);

  // Holds `rows` (same schema every time; an empty batch gives the schema).
  Status append(const columnar::RecordBatch& rows);
  size_t held_bytes() const { return held_bytes_; }
  size_t rows() const { return rows_; }
  size_t spills() const { return spills_; }
  // Writes every partition held as data files (not committed) and frees them.
  Status spill();
  // The same on another thread: the rows held are taken (appending goes on meanwhile, into new
  // partitions held) and written there; the previous background spill is waited for first, and
  // `spill`, `commit`, `finish_spill` wait for it too (its error is theirs).
  Status spill_in_background();
  Status finish_spill();
  // Writes what is held, then one commit: `current`'s files replaced by every file written.
  Status commit(const std::map<std::string, int64_t>& watermarks, const std::string& operation);
  // Writes what is held, then one commit replacing `replaced` (files of `current`) by every file
  // written. A partition written to that holds `k_small_files_merged` small files has them merged
  // in (read one at a time, appended, replaced): the count of files per partition stays bounded
  // at the price of rewriting a few small files now and then.
  Status commit_replacing(const std::optional<delta::Snapshot>& current,
                          std::vector<delta::Add> replaced,
                          const std::map<std::string, int64_t>& watermarks,
                          const std::string& operation);

 private:
  const delta::Lake& lake_;
  std::string table_;
  size_t spill_bytes_;
  std::vector<std::string> partition_columns_;
  std::vector<columnar::Field> schema_;
  std::map<std::string, columnar::RecordBatch> held_;  // by partition values (raw bytes)
  size_t held_bytes_ = 0;
  size_t rows_ = 0;
  size_t spills_ = 0;
  std::vector<delta::Add> written_;
  // The background spill's files (declared last: destroyed, so waited for, first).
  std::future<Result<std::vector<delta::Add>>> background_;
};

// A piece of Silver's activities' part (its activities and findings) handed to their tables'
// writers as columns, then cleared: both refreshes build that part a piece at a time.
Status append_activities_part(Silver& piece, SilverFileWriter& activities,
                              SilverFileWriter& issues);

}  // namespace sl::lakehouse
