// Debezium JSON encoding of change events.
#include "cdc/debezium_json.hpp"

#include <charconv>

#include <spdlog/spdlog.h>

#include "cdc/connect_schema.hpp"
#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"

namespace sl::cdc {

namespace {

constexpr std::string_view k_version = "2.7.0.sportlake";
constexpr size_t k_cache_limit = 64;

void append_int(std::string& out, int64_t v) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, end);
}

bool same_relation(const pg::Relation& a, const pg::Relation& b) {
  if (a.oid != b.oid || a.columns.size() != b.columns.size() || a.name != b.name ||
      a.schema != b.schema)
    return false;
  for (size_t i = 0; i < a.columns.size(); ++i) {
    const auto& x = a.columns[i];
    const auto& y = b.columns[i];
    if (x.type_oid != y.type_oid || x.type_modifier != y.type_modifier || x.is_key != y.is_key ||
        x.not_null != y.not_null || x.name != y.name || x.default_text != y.default_text ||
        x.element_type_oid != y.element_type_oid || x.enum_allowed != y.enum_allowed)
      return false;
  }
  return true;
}

}  // namespace

// What an event's encoding needs of its relation, prepared once per relation version.
struct DebeziumEncoder::Prepared {
  const pg::Relation* address = nullptr;
  pg::Relation relation;             // a copy: the same address may later hold another relation
  std::string topic;                 // <prefix>.<schema>.<table>
  std::vector<std::string> members;  // "name": per column, escaped
  std::string value_prefix;          // schemas.enable=true: {"schema":<envelope>,"payload":
  std::string key_prefix;            // schemas.enable=true: {"schema":<key>,"payload":
  std::string schema_table;          // ,"schema":"public","table":"t","txId":
  bool has_key_columns = false;
};

DebeziumEncoder::DebeziumEncoder(EncodeOptions options) : options_(std::move(options)) {
  value_.reserve(options_.schemas ? 8192 : 1024);
}
DebeziumEncoder::~DebeziumEncoder() = default;
DebeziumEncoder::DebeziumEncoder(DebeziumEncoder&&) noexcept = default;
DebeziumEncoder& DebeziumEncoder::operator=(DebeziumEncoder&&) noexcept = default;

const DebeziumEncoder::Prepared& DebeziumEncoder::prepared(const pg::Relation& rel) {
  for (const auto& p : cache_) {
    if (p->address == &rel && same_relation(p->relation, rel)) return *p;
  }
  auto p = std::make_unique<Prepared>();
  p->address = &rel;
  p->relation = rel;
  p->topic = options_.topic_prefix + "." + rel.schema + "." + rel.name;
  for (const auto& column : rel.columns) {
    // A column Debezium leaves out of its records has no member (append_row skips it).
    std::string member;
    if (debezium_writes_type(column.type_oid, column.element_type_oid)) {
      append_json_string(member, column.name);
      member += ':';
    } else {
      spdlog::warn("cdc: {}.{}.{} (type oid {}) has no Debezium form: left out of the records, "
                   "as Debezium does",
                   rel.schema, rel.name, column.name, column.type_oid);
    }
    p->has_key_columns = p->has_key_columns || (column.is_key && !member.empty());
    p->members.push_back(std::move(member));
  }
  if (options_.schemas) {
    p->value_prefix = "{\"schema\":";
    append_envelope_schema(p->value_prefix, options_.topic_prefix, rel, options_.forms);
    p->value_prefix += ",\"payload\":";
    p->key_prefix = "{\"schema\":";
    append_key_schema(p->key_prefix, options_.topic_prefix, rel, options_.forms);
    p->key_prefix += ",\"payload\":";
  }
  p->schema_table = ",\"schema\":";
  append_json_string(p->schema_table, rel.schema);
  p->schema_table += ",\"table\":";
  append_json_string(p->schema_table, rel.name);
  p->schema_table += ",\"txId\":";
  if (cache_.size() >= k_cache_limit) cache_.erase(cache_.begin());
  cache_.push_back(std::move(p));
  return *cache_.back();
}

