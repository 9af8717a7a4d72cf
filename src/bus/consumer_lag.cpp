// Consumer lag from the cluster's metadata, watermarks and each group's committed offsets.
#include "bus/consumer_lag.hpp"

#include <librdkafka/rdkafka.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <memory>
#include <tuple>

#include "bus/kafka_change_source.hpp"
#include "bus/kafka_conf.hpp"

namespace sl::bus {

namespace {

using Handle = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;
using Event = std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)>;

// A client that only asks (never subscribes, so it never joins a group).
Result<Handle> open_handle(const LagQuery& query) {
  KafkaProperties all = {{"bootstrap.servers", query.bootstrap_servers},
                         {"client.id", "sportlake-status"},
                         {"socket.timeout.ms", std::to_string(query.timeout.count())}};
  all.insert(all.end(), query.properties.begin(), query.properties.end());
  all.emplace_back("enable.auto.commit", "false");
  SL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, new_kafka_conf(all));
  std::array<char, 512> errstr{};
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr.data(), errstr.size());
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return make_error(Errc::invalid_argument,
                      std::string("kafka: cannot create a client: ") + errstr.data());
  }
  return Handle(rk, &rd_kafka_destroy);
}

// Runs one admin request (`send` on a fresh queue with the timeout set) and waits for its event.
template <typename Send>
Result<Event> admin_request(rd_kafka_t* rk, rd_kafka_admin_op_t op, const LagQuery& query,
                            const std::string& what, Send send) {
  const int timeout = static_cast<int>(query.timeout.count());
  std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> queue(rd_kafka_queue_new(rk),
                                                                            &rd_kafka_queue_destroy);
  std::unique_ptr<rd_kafka_AdminOptions_t, decltype(&rd_kafka_AdminOptions_destroy)> options(
      rd_kafka_AdminOptions_new(rk, op), &rd_kafka_AdminOptions_destroy);
  std::array<char, 256> errstr{};
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout, errstr.data(), errstr.size());
  send(options.get(), queue.get());
  Event event(rd_kafka_queue_poll(queue.get(), timeout + 1000), &rd_kafka_event_destroy);
  if (!event)
    return make_error(Errc::unavailable, "kafka: " + what + ": no answer within the timeout");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return make_error(Errc::unavailable,
                      "kafka: " + what + ": " + rd_kafka_event_error_string(event.get()));
  return event;
}

// Every consumer group of the cluster (ListGroups).
Result<std::vector<std::string>> list_groups(rd_kafka_t* rk, const LagQuery& query) {
  SL_ASSIGN_OR_RETURN(auto event,
                      admin_request(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, query,
                                    "list the consumer groups",
                                    [rk](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                                      rd_kafka_ListConsumerGroups(rk, options, queue);
                                    }));
  const auto* result = rd_kafka_event_ListConsumerGroups_result(event.get());
  size_t count = 0;
  const rd_kafka_ConsumerGroupListing_t** listed =
      rd_kafka_ListConsumerGroups_result_valid(result, &count);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i)
    out.emplace_back(rd_kafka_ConsumerGroupListing_group_id(listed[i]));
  return out;
}

// The committed offsets of `group` on the partitions of `marks` it committed (OffsetFetch, the
// partitions named: librdkafka's mock cluster answers nothing for "all partitions").
template <typename Marks>
Result<std::map<std::pair<std::string, int32_t>, int64_t>> committed_offsets(
    rd_kafka_t* rk, const LagQuery& query, const std::string& group, const Marks& marks) {
  std::unique_ptr<rd_kafka_topic_partition_list_t, decltype(&rd_kafka_topic_partition_list_destroy)>
      wanted(rd_kafka_topic_partition_list_new(static_cast<int>(marks.size())),
             &rd_kafka_topic_partition_list_destroy);
  for (const auto& [key, w] : marks)
    rd_kafka_topic_partition_list_add(wanted.get(), key.first.c_str(), key.second);
  SL_ASSIGN_OR_RETURN(
      auto event,
      admin_request(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, query,
                    "committed offsets of group " + group,
                    [rk, &group, &wanted](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                      rd_kafka_ListConsumerGroupOffsets_t* request =
                          rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), wanted.get());
                      rd_kafka_ListConsumerGroupOffsets(rk, &request, 1, options, queue);
                      rd_kafka_ListConsumerGroupOffsets_destroy(request);
                    }));
  const auto* result = rd_kafka_event_ListConsumerGroupOffsets_result(event.get());
  size_t count = 0;
  const rd_kafka_group_result_t** groups =
      rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count);
  std::map<std::pair<std::string, int32_t>, int64_t> out;
  for (size_t g = 0; g < count; ++g) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[g]))
      return make_error(Errc::unavailable, "kafka: committed offsets of group " + group + ": " +
                                               rd_kafka_error_string(error));
    const rd_kafka_topic_partition_list_t* list = rd_kafka_group_result_partitions(groups[g]);
    for (int i = 0; list != nullptr && i < list->cnt; ++i)
      if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[i].offset >= 0)
        out[{list->elems[i].topic, list->elems[i].partition}] = list->elems[i].offset;
  }
  return out;
}

