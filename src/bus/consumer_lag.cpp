// Consumer lag from the cluster's metadata, watermarks and each group's committed offsets.
#include "bus/consumer_lag.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>

#include "bus/kafka_change_source.hpp"
#include "bus/kafka_conf.hpp"

namespace sl::bus {

namespace {

using Handle = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;
using PartitionList =
    std::unique_ptr<rd_kafka_topic_partition_list_t, decltype(&rd_kafka_topic_partition_list_destroy)>;

// A consumer of `group` that only asks (never subscribes, so it never joins the group).
Result<Handle> open_handle(const LagQuery& query, const std::string& group) {
  KafkaProperties all = {{"bootstrap.servers", query.bootstrap_servers},
                         {"client.id", "sportlake-status"},
                         {"socket.timeout.ms", std::to_string(query.timeout.count())}};
  all.insert(all.end(), query.properties.begin(), query.properties.end());
  all.emplace_back("group.id", group);
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

bool follows(const LagQuery& query, const LagGroup& group, const std::string& topic) {
  if (group.tables.empty()) return true;
  const auto table = topic_table(query.topic_prefix, topic);
  return table && std::find(group.tables.begin(), group.tables.end(), table->second) !=
                      group.tables.end();
}

}  // namespace

Result<std::vector<PartitionLag>> consumer_lag(const LagQuery& query) {
  std::vector<PartitionLag> out;
  if (query.groups.empty()) return out;
  SL_ASSIGN_OR_RETURN(auto first, open_handle(query, query.groups.front().group));
  SL_ASSIGN_OR_RETURN(auto marks, partitions(first.get(), query));
  for (const auto& group : query.groups) {
    Handle other(nullptr, &rd_kafka_destroy);
    if (&group != &query.groups.front()) {
      SL_ASSIGN_OR_RETURN(other, open_handle(query, group.group));
    }
    rd_kafka_t* rk = other ? other.get() : first.get();
    PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(marks.size())),
                       &rd_kafka_topic_partition_list_destroy);
    for (const auto& [key, w] : marks)
      if (follows(query, group, key.first))
        rd_kafka_topic_partition_list_add(list.get(), key.first.c_str(), key.second);
    if (list->cnt == 0) continue;
    if (auto err = rd_kafka_committed(rk, list.get(), static_cast<int>(query.timeout.count()));
        err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return make_error(Errc::unavailable, "kafka: committed offsets of group " + group.group +
                                               ": " + rd_kafka_err2str(err));
    std::vector<PartitionLag> rows;
    bool any_committed = false;
    for (int i = 0; i < list->cnt; ++i) {
      const auto& tp = list->elems[i];
      const Watermarks& w = marks.at({tp.topic, tp.partition});
      PartitionLag row{.group = group.group,
                       .topic = tp.topic,
                       .partition = tp.partition,
                       .low_watermark = w.low,
                       .high_watermark = w.high};
      if (tp.err == RD_KAFKA_RESP_ERR_NO_ERROR && tp.offset >= 0) {
        row.committed = tp.offset;
        any_committed = true;
      }
      row.lag = std::max<int64_t>(0, w.high - row.committed.value_or(w.low));
      rows.push_back(std::move(row));
    }
    if (any_committed) out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

}  // namespace sl::bus