namespace {

// The value Debezium gives a non-optional column whose value is missing (a delete's before-image
// under REPLICA IDENTITY DEFAULT sends only the key) and that has no constant DEFAULT, or whose
// value has no Connect form: the type's zero (JdbcValueConverters' fallback).
void append_zero_value(std::string& out, const pg::RelationColumn& column, const ValueForms& forms) {
  if (is_bit_array(column.element_type_oid)) {  // one bit string's schema (Debezium 3.6)
    out += bits_as_boolean(column.type_modifier) ? "false" : "\"\"";
    return;
  }
  if (column.element_type_oid || builtin_array_element(column.type_oid)) {
    out += "[]";
    return;
  }
  const bool decimal_string = forms.decimal == DecimalMode::string;
  const bool decimal_double = forms.decimal == DecimalMode::double_;
  switch (column.type_oid) {
    case oid::k_bool:
      out += "false";
      return;
    case oid::k_int2:
    case oid::k_int4:
    case oid::k_int8:
    case oid::k_oid:
    case oid::k_date:
    case oid::k_timestamp:
    case oid::k_time:
      out += '0';
      return;
    case oid::k_interval:
      out += forms.interval == IntervalMode::string ? "\"P0Y0M0DT0H0M0S\"" : "0";
      return;
    case oid::k_float4:
    case oid::k_float8:
      out += "0.0";
      return;
    case oid::k_money:
      out += decimal_string ? "\"0.00\"" : decimal_double ? "0.0" : "\"AA==\"";
      return;
    case oid::k_numeric:
      // decimal.handling.mode=string: zero at the column's scale ("0.00"), as Debezium.
      if (decimal_string && column.type_modifier >= 4) {
        out += "\"0";
        if (const int scale = (column.type_modifier - 4) & 0xffff; scale > 0) {
          out += '.';
          out.append(static_cast<size_t>(scale), '0');
        }
        out += '"';
        return;
      }
      out += decimal_string   ? "\"0\""
             : decimal_double ? "0.0"
             : column.type_modifier >= 4 ? "\"AA==\""
                                         : "{\"scale\":0,\"value\":\"AA==\"}";
      return;
    case oid::k_timestamptz:
      (void)append_debezium_value(out, column.type_oid, column.type_modifier,
                                  "1970-01-01 00:00:00+00", forms);
      return;
    case oid::k_timetz:
      out += "\"00:00:00Z\"";
      return;
    case oid::k_bit:
    case oid::k_varbit:
      out += bits_as_boolean(column.type_modifier) ? "false" : "\"\"";
      return;
    case oid::k_point:
      (void)append_debezium_value(out, oid::k_point, -1, "(0,0)", forms);
      return;
    default:  // strings, json, uuid, enums, bytea (empty base64 or hex); an hstore map: empty
      out += forms.hstore_oid && column.type_oid == forms.hstore_oid &&
                     forms.hstore == HstoreMode::map
                 ? "{}"
                 : "\"\"";
      return;
  }
}

constexpr std::string_view k_placeholder = "__debezium_unavailable_value";

// Debezium's placeholder for an unchanged TOASTed value, shaped for the column's Connect type
// (UnchangedToastedPlaceholder): a string; the placeholder's bytes in a bytes field (base64, or
// hex under binary.handling.mode=hex), also as a Decimal's unscaled bytes; a one-element list for
// text arrays and the placeholder's byte codes for integer arrays; an hstore map of it to itself.
void append_placeholder(std::string& out, const pg::RelationColumn& column, const ValueForms& forms) {
  const uint32_t element =
      column.element_type_oid ? column.element_type_oid : builtin_array_element(column.type_oid);
  auto placeholder_bytes = [&] {
    if (forms.binary == BinaryMode::hex && column.type_oid == oid::k_bytea) {
      (void)append_debezium_value(out, oid::k_bytea, -1, "\\x5f5f646562657a69756d5f756e617661696c61626c655f76616c7565", forms);
    } else {
      out += '"';
      out += base64(k_placeholder);
      out += '"';
    }
  };
  if (element == oid::k_int2 || element == oid::k_int4 || element == oid::k_int8) {
    out += '[';
    for (size_t i = 0; i < k_placeholder.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(static_cast<int>(k_placeholder[i]));
    }
    out += ']';
  } else if (element) {
    out += "[\"";
    out += k_placeholder;
    out += "\"]";
  } else if (column.type_oid == oid::k_bytea ||
             ((column.type_oid == oid::k_bit || column.type_oid == oid::k_varbit) &&
              !bits_as_boolean(column.type_modifier))) {
    placeholder_bytes();
  } else if (forms.hstore_oid && column.type_oid == forms.hstore_oid) {
    // A map of the placeholder to itself: as such under hstore.handling.mode=map, as that map's
    // JSON text (a string) under the default json mode — Debezium converts its placeholder map
    // like any hstore value.
    const std::string map = "{\"" + std::string(k_placeholder) + "\":\"" +
                            std::string(k_placeholder) + "\"}";
    if (forms.hstore == HstoreMode::map) {
      out += map;
    } else {
      append_json_string(out, map);
    }
  } else if (column.type_oid == oid::k_numeric && forms.decimal == DecimalMode::precise) {
    if (column.type_modifier >= 4) {
      placeholder_bytes();
    } else {
      out += "{\"scale\":0,\"value\":";
      placeholder_bytes();
      out += '}';
    }
  } else {
    out += '"';
    out += k_placeholder;
    out += '"';
  }
}

}  // namespace

