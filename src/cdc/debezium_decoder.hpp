// decode_debezium: a Kafka record written by Debezium's PostgreSQL connector (2.x/3.x,
// JsonConverter with schemas.enable true or false) or by our encoder → a ChangeEvent, so consumers
// treat both sources alike.
//
// Input grammar (value; the key is the same shape with the key struct as payload):
//   value   := null (tombstone) | envelope | {"schema": Schema, "payload": envelope}
//   envelope:= {"before": row|null, "after": row|null, "source": source, "op": "c"|"u"|"d"|"r"|"t",
//               "ts_ms": int, ["ts_us", "ts_ns", "transaction"]}   (other members ignored)
//   source  := {"version", "connector", "name", "ts_ms", ["ts_us"], "snapshot": string|bool,
//               "db", "sequence": "[\"lsn\"|null,\"lsn\"|null]"|null, "schema", "table",
//               "txId": int|null, "lsn": int|null, ...}
// Values become PostgreSQL text, as pgoutput would have sent them, so the type mapping applies:
// with a schema, by the Connect type and semantic name (Date days → "2026-11-25", MicroTimestamp
// µs → "2026-11-25 08:30:00", ZonedTimestamp → "...+00", Decimal base64 → "30940.50", bytes →
// "\x..."); without a schema, integers become int8, other numbers float8, booleans bool,
// strings text, {"scale","value"} objects numeric — the column types a schemaless event allows
// to know (DecodeOptions::binary_values: fixed-size types in PostgreSQL's binary form instead).
// "__debezium_unavailable_value" is an unchanged TOAST value (never a value).
// Key columns are the members of the key. Every malformed input is an Errc::parse error naming
// the member; logical messages (op "m") are Errc::unsupported.
//
// DebeziumDecoder is the decoder of a stream (a Kafka consumer): with schemas.enable=true most of
// a record is its Connect schema (~5 KB of a ~6 KB record), the same text record after record, so
// the record is split at the top level without building it, the schema's row fields are kept per
// schema text (a later record with the same bytes reuses them; another text is parsed), and only
// the payload is parsed into a document. The relations handed out are kept too (one per table,
// shape and key), so consecutive events of a table point at the same relation. Parsers and
// buffers are reused from record to record. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cdc/change_event.hpp"
#include "common/result.hpp"

namespace sl::cdc {

struct DecodedEvent {
  bool tombstone = false;                  // null value: only `key` is meaningful
  std::optional<std::string> key;          // the key payload as compact JSON ({"id":1}), if any
  std::shared_ptr<const pg::Relation> relation;  // what event.relation points to
  ChangeEvent event;
  std::string connector_version;  // source.version ("2.7.3.Final")
  std::string server_name;        // source.name (topic.prefix)
  int64_t processed_us = 0;       // envelope ts_us (or ts_ms × 1000)
  bool had_schema = false;
};

struct DecodeOptions {
  // Schemaless records: every column is text (typmod -1) instead of the type its value suggests.
  // A guess per record (int8 for 12, float8 for 12.5, text for null) changes a column's type
  // from one record to the next, which a table of rows cannot follow; the values are the same.
  bool schemaless_as_text = false;
  // DecodedEvent::key filled (the key's compact JSON); a consumer that reads only the event
  // leaves it out and saves a copy of every key.
  bool key_text = true;
  // Values with a schema whose PostgreSQL type is fixed-size (integers, floats, booleans, dates,
  // timestamps) as Kind::binary, PostgreSQL's binary send format, instead of text: a consumer
  // that stores them typed (Bronze) skips formatting and parsing them again. Strings,
  // infinities and values the lake cannot hold stay text.
  bool binary_values = false;
};

class DebeziumDecoder {
 public:
  explicit DebeziumDecoder(DecodeOptions options = {});
  ~DebeziumDecoder();
  DebeziumDecoder(DebeziumDecoder&&) noexcept;
  DebeziumDecoder& operator=(DebeziumDecoder&&) noexcept;

  Result<DecodedEvent> decode(std::optional<std::string_view> key,
                              std::optional<std::string_view> value);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// One record at a time (tests, tools): a DebeziumDecoder used once.
Result<DecodedEvent> decode_debezium(std::optional<std::string_view> key,
                                     std::optional<std::string_view> value);

}  // namespace sl::cdc
