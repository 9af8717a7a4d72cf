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

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cdc/change_event.hpp"
#include "cdc/type_mapping.hpp"
#include "common/result.hpp"

namespace sl::cdc {

struct EncodedEvent {
  std::string topic;                 // <prefix>.<schema>.<table>
  std::optional<std::string> key;    // {"id":1}; none for truncates
  std::optional<std::string> value;  // none for tombstones
};

// An event's `transaction` block (provide.transaction.metadata, cdc/transaction_metadata.hpp): its place in its transaction (1-based), overall and among the
// events of its table.
struct TransactionBlock {
  std::string_view id;
  int64_t total_order = 0;
  int64_t data_collection_order = 0;
};

struct EncodeOptions {
  std::string topic_prefix = "rh_sport";
  int64_t now_us = 0;  // processing time (envelope ts_*), a parameter so tests are deterministic
  // JsonConverter schemas.enable=true: key and value become {"schema":...,"payload":...} with
  // the Connect schemas of connect_schema.hpp.
  bool schemas = false;
  // Debezium's options that change the form of values (decimal.handling.mode...).
  ValueForms forms;
};

// The encoder of a stream: what depends only on the relation (topic, quoted column names, the
// Connect schemas) is prepared once per relation version, and the key and value buffers are
// reused from event to event (the hot path allocates nothing per event once warm).
class DebeziumEncoder {
 public:
  explicit DebeziumEncoder(EncodeOptions options);
  ~DebeziumEncoder();
  DebeziumEncoder(DebeziumEncoder&&) noexcept;
  DebeziumEncoder& operator=(DebeziumEncoder&&) noexcept;

  // Encodes `event` (options.now_us is replaced by `now_us`), with its `transaction` block when
  // given (else null). The views below stay valid until the next call.
  Status encode(const ChangeEvent& event, int64_t now_us,
                const TransactionBlock* transaction = nullptr);
  std::string_view topic() const { return topic_; }
  std::optional<std::string_view> key() const {
    return has_key_ ? std::optional<std::string_view>(key_) : std::nullopt;
  }
  std::string_view value() const { return value_; }
  // Values written as null (or as their type's zero in a non-optional field) because they have
  // no Connect form (numeric NaN/±Infinity) or did not parse; each is logged (the first 100,
  // then every 10,000th).
  uint64_t unconverted() const { return unconverted_; }

 private:
  struct Prepared;
  const Prepared& prepared(const pg::Relation& rel);
  Status append_row(std::string& out, const pg::Relation& rel,
                    const std::vector<std::string>& members, const pg::Tuple& tuple, bool key_only);

  EncodeOptions options_;
  std::vector<std::unique_ptr<Prepared>> cache_;  // a few relations: a linear scan is fastest
  std::string_view topic_;
  std::string key_;
  std::string value_;
  bool has_key_ = false;
  uint64_t unconverted_ = 0;
};

// One event at a time (tests, tools): a DebeziumEncoder used once.
Result<EncodedEvent> encode_debezium(const ChangeEvent& event, const EncodeOptions& options);
// The tombstone that follows a delete (same topic and key, no value).
EncodedEvent tombstone_for(const EncodedEvent& deleted);

}  // namespace sl::cdc