// Appends the row as a JSON object (all columns, or only the key columns).
Status DebeziumEncoder::append_row(std::string& out, const pg::Relation& rel,
                                   const std::vector<std::string>& members, const pg::Tuple& tuple,
                                   bool key_only) {
  out += '{';
  bool first = true;
  for (size_t i = 0; i < rel.columns.size(); ++i) {
    const auto& column = rel.columns[i];
    if ((key_only && !column.is_key) || members[i].empty()) continue;
    if (!first) out += ',';
    first = false;
    out += members[i];
    const auto& v = tuple[i];
    switch (v.kind) {
      case pg::TupleValue::Kind::null: {
        // A column with a constant DEFAULT: the default, as Kafka Connect's JsonConverter writes
        // a null field whose schema has one (replace.null.with.default, on by default: what
        // Debezium's records carry). Connect rejects null in a non-optional field: the type's
        // zero there (Debezium's fallback).
        const size_t mark = out.size();
        if (column.default_text &&
            append_debezium_value(out, column.type_oid, column.type_modifier,
                                  *column.default_text, options_.forms, column.element_type_oid))
          break;
        out.resize(mark);
        if (column.not_null || column.is_key)
          append_zero_value(out, column, options_.forms);
        else
          out += "null";
        break;
      }
      case pg::TupleValue::Kind::unchanged_toast:
        // Debezium's placeholder: the value was not sent and is not known (never a default).
        append_placeholder(out, column, options_.forms);
        break;
      case pg::TupleValue::Kind::text: {
        const size_t mark = out.size();
        if (auto st = append_debezium_value(out, column.type_oid, column.type_modifier, v.data,
                                            options_.forms, column.element_type_oid);
            !st) {
          // No value may stop the stream: null (the zero of a non-optional column), a warning
          // and a count, as Debezium does for values it cannot convert.
          out.resize(mark);
          if (column.not_null || column.is_key)
            append_zero_value(out, column, options_.forms);
          else
            out += "null";
          ++unconverted_;
          if (unconverted_ <= 100 || unconverted_ % 10000 == 0) {
            spdlog::warn("cdc: {}.{}.{}: {}; written as {} ({} unconverted values so far)",
                         rel.schema, rel.name, column.name, st.error().message,
                         column.not_null || column.is_key ? "its type's zero" : "null",
                         unconverted_);
          }
        }
        break;
      }
      case pg::TupleValue::Kind::binary:
        return make_error(Errc::unsupported,
                          "cdc: binary tuple values (pgoutput binary mode) are not requested");
    }
  }
  out += '}';
  return {};
}

