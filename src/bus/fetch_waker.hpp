// FetchWaker: restarts librdkafka 2.0's fetcher once the consumer has drained its local queue,
// instead of letting it sleep up to a second. Internal to `bus`.
//
// Why: librdkafka stops fetching a partition whose prefetch queue reached its limit
// (`queued.max.messages.kbytes` or `queued.min.messages`: one shared queue for a group consumer)
// and decides again only when its broker thread wakes: on a response, a request to send, or its
// 1 s tick. A consumer with a backlog fills the queue faster than it decodes, so before 2.3
// (`fetch.queue.backoff.ms`, not in Debian's 2.0.2) it stalled for most of each second once the
// queue was full: `ingest --source kafka` landed ~20,000 rows/s with schemas while its CPU was
// idle 80 % of the time. A request to the partitions' leaders (ListOffsets for their ends, one
// per broker) wakes their broker threads, which then see the drained queue and fetch.
//
// When: the queue's fill (messages × their mean size against the byte limit, or messages against
// the count limit, the larger) is watched as the consumer takes messages; once it was seen near
// full (≥ 75 %: the fetcher has likely stopped) and has then fallen to half, the fetchers are
// woken, once, until the queue is seen near full again. So a wake costs one round trip per
// half-queue drained (~30 MB of records), never one per poll, none while the consumer keeps up.
#pragma once

#include <cstddef>
#include <cstdint>

struct rd_kafka_s;
struct rd_kafka_queue_s;

namespace sl::bus {

class FetchWaker {
 public:
  // The limits are read from the consumer's configuration.
  explicit FetchWaker(rd_kafka_s* rk);
  ~FetchWaker();
  FetchWaker(const FetchWaker&) = delete;
  FetchWaker& operator=(const FetchWaker&) = delete;

  // A message of `bytes` (its payload) was taken from the queue; every so many, the queue's fill
  // is looked at and the fetchers woken when it is due.
  void taken(size_t bytes);

  size_t wakes() const { return wakes_; }  // round trips spent waking the fetchers
  // Messages (and events) fetched and waiting in the consumer's queue.
  size_t queued() const;

 private:
  void look();
  void wake();

  rd_kafka_s* rk_;
  rd_kafka_queue_s* queue_;  // the consumer's queue (every partition's prefetch)
  int64_t queue_bytes_ = 0;     // queued.max.messages.kbytes × 1024
  int64_t queue_messages_ = 0;  // queued.min.messages
  uint64_t taken_messages_ = 0;
  uint64_t taken_bytes_ = 0;
  bool armed_ = false;  // the queue was seen near full since the last wake
  size_t wakes_ = 0;
};

}  // namespace sl::bus
