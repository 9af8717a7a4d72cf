// CheckpointEncoder: actions → rows of the checkpoint schema (checkpoint_schema.hpp), one row per
// action with exactly one non-null top-level column. What goes into a checkpoint (which actions,
// dataChange=false, tombstones without stats) is decided by the caller (checkpoint_writer.cpp);
// this only lays the values out.
#pragma once

#include <array>

#include "columnar/column.hpp"
#include "delta/actions.hpp"
#include "delta/checkpoint_schema.hpp"

namespace sl::delta {

class CheckpointEncoder {
 public:
  CheckpointEncoder();

  void append(const Protocol& protocol);
  void append(const Metadata& metadata);
  void append(const Txn& txn);
  void append(const DomainMetadata& domain);
  void append(const Add& add);
  void append(const Remove& remove);

  size_t rows() const { return rows_; }
  // The rows so far as one batch; the encoder is left empty.
  columnar::RecordBatch finish();

 private:
  columnar::Column& start_row(CheckpointColumn column);

  std::vector<columnar::Field> schema_;
  std::array<columnar::Column, k_checkpoint_columns> columns_;
  size_t rows_ = 0;
};

}  // namespace sl::delta