Status DebeziumEncoder::encode(const ChangeEvent& e, int64_t now_us,
                               const TransactionBlock* transaction) {
  const Prepared& p = prepared(*e.relation);
  const pg::Relation& rel = p.relation;
  topic_ = p.topic;
  std::string& v = value_;
  v.clear();
  v += p.value_prefix;
  // Envelope, Debezium 2.7+ order: before, after, source, transaction, op, ts_ms, ts_us, ts_ns.
  v += "{\"before\":";
  if (e.before)
    SL_TRY(append_row(v, rel, p.members, *e.before, false));
  else
    v += "null";
  v += ",\"after\":";
  if (e.after)
    SL_TRY(append_row(v, rel, p.members, *e.after, false));
  else
    v += "null";
  const int64_t ts_us = e.source.ts_us;
  v += ",\"source\":{\"version\":\"";
  v += k_version;
  v += "\",\"connector\":\"postgresql\",\"name\":";
  append_json_string(v, options_.topic_prefix);
  v += ",\"ts_ms\":";
  append_int(v, floor_div(ts_us, 1000));
  v += ",\"snapshot\":";
  append_json_string(v, e.source.snapshot);
  v += ",\"db\":";
  append_json_string(v, e.source.db);
  // sequence: a JSON array of two decimal strings, itself written as a string: the end of the
  // previous transaction's commit (Debezium's lsn_commit) and this change's LSN; snapshot rows
  // have none (null, as Debezium writes it).
  v += ",\"sequence\":\"[";
  if (e.source.last_commit_end.value == 0) {
    v += "null";
  } else {
    v += "\\\"";
    append_int(v, static_cast<int64_t>(e.source.last_commit_end.value));
    v += "\\\"";
  }
  v += ",\\\"";
  append_int(v, static_cast<int64_t>(e.source.lsn.value));
  v += "\\\"]\",\"ts_us\":";
  append_int(v, ts_us);
  v += ",\"ts_ns\":";
  append_int(v, ts_us * 1000);
  v += p.schema_table;
  // xid 0 (InvalidTransactionId) is never a real transaction: snapshot rows have none.
  if (e.source.tx_id == 0)
    v += "null";
  else
    append_int(v, e.source.tx_id);
  v += ",\"lsn\":";
  append_int(v, static_cast<int64_t>(e.source.lsn.value));
  v += ",\"xmin\":null,\"origin\":null,\"origin_lsn\":null},\"transaction\":";
  if (transaction != nullptr) {
    v += "{\"id\":";
    append_json_string(v, transaction->id);
    v += ",\"total_order\":";
    append_int(v, transaction->total_order);
    v += ",\"data_collection_order\":";
    append_int(v, transaction->data_collection_order);
    v += '}';
  } else {
    v += "null";
  }
  v += ",\"op\":\"";
  v += static_cast<char>(e.op);
  v += "\",\"ts_ms\":";
  append_int(v, floor_div(now_us, 1000));
  v += ",\"ts_us\":";
  append_int(v, now_us);
  v += ",\"ts_ns\":";
  append_int(v, now_us * 1000);
  v += '}';
  if (options_.schemas) v += '}';
  // Truncates have no key (a Kafka record with a null key); so have tables without a key.
  has_key_ = e.op != Op::truncate && (e.after || e.before) && p.has_key_columns;
  if (has_key_) {
    key_.clear();
    key_ += p.key_prefix;
    SL_TRY(append_row(key_, rel, p.members, e.after ? *e.after : *e.before, true));
    if (options_.schemas) key_ += '}';
  }
  return {};
}

Result<EncodedEvent> encode_debezium(const ChangeEvent& e, const EncodeOptions& options) {
  DebeziumEncoder encoder(options);
  SL_TRY(encoder.encode(e, options.now_us));
  EncodedEvent out;
  out.topic = std::string(encoder.topic());
  if (auto key = encoder.key()) out.key = std::string(*key);
  out.value = std::string(encoder.value());
  return out;
}

EncodedEvent tombstone_for(const EncodedEvent& deleted) {
  return EncodedEvent{deleted.topic, deleted.key, std::nullopt};
}

}  // namespace sl::cdc
