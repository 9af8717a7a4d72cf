// Consumer lag: how far each consumer group is behind on the topics `<prefix>.<schema>.<table>`,
// per partition — the high watermark (the offset the next record will get) minus the group's
// committed offset. What `sportlake status`, /api/status, /operations and /metrics show.
//
// Read with one short-lived librdkafka client that never joins a group (metadata, ListOffsets,
// and the admin API's ListGroups and OffsetFetch for each group): querying does not disturb the
// running consumers, and an unreachable cluster costs one timeout, not one per group. A group's committed
// offsets are its resume point for notify and distances; for the Bronze ingest they are a copy
// written after each commit (Bronze's Delta txns are authoritative: the caller adds those).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sl::bus {

struct LagGroup {
  std::string group;
  std::vector<std::string> tables;  // the tables it follows (KafkaSourceOptions::tables); empty: all
  // Found by listing the cluster's groups (not configured): it follows the topics it committed on.
  bool discovered = false;
};

struct LagQuery {
  std::string bootstrap_servers;
  std::vector<std::pair<std::string, std::string>> properties;  // librdkafka (SASL, TLS...)
  std::string topic_prefix;
  std::vector<LagGroup> groups;
  // Also every other group of the cluster that committed offsets on the prefix's topics (a role
  // run with --group, another deployment's ingest...).
  bool discover = false;
  std::chrono::milliseconds timeout{5000};  // per broker request
};

struct PartitionLag {
  std::string group;
  std::string topic;
  int32_t partition = 0;
  int64_t low_watermark = 0;             // the oldest offset still on the broker
  int64_t high_watermark = 0;            // the next record's offset
  std::optional<int64_t> committed;      // the group's committed offset, nullopt: none
  // high − committed; without a committed offset high − low (a consumer starts at the earliest).
  int64_t lag = 0;
};

// The lag of every group that committed at least one offset (a group that never ran is left
// out) on every partition of the topics it follows, ordered by group, topic, partition. The
// listing of the groups (`discover`) is best effort: a cluster that refuses it shows the
// configured groups only.
// Errc::unavailable when the cluster does not answer within the timeout.
Result<std::vector<PartitionLag>> consumer_lag(const LagQuery& query);

}  // namespace sl::bus
