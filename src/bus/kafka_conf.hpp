// What the producer and the consumer share of librdkafka's setup: a configuration built from our
// defaults and the `kafka.*` passthrough (a refused secret's value never shown), and librdkafka's
// log routed to spdlog. Internal to `bus`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

struct rd_kafka_conf_s;
struct rd_kafka_s;

namespace sl::bus {

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

// A property whose value must never reach a log or an error message.
bool secret_property(std::string_view name);

// A new librdkafka configuration with `properties` set in order (later ones win), librdkafka's
// log sent to spdlog; the caller owns it (rd_kafka_new takes it, else rd_kafka_conf_destroy).
Result<rd_kafka_conf_s*> new_kafka_conf(const KafkaProperties& properties);

}  // namespace sl::bus
