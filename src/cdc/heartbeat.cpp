// Debezium's heartbeat records.
#include "cdc/heartbeat.hpp"

#include "common/civil_time.hpp"
#include "common/json_writer.hpp"

namespace sl::cdc {

namespace {

// JsonConverter's schemas of Debezium's ServerNameKey and Heartbeat structs.
constexpr std::string_view k_key_schema =
    R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"serverName"}],)"
    R"("optional":false,"name":"io.debezium.connector.common.ServerNameKey","version":1},"payload":)";
constexpr std::string_view k_value_schema =
    R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],)"
    R"("optional":false,"name":"io.debezium.connector.common.Heartbeat","version":1},"payload":)";

}  // namespace

HeartbeatRecord heartbeat_record(std::string_view heartbeat_prefix, std::string_view topic_prefix,
                                 bool schemas, int64_t now_us) {
  HeartbeatRecord out;
  out.topic = std::string(heartbeat_prefix) + "." + std::string(topic_prefix);
  if (schemas) out.key += k_key_schema;
  out.key += "{\"serverName\":";
  append_json_string(out.key, topic_prefix);
  out.key += '}';
  if (schemas) out.key += '}';
  if (schemas) out.value += k_value_schema;
  out.value += "{\"ts_ms\":" + std::to_string(floor_div(now_us, 1000)) + "}";
  if (schemas) out.value += '}';
  return out;
}

}  // namespace sl::cdc
