// libFuzzer target: the Debezium JSON decoder on arbitrary records. The input is split at the
// first newline into key and value, so both halves (and the schema/payload forms) are reached.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cdc/debezium_decoder.hpp"
#include "cdc/debezium_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<std::string_view> key;
  std::optional<std::string_view> value = input;
  if (auto newline = input.find('\n'); newline != std::string_view::npos) {
    key = input.substr(0, newline);
    value = input.substr(newline + 1);
  }
  auto decoded = sl::cdc::decode_debezium(key, value);
  // What decodes must encode again (the decoder only produces values the encoder accepts).
  if (decoded.ok() && !decoded->tombstone) {
    (void)sl::cdc::encode_debezium(decoded->event, {.schemas = decoded->had_schema});
  }
  return 0;
}
