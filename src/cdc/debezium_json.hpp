// Debezium PostgreSQL connector JSON (JsonConverter, schemas.enable false or true): key, value,
// topic. A truncate has the whole envelope with null before/after (JsonConverter writes every
// field of the struct) and no key.
//
// Value envelope field order of Debezium 2.7+: before, after, source, transaction, op, ts_ms,
// ts_us, ts_ns; source block: version, connector, name, ts_ms, snapshot, db, sequence, ts_us,
// ts_ns, schema, table, txId, lsn, xmin. Example (insert):
// {"before":null,"after":{"id":1,"email":"a@b"},"source":{"version":"2.7.0.sportlake",
//  "connector":"postgresql","name":"rh_sport","ts_ms":1700000000123,"snapshot":"false","db":"app",
//  "sequence":"[\"22910600\",\"22910712\"]","ts_us":1700000000123456,"ts_ns":1700000000123456000,
//  "schema":"public","table":"customers","txId":771,"lsn":22910712,"xmin":null},
//  "transaction":null,"op":"c","ts_ms":1700000000201,"ts_us":1700000000201000,"ts_ns":...}
#pragma once

#include <optional>
#include <string>

#include "cdc/change_event.hpp"
#include "common/result.hpp"

namespace sl::cdc {

struct EncodedEvent {
  std::string topic;                 // <prefix>.<schema>.<table>
  std::optional<std::string> key;    // {"id":1}; none for truncates
  std::optional<std::string> value;  // none for tombstones
};

struct EncodeOptions {
  std::string topic_prefix = "rh_sport";
  int64_t now_us = 0;  // processing time (envelope ts_*), a parameter so tests are deterministic
  // JsonConverter schemas.enable=true: key and value become {"schema":...,"payload":...} with
  // the Connect schemas of connect_schema.hpp.
  bool schemas = false;
};

Result<EncodedEvent> encode_debezium(const ChangeEvent& event, const EncodeOptions& options);
// The tombstone that follows a delete (same topic and key, no value).
EncodedEvent tombstone_for(const EncodedEvent& deleted);

}  // namespace sl::cdc
