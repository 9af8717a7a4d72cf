// KafkaSink: librdkafka producer, per-transaction delivery accounting, topics created when missing.
#include "bus/kafka_sink.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_set>

#include "bus/kafka_conf.hpp"

namespace sl::bus {

struct KafkaSink::Impl {
  // One transaction's messages not yet reported, and its end once it is complete.
  struct Txn {
    long remaining = 0;
    std::optional<cdc::SourcePosition> end;
  };

  KafkaSinkOptions options;
  rd_kafka_t* rk = nullptr;
  std::unordered_set<std::string> topics;  // known to exist in the cluster
  std::deque<Txn> txns{Txn{}};             // back: the open transaction
  uint64_t front_ordinal = 0;              // ordinal of txns.front()
  long in_flight = 0;
  long writes_since_poll = 0;
  std::optional<Error> failure;  // the first delivery or fatal error
  std::string topic_buffer;

  ~Impl() {
    if (rk != nullptr) rd_kafka_destroy(rk);
  }

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    auto ordinal = reinterpret_cast<uintptr_t>(message->_private);
    --self->in_flight;
    --self->txns[ordinal - self->front_ordinal].remaining;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && !self->failure) {
      self->failure = make_error(
          Errc::unavailable, std::string("kafka: delivery to ") +
                                 rd_kafka_topic_name(message->rkt) + " failed: " +
                                 rd_kafka_err2str(message->err));
    }
  }

  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      std::array<char, 512> text{};
      rd_kafka_fatal_error(rk, text.data(), text.size());
      if (!self->failure)
        self->failure = make_error(Errc::unavailable,
                                   std::string("kafka: fatal producer error: ") + text.data());
      return;
    }
    // Brokers down, connection refused...: librdkafka retries until message.timeout.ms.
    spdlog::warn("kafka: {}", reason);
  }

  Status check() const {
    if (failure) return *failure;
    return {};
  }

  // Loads the cluster's topic names into `topics`.
  Status refresh_topics() {
    const rd_kafka_metadata_t* md = nullptr;
    auto err = rd_kafka_metadata(rk, 1, nullptr, &md,
                                 static_cast<int>(options.admin_timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return make_error(Errc::unavailable,
                        std::string("kafka: cannot read the cluster's topics: ") +
                            rd_kafka_err2str(err));
    for (int i = 0; i < md->topic_cnt; ++i)
      if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) topics.insert(md->topics[i].topic);
    rd_kafka_metadata_destroy(md);
    return {};
  }

  Status create_topic(const std::string& name) {
    std::array<char, 512> errstr{};
    rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(
        name.c_str(), options.partitions, options.replication_factor, errstr.data(), errstr.size());
    if (topic == nullptr)
      return make_error(Errc::invalid_argument,
                        "kafka: topic " + name + ": " + std::string(errstr.data()));
    rd_kafka_AdminOptions_t* admin = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(
        admin, static_cast<int>(options.admin_timeout.count()), errstr.data(), errstr.size());
    rd_kafka_AdminOptions_set_operation_timeout(
        admin, static_cast<int>(options.admin_timeout.count()), errstr.data(), errstr.size());
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &topic, 1, admin, queue);
    rd_kafka_event_t* event =
        rd_kafka_queue_poll(queue, static_cast<int>(options.admin_timeout.count()) + 5000);
    Status status;
    if (event == nullptr) {
      status = make_error(Errc::timeout, "kafka: creating topic " + name + " timed out");
    } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      status = make_error(Errc::unavailable, "kafka: creating topic " + name + ": " +
                                                 rd_kafka_event_error_string(event));
    } else {
      size_t count = 0;
      const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
          rd_kafka_event_CreateTopics_result(event), &count);
      for (size_t i = 0; i < count; ++i) {
        auto err = rd_kafka_topic_result_error(results[i]);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
          const char* why = rd_kafka_topic_result_error_string(results[i]);
          status = make_error(Errc::unavailable, "kafka: creating topic " + name + ": " +
                                                     (why != nullptr ? why : rd_kafka_err2str(err)));
        }
      }
    }
    if (status)
      spdlog::info("kafka: created topic {} ({} partitions, replication factor {})", name,
                   options.partitions, options.replication_factor);
    if (event != nullptr) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    rd_kafka_AdminOptions_destroy(admin);
    rd_kafka_NewTopic_destroy(topic);
    return status;
  }

  Status ensure_topic(const std::string& name) {
    if (topics.contains(name)) return {};
    SL_TRY(refresh_topics());
    if (topics.contains(name)) return {};
    SL_TRY(create_topic(name));
    topics.insert(name);
    return {};
  }
};

