// libFuzzer target: the Debezium JSON decoder on arbitrary records. The input is split at the
// first newline into key and value, so both halves (and the schema/payload forms) are reached.
// Each input is also decoded by two stream decoders kept across inputs (a Kafka consumer's: the
// Connect schemas, layouts and relations they keep from earlier records), twice: the second time
// reuses what the first kept. Both must agree with a fresh decoder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cdc/debezium_decoder.hpp"
#include "cdc/debezium_json.hpp"

namespace {

// The record a decoded event encodes back to (empty for a tombstone or an event that does not
// encode): what two decodes of one input must share.
std::string encoded(const sl::Result<sl::cdc::DecodedEvent>& decoded) {
  if (!decoded.ok() || decoded->tombstone) return {};
  auto record = sl::cdc::encode_debezium(decoded->event, {.schemas = decoded->had_schema});
  return record.ok() ? record->value.value_or(std::string()) : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sl::cdc::DebeziumDecoder stream;
  static sl::cdc::DebeziumDecoder consumer({.schemaless_as_text = true, .key_text = false});
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
  return 0;
}
