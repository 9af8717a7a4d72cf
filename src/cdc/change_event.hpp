// ChangeEvent: one row change (or a truncate) of a captured table, with its source position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/lsn.hpp"
#include "pg/pgoutput_messages.hpp"

namespace sl::cdc {

enum class Op : char { create = 'c', update = 'u', delete_ = 'd', read = 'r', truncate = 't' };

struct SourceInfo {
  std::string db;
  std::string schema;
  std::string table;
  int64_t ts_us = 0;  // commit time (µs since the Unix epoch)
  uint32_t tx_id = 0;
  pg::Lsn lsn;         // this change's LSN
  pg::Lsn commit_lsn;  // the transaction's commit record LSN (from Begin)
  // The end of the previous transaction's commit as the stream saw it (Debezium's lsn_commit,
  // `source.sequence[0]`, what consumers de-duplicate on); 0/0 when unknown (snapshot rows).
  pg::Lsn last_commit_end;
  std::string snapshot = "false";  // "first", "true", "last"... for snapshot rows
};

struct ChangeEvent {
  Op op = Op::create;
  const pg::Relation* relation = nullptr;  // columns, types, key flags (owned by the RelationCache)
  std::optional<pg::Tuple> before;
  std::optional<pg::Tuple> after;
  SourceInfo source;
};

}  // namespace sl::cdc