std::optional<std::string> librdkafka_property(std::string_view setting_key) {
  constexpr std::string_view prefix = "kafka.";
  if (!setting_key.starts_with(prefix)) return std::nullopt;
  std::string_view name = setting_key.substr(prefix.size());
  for (std::string_view own :
       {"bootstrap_servers", "topic_prefix", "group", "partitions", "replication_factor"})
    if (name == own) return std::nullopt;
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

Result<std::unique_ptr<KafkaSink>> KafkaSink::open(const KafkaSinkOptions& options) {
  if (options.bootstrap_servers.empty())
    return make_error(Errc::invalid_argument,
                      "kafka: no brokers (set KAFKA_BOOTSTRAP_SERVERS or kafka.bootstrap_servers)");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // Our defaults first, the passthrough over them, then what must hold whatever it says.
  std::vector<std::pair<std::string, std::string>> all = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"client.id", "sportlake-cdc"},
      {"compression.type", "lz4"},
      {"linger.ms", "5"},
      // librdkafka's local queue holds what the broker has not acknowledged yet: 1 GB and
      // 100,000 messages by default, so a large transaction (6 KB records with their schema)
      // sat there and the publisher's RSS grew with it. Capped, write waits for deliveries
      // (QUEUE_FULL) and the rest of the transaction waits in PostgreSQL's WAL.
      {"queue.buffering.max.kbytes", "16384"},
      {"queue.buffering.max.messages", "20000"},
      // Java's partitioner: a key lands on the partition a Java producer (Debezium) picks.
      {"partitioner", "murmur2_random"},
  };
  for (const auto& [name, value] : options.properties) {
    if (name == "enable.idempotence" && value != "true")
      return make_error(Errc::invalid_argument,
                        "kafka.enable.idempotence: the publisher needs the idempotent producer");
    if (name == "acks" && value != "all" && value != "-1")
      return make_error(Errc::invalid_argument, "kafka.acks: the publisher needs acks=all");
    all.emplace_back(name, value);
  }
  all.emplace_back("enable.idempotence", "true");
  all.emplace_back("acks", "all");
  SL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, new_kafka_conf(all));
  rd_kafka_conf_set_opaque(conf, impl.get());
  rd_kafka_conf_set_dr_msg_cb(conf, &Impl::on_delivery);
  rd_kafka_conf_set_error_cb(conf, &Impl::on_error);
  std::array<char, 512> errstr{};
  impl->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr.data(), errstr.size());
  if (impl->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return make_error(Errc::invalid_argument,
                      std::string("kafka: cannot create the producer: ") + errstr.data());
  }
  return std::unique_ptr<KafkaSink>(new KafkaSink(std::move(impl)));
}

KafkaSink::KafkaSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KafkaSink::~KafkaSink() {
  // Unreported messages are abandoned: their transactions were never acknowledged.
  if (impl_->in_flight > 0)
    spdlog::warn("kafka: closing with {} messages without a delivery report", impl_->in_flight);
}

long KafkaSink::in_flight() const { return impl_->in_flight; }

Status KafkaSink::write(std::string_view topic, std::optional<std::string_view> key,
                        std::optional<std::string_view> value) {
  Impl& m = *impl_;
  SL_TRY(m.check());
  m.topic_buffer.assign(topic);
  SL_TRY(m.ensure_topic(m.topic_buffer));
  const uint64_t ordinal = m.front_ordinal + m.txns.size() - 1;
  void* opaque = reinterpret_cast<void*>(static_cast<uintptr_t>(ordinal));
  // (The macros below cast their arguments without parentheses: plain variables only.)
  void* key_data = key ? const_cast<char*>(key->data()) : nullptr;
  size_t key_size = key ? key->size() : 0;
  void* value_data = value ? const_cast<char*>(value->data()) : nullptr;
  size_t value_size = value ? value->size() : 0;
  for (;;) {
    auto err = rd_kafka_producev(
        m.rk, RD_KAFKA_V_TOPIC(m.topic_buffer.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key_data, key_size), RD_KAFKA_V_VALUE(value_data, value_size),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
      return make_error(Errc::unavailable, "kafka: cannot send to " + m.topic_buffer + ": " +
                                               rd_kafka_err2str(err));
    rd_kafka_poll(m.rk, 100);  // the local queue is full: wait for deliveries
    SL_TRY(m.check());
  }
  ++m.in_flight;
  ++m.txns.back().remaining;
  if (++m.writes_since_poll >= 1000) {
    m.writes_since_poll = 0;
    rd_kafka_poll(m.rk, 0);
  }
  return {};
}

Status KafkaSink::end_transaction(const cdc::SourcePosition& end) {
  impl_->txns.back().end = end;
  impl_->txns.emplace_back();
  return {};
}

Result<std::optional<cdc::SourcePosition>> KafkaSink::take_durable() {
  Impl& m = *impl_;
  rd_kafka_poll(m.rk, 0);
  SL_TRY(m.check());
  std::optional<cdc::SourcePosition> durable;
  while (m.txns.size() > 1 && m.txns.front().remaining == 0) {
    durable = m.txns.front().end;
    m.txns.pop_front();
    ++m.front_ordinal;
  }
  return durable;
}

Status KafkaSink::durable() {
  Impl& m = *impl_;
  // Every message gets a report within message.timeout.ms (a failure at worst).
  while (m.in_flight > 0 && !m.failure) rd_kafka_flush(m.rk, 1000);
  return m.check();
}

}  // namespace sl::bus
