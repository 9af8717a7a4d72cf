// libFuzzer target: the Debezium JSON decoder on arbitrary records. The input is split at the
// first newline into key and value, so both halves (and the schema/payload forms) are reached.
// Each input is also decoded by two stream decoders kept across inputs (a Kafka consumer's: the
// Connect schemas, layouts and relations they keep from earlier records), twice: the second time
// reuses what the first kept. Both must agree with a fresh decoder. A decoder with binary_values
// (the Bronze ingest's) must agree with it too, value for value, but where it gives a value in
// PostgreSQL's binary form: then the text decoder gave text, and the bytes are as many as the
// column's type holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cdc/debezium_decoder.hpp"
#include "cdc/debezium_json.hpp"
#include "cdc/type_mapping.hpp"

namespace {

// The record a decoded event encodes back to (empty for a tombstone or an event that does not
// encode): what two decodes of one input must share.
std::string encoded(const sl::Result<sl::cdc::DecodedEvent>& decoded) {
  if (!decoded.ok() || decoded->tombstone) return {};
  auto record = sl::cdc::encode_debezium(decoded->event, {.schemas = decoded->had_schema});
  return record.ok() ? record->value.value_or(std::string()) : std::string();
}

// The size of the binary form of a column type (0: none is sent).
size_t binary_size(uint32_t type_oid) {
  namespace oid = sl::cdc::oid;
  switch (type_oid) {
    case oid::k_bool: return 1;
    case oid::k_int2: return 2;
    case oid::k_int4:
    case oid::k_float4:
    case oid::k_date: return 4;
    case oid::k_int8:
    case oid::k_float8:
    case oid::k_timestamp:
    case oid::k_timestamptz: return 8;
    default: return 0;
  }
}

void check_binary(const sl::Result<sl::cdc::DecodedEvent>& text,
                  const sl::Result<sl::cdc::DecodedEvent>& binary) {
  if (text.ok() != binary.ok()) std::abort();
  if (!text.ok() || text->tombstone != binary->tombstone || text->tombstone) return;
  const auto& columns = binary->relation->columns;
  auto same = [&](const std::optional<sl::pg::Tuple>& a, const std::optional<sl::pg::Tuple>& b) {
    if (a.has_value() != b.has_value()) std::abort();
    if (!a) return;
    if (a->size() != b->size() || b->size() != columns.size()) std::abort();
    for (size_t i = 0; i < a->size(); ++i) {
      const auto& t = (*a)[i];
      const auto& v = (*b)[i];
      if (v.kind == sl::pg::TupleValue::Kind::binary) {
        if (t.kind != sl::pg::TupleValue::Kind::text ||
            v.data.size() != binary_size(columns[i].type_oid))
          std::abort();
      } else if (v.kind != t.kind || v.data != t.data) {
        std::abort();
      }
    }
  };
  same(text->event.before, binary->event.before);
  same(text->event.after, binary->event.after);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sl::cdc::DebeziumDecoder stream;
  static sl::cdc::DebeziumDecoder consumer({.schemaless_as_text = true, .key_text = false});
  static sl::cdc::DebeziumDecoder binary({.binary_values = true});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<std::string_view> key;
  std::optional<std::string_view> value = input;
  if (auto newline = input.find('\n'); newline != std::string_view::npos) {
    key = input.substr(0, newline);
    value = input.substr(newline + 1);
  }
  auto decoded = sl::cdc::decode_debezium(key, value);
  // What decodes must encode again (the decoder only produces values the encoder accepts).
  const std::string once = encoded(decoded);
  for (int round = 0; round < 2; ++round) {
    auto kept = stream.decode(key, value);
    if (kept.ok() != decoded.ok() || encoded(kept) != once) std::abort();
    (void)consumer.decode(key, value);
  }
  check_binary(decoded, binary.decode(key, value));
  return 0;
}
