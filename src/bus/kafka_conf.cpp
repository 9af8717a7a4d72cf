// librdkafka configuration shared by the producer and the consumer.
#include "bus/kafka_conf.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <array>

namespace sl::bus {

namespace {

void log_to_spdlog(const rd_kafka_t*, int level, const char* facility, const char* message) {
  if (level <= 3)
    spdlog::error("kafka: {}: {}", facility, message);
  else if (level == 4)
    spdlog::warn("kafka: {}: {}", facility, message);
  else
    spdlog::debug("kafka: {}: {}", facility, message);
}

}  // namespace

bool secret_property(std::string_view name) {
  for (std::string_view word : {"password", "secret", "key", "token", "jaas"})
    if (name.find(word) != std::string_view::npos) return true;
  return false;
}

Result<rd_kafka_conf_t*> new_kafka_conf(const KafkaProperties& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::array<char, 512> errstr{};
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr.data(), errstr.size()) ==
        RD_KAFKA_CONF_OK)
      continue;
    rd_kafka_conf_destroy(conf);
    // librdkafka's message may quote the value: never for a secret.
    return make_error(Errc::invalid_argument,
                      "kafka." + name + ": " +
                          (secret_property(name) ? std::string("invalid value (not shown)")
                                                 : std::string(errstr.data())));
  }
  rd_kafka_conf_set_log_cb(conf, &log_to_spdlog);
  return conf;
}

}  // namespace sl::bus
