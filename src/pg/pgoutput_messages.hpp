// Typed pgoutput messages (logical replication protocol version 1), as the decoder produces them.
// Wire grammar: pgoutput_decoder.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pg/lsn.hpp"

namespace sl::pg {

enum class PgOutputMsg : char {
  begin = 'B',
  commit = 'C',
  origin = 'O',
  relation = 'R',
  type = 'Y',
  insert = 'I',
  update = 'U',
  delete_ = 'D',
  truncate = 'T',
  message = 'M',
};

// Microseconds since 2000-01-01 UTC (PostgreSQL's epoch), as on the wire.
using PgTimestamp = int64_t;
constexpr int64_t k_pg_epoch_unix_us = 946684800000000LL;

struct Begin {
  Lsn final_lsn;  // LSN of the commit record
  PgTimestamp commit_time = 0;
  uint32_t xid = 0;
};

struct Commit {
  uint8_t flags = 0;
  Lsn commit_lsn;
  Lsn end_lsn;  // acknowledge this once the transaction is durable downstream
  PgTimestamp commit_time = 0;
};

struct Origin {
  Lsn commit_lsn;
  std::string name;
};

struct RelationColumn {
  bool is_key = false;
  std::string name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;
  // Not on the wire: filled from the catalog by consumers that know it (Connect schemas mark
  // nullable columns optional).
  bool not_null = false;
  // Not on the wire either: a constant DEFAULT in the type's text form ("new", "7"), from the
  // catalog (what Debezium writes for a missing value of a NOT NULL column).
  std::optional<std::string> default_text;
  // From the catalog too: the element type of a user-defined array type (an enum's array), and
  // the labels of an enum (or of an array's enum elements) in their sort order, comma-joined
  // (Debezium's io.debezium.data.Enum `allowed`); 0 and "" otherwise.
  uint32_t element_type_oid = 0;
  std::string enum_allowed;
};

struct Relation {
  uint32_t oid = 0;
  std::string schema;  // "" means pg_catalog on the wire; decoded as "pg_catalog"
  std::string name;
  char replica_identity = 'd';  // d default, n nothing, f full, i index
  std::vector<RelationColumn> columns;
};

struct TypeInfo {
  uint32_t oid = 0;
  std::string schema;
  std::string name;
};

// One column of a tuple: NULL, an unchanged TOASTed value (not sent: never default it), or text.
struct TupleValue {
  enum class Kind : char { null = 'n', unchanged_toast = 'u', text = 't', binary = 'b' };
  Kind kind = Kind::null;
  std::string data;
};
using Tuple = std::vector<TupleValue>;

struct Insert {
  uint32_t relation_oid = 0;
  Tuple new_tuple;
};

struct Update {
  uint32_t relation_oid = 0;
  // 'K': only the replica-identity key columns (others are null = absent); 'O': the whole old row.
  char old_kind = 0;  // 0 when no old tuple was sent
  std::optional<Tuple> old_tuple;
  Tuple new_tuple;
};

struct Delete {
  uint32_t relation_oid = 0;
  char old_kind = 'K';
  Tuple old_tuple;
};

struct Truncate {
  uint8_t options = 0;  // 1 CASCADE, 2 RESTART IDENTITY
  std::vector<uint32_t> relation_oids;
};

struct LogicalMessage {
  bool transactional = false;
  Lsn lsn;
  std::string prefix;
  std::string content;
};

using PgOutputMessage = std::variant<Begin, Commit, Origin, Relation, TypeInfo, Insert, Update,
                                     Delete, Truncate, LogicalMessage>;

}  // namespace sl::pg
