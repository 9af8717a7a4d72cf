// Debezium's heartbeat records (`heartbeat.interval.ms`, `topic.heartbeat.prefix`): on topic
// `<heartbeat prefix>.<topic prefix>` (`__debezium-heartbeat.rh_sport` by default), keyed by the
// server name (the topic prefix), valued with the time they were written. As the real connector
// (3.6.1) writes them (schemas.enable=false):
//   key {"serverName":"rh_sport"}   value {"ts_ms":1700000000123}
// They tell a consumer the publisher is alive while nothing changes; the slot itself advances on
// the server's keepalives while idle (pg::ReplicationStream), heartbeats or not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sl::cdc {

struct HeartbeatRecord {
  std::string topic;
  std::string key;
  std::string value;
};

// `schemas`: JsonConverter schemas.enable=true (key and value wrapped with their Connect schema).
HeartbeatRecord heartbeat_record(std::string_view heartbeat_prefix, std::string_view topic_prefix,
                                 bool schemas, int64_t now_us);

}  // namespace sl::cdc
