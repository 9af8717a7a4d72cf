// Waking librdkafka's fetchers once the consumer's prefetch queue drained (see the header).
#include "bus/fetch_waker.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace sl::bus {

namespace {

// An integer property of a client's configuration (every property has a value: ours, the
// passthrough's or librdkafka's default).
int64_t int_property(rd_kafka_t* rk, const char* name) {
  std::array<char, 64> text{};
  size_t size = text.size();
  int64_t out = 0;
  if (rd_kafka_conf_get(rd_kafka_conf(rk), name, text.data(), &size) == RD_KAFKA_CONF_OK)
    std::from_chars(text.data(), text.data() + std::strlen(text.data()), out);
  return out;
}

constexpr uint64_t k_look_every = 16;  // messages between two looks at the queue
constexpr double k_full = 0.75;  // the fetcher has likely stopped (or soon will): some margin
                                 // for records of sizes far from the mean
constexpr double k_drained = 0.5;  // time to restart it

}  // namespace

FetchWaker::FetchWaker(rd_kafka_t* rk)
    : rk_(rk),
      queue_(rd_kafka_queue_get_consumer(rk)),
      queue_bytes_(int_property(rk, "queued.max.messages.kbytes") * 1024),
      queue_messages_(int_property(rk, "queued.min.messages")) {}

FetchWaker::~FetchWaker() {
  if (queue_ != nullptr) rd_kafka_queue_destroy(queue_);
}

void FetchWaker::taken(size_t bytes) {
  ++taken_messages_;
  taken_bytes_ += bytes;
  if (taken_messages_ % k_look_every == 0) look();
}

size_t FetchWaker::queued() const {
  return queue_ != nullptr ? rd_kafka_queue_length(queue_) : 0;
}

void FetchWaker::look() {
  if (queue_ == nullptr) return;
  const auto queued = static_cast<double>(rd_kafka_queue_length(queue_));
  const double mean_size = static_cast<double>(taken_bytes_) / static_cast<double>(taken_messages_);
  double fill = 0;
  if (queue_bytes_ > 0) fill = queued * mean_size / static_cast<double>(queue_bytes_);
  if (queue_messages_ > 0) fill = std::max(fill, queued / static_cast<double>(queue_messages_));
  if (fill >= k_full) {
    armed_ = true;
  } else if (armed_ && fill <= k_drained) {
    armed_ = false;
    wake();
  }
}

void FetchWaker::wake() {
  rd_kafka_topic_partition_list_t* assigned = nullptr;
  if (rd_kafka_assignment(rk_, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR || assigned == nullptr)
    return;
  if (assigned->cnt > 0) {
    // ListOffsets for the partitions' ends: one request per leader, each waking its broker
    // thread (the answer itself is not needed).
    for (int i = 0; i < assigned->cnt; ++i) assigned->elems[i].offset = RD_KAFKA_OFFSET_END;
    ++wakes_;
    if (auto err = rd_kafka_offsets_for_times(rk_, assigned, 1000); err != RD_KAFKA_RESP_ERR_NO_ERROR)
      spdlog::debug("kafka: waking the fetchers: {}", rd_kafka_err2str(err));
  }
  rd_kafka_topic_partition_list_destroy(assigned);
}

}  // namespace sl::bus