struct Watermarks {
  int64_t low = 0;
  int64_t high = 0;
};

// Every partition of the topics under the prefix with its watermarks.
Result<std::map<std::pair<std::string, int32_t>, Watermarks>> partitions(rd_kafka_t* rk,
                                                                         const LagQuery& query) {
  const int timeout = static_cast<int>(query.timeout.count());
  const rd_kafka_metadata_t* md = nullptr;
  if (auto err = rd_kafka_metadata(rk, 1, nullptr, &md, timeout); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return make_error(Errc::unavailable,
                      std::string("kafka: cannot read the cluster's topics: ") + rd_kafka_err2str(err));
  std::unique_ptr<const rd_kafka_metadata_t, decltype(&rd_kafka_metadata_destroy)> guard(
      md, &rd_kafka_metadata_destroy);
  std::map<std::pair<std::string, int32_t>, Watermarks> out;
  for (int t = 0; t < md->topic_cnt; ++t) {
    const auto& topic = md->topics[t];
    if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR || !topic_table(query.topic_prefix, topic.topic))
      continue;
    for (int p = 0; p < topic.partition_cnt; ++p) {
      Watermarks w;
      const int32_t id = topic.partitions[p].id;
      if (auto err = rd_kafka_query_watermark_offsets(rk, topic.topic, id, &w.low, &w.high, timeout);
          err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return make_error(Errc::unavailable, std::string("kafka: watermarks of ") + topic.topic +
                                                 ":" + std::to_string(id) + ": " +
                                                 rd_kafka_err2str(err));
      out[{topic.topic, id}] = w;
    }
  }
  return out;
}

bool follows(const LagQuery& query, const LagGroup& group, const std::string& topic,
             const std::map<std::pair<std::string, int32_t>, int64_t>& committed) {
  if (group.discovered) {
    auto at = committed.lower_bound({topic, INT32_MIN});
    return at != committed.end() && at->first.first == topic;
  }
  if (group.tables.empty()) return true;
  const auto table = topic_table(query.topic_prefix, topic);
  return table && std::find(group.tables.begin(), group.tables.end(), table->second) !=
                      group.tables.end();
}

}  // namespace

Result<std::vector<PartitionLag>> consumer_lag(const LagQuery& query) {
  std::vector<PartitionLag> out;
  if (query.groups.empty() && !query.discover) return out;
  SL_ASSIGN_OR_RETURN(auto handle, open_handle(query));
  SL_ASSIGN_OR_RETURN(auto marks, partitions(handle.get(), query));
  std::vector<LagGroup> groups = query.groups;
  if (query.discover) {
    auto listed = list_groups(handle.get(), query);
    if (!listed) spdlog::debug("{}: the configured groups only", listed.error().to_string());
    for (const auto& name : listed ? *listed : std::vector<std::string>{})
      if (std::none_of(groups.begin(), groups.end(),
                       [&name](const LagGroup& g) { return g.group == name; }))
        groups.push_back({.group = name, .tables = {}, .discovered = true});
  }
  for (const auto& group : groups) {
    if (marks.empty()) break;
    SL_ASSIGN_OR_RETURN(auto committed, committed_offsets(handle.get(), query, group.group, marks));
    if (committed.empty()) continue;  // never committed (or on other topics only)
    std::vector<PartitionLag> rows;
    bool any_committed = false;
    for (const auto& [key, w] : marks) {
      if (!follows(query, group, key.first, committed)) continue;
      PartitionLag row{.group = group.group,
                       .topic = key.first,
                       .partition = key.second,
                       .low_watermark = w.low,
                       .high_watermark = w.high};
      if (auto at = committed.find(key); at != committed.end()) {
        row.committed = at->second;
        any_committed = true;
      }
      row.lag = std::max<int64_t>(0, w.high - row.committed.value_or(w.low));
      rows.push_back(std::move(row));
    }
    if (any_committed) out.insert(out.end(), rows.begin(), rows.end());
  }
  std::sort(out.begin(), out.end(), [](const PartitionLag& a, const PartitionLag& b) {
    return std::tie(a.group, a.topic, a.partition) < std::tie(b.group, b.topic, b.partition);
  });
  return out;
}

}  // namespace sl::bus
