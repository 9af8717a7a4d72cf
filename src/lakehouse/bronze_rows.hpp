// Bronze rows: the append-only change log of one source table, as Delta rows. Each change is one
// row: the table's columns typed as the lake types them (lake_types.hpp; the row after the change,
// or before it for a delete), then the change's metadata:
//   _op          c (insert), u (update), d (delete), r (initial snapshot read)
//   _lsn         the change's LSN (snapshot rows: the snapshot's position)
//   _commit_lsn  its transaction's commit LSN (snapshot rows: the snapshot's position); the
//                order of changes to one key is (_commit_lsn, _lsn)
//   _tx_id       the source transaction id (null for snapshot rows)
//   _commit_ts   when the transaction committed (snapshot rows: when the row was read)
//   _ingest_ts   when sportlake received it
//   _unconverted a JSON object {column: PostgreSQL text} of the values the lake type cannot
//                hold (numeric NaN, infinite dates...; null there) or that the source did not
//                send (an unchanged TOASTed value: JSON null); null when every value converted
// Nothing is updated in place: Silver derives the current state from this log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cdc/change_event.hpp"
#include "columnar/column.hpp"

namespace sl::lakehouse {

// The Bronze fields of a source table (its columns, all nullable, then the metadata columns).
std::vector<columnar::Field> bronze_fields(const pg::Relation& relation);

// Rows of one table gathered for the next commit, in the shape of one version of the relation.
class BronzeRows {
 public:
  explicit BronzeRows(const pg::Relation& relation);

  // Whether rows of `relation` (maybe a newer version of it) can go into this batch.
  bool fits(const pg::Relation& relation) const;
  void append(const cdc::ChangeEvent& event, int64_t ingest_ts_us);
  size_t size() const { return rows_; }
  // Memory the gathered rows hold (the columns' allocated capacity).
  size_t memory_bytes() const;
  // Number of values kept as text in _unconverted since the start.
  size_t unconverted() const { return unconverted_; }
  // The rows gathered so far as a batch; the builder starts again empty.
  columnar::RecordBatch take();
  const std::vector<columnar::Field>& fields() const { return fields_; }

 private:
  void reset_columns();

  std::vector<columnar::Field> fields_;
  std::vector<uint32_t> type_oids_;  // of the source columns, in order
  std::vector<columnar::Column> columns_;
  size_t rows_ = 0;
  size_t unconverted_ = 0;
  std::string scratch_;
};

}  // namespace sl::lakehouse
