// consumer_lag on librdkafka's mock cluster: a group's committed offset against the high
// watermark, per partition of the topics it follows; a group that never committed left out. And
// KafkaChangeSource's `tables` subscription (only the topics of the tables a role reads).
#include "bus/consumer_lag.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "bus/kafka_change_source.hpp"
#include "bus/kafka_sink.hpp"
#include "bus/tests/mock_cluster.hpp"

namespace sl::bus {
namespace {

std::string record(int id) {
  const std::string row = "{\"id\":" + std::to_string(id) + "}";
  return "{\"before\":null,\"after\":" + row +
         ",\"source\":{\"version\":\"3.0\",\"connector\":\"postgresql\",\"name\":\"p\",\"ts_ms\":1,"
         "\"snapshot\":\"false\",\"db\":\"d\",\"sequence\":\"[\\\"" +
         std::to_string(100 + id) + "\\\",\\\"" + std::to_string(100 + id) +
         "\\\"]\",\"schema\":\"public\",\"table\":\"t\",\"txId\":5,\"lsn\":" +
         std::to_string(100 + id) + "},\"op\":\"c\",\"ts_ms\":2}";
}

std::string key(int id) { return "{\"id\":" + std::to_string(id) + "}";
}

TEST(ConsumerLag, CommittedOffsetAgainstTheHighWatermarkOfTheFollowedTopics) {
  MockCluster cluster;
  cluster.create_topic("p.public.t", 1);
  cluster.create_topic("p.public.u", 1);
  cluster.create_topic("other.public.t", 1);
  {
    auto sink = KafkaSink::open({.bootstrap_servers = cluster.bootstrap(), .properties = {{"log_level", "0"}}});
    ASSERT_TRUE(sink) << sink.error().to_string();
    for (int id = 1; id <= 5; ++id) ASSERT_TRUE((*sink)->write("p.public.t", key(id), record(id)));
    for (int id = 1; id <= 2; ++id) ASSERT_TRUE((*sink)->write("p.public.u", key(id), record(id)));
    ASSERT_TRUE((*sink)->end_transaction(cdc::SourcePosition{pg::Lsn{1}}));
    ASSERT_TRUE((*sink)->durable());
  }
  {
    // A role reading table t only (committed offsets: no `start`), confirming 3 of its 5 records.
    auto source = KafkaChangeSource::open({.bootstrap_servers = cluster.bootstrap(),
                                           .properties = {{"log_level", "0"}},
                                           .group = "g",
                                           .topic_prefix = "p",
                                           .tables = {"t"}});
    ASSERT_TRUE(source) << source.error().to_string();
    std::vector<cdc::SourcePosition> ends;
    cdc::ChangeHandler handler{.on_event = [](const cdc::ChangeEvent&) { return Status{}; },
                               .on_transaction_end =
                                   [&](const cdc::SourcePosition& end) {
                                     ends.push_back(end);
                                     return Status{};
                                   },
                               .on_reset = [] {}};
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ends.size() < 5 && std::chrono::steady_clock::now() < give_up)
      ASSERT_TRUE((*source)->poll(std::chrono::milliseconds(100), handler));
    ASSERT_EQ(ends.size(), 5u);
    for (const auto& end : ends) EXPECT_EQ(end.log->topic, "p.public.t");  // never table u
    (*source)->confirm(ends[2]);
  }  // closing commits the confirmed offsets synchronously

  auto lag = consumer_lag({.bootstrap_servers = cluster.bootstrap(),
                           .properties = {{"log_level", "0"}},
                           .topic_prefix = "p",
                           .groups = {{"g", {"t"}}, {"never-ran", {}}}});
  ASSERT_TRUE(lag) << lag.error().to_string();
  ASSERT_EQ(lag->size(), 1u);
  const PartitionLag& row = lag->front();
  EXPECT_EQ(row.group, "g");
  EXPECT_EQ(row.topic, "p.public.t");
  EXPECT_EQ(row.partition, 0);
  EXPECT_EQ(row.high_watermark, 5);
  EXPECT_EQ(row.committed, 3);
  EXPECT_EQ(row.lag, 2);

  // The same group asked about every table: u has no committed offset, its lag counts from the
  // oldest record (where the group would start).
  auto all = consumer_lag({.bootstrap_servers = cluster.bootstrap(),
                           .properties = {{"log_level", "0"}},
                           .topic_prefix = "p",
                           .groups = {{"g", {}}}});
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].topic, "p.public.u");
  EXPECT_FALSE((*all)[1].committed);
  EXPECT_EQ((*all)[1].lag, 2);
}

TEST(ConsumerLag, UnreachableBrokersAreAnErrorWithinTheTimeout) {
  const auto started = std::chrono::steady_clock::now();
  auto lag = consumer_lag({.bootstrap_servers = "127.0.0.1:1",
                           .properties = {{"log_level", "0"}},
                           .topic_prefix = "p",
                           .groups = {{"g", {}}},
                           .timeout = std::chrono::milliseconds(500)});
  ASSERT_FALSE(lag);
  EXPECT_EQ(lag.error().code, Errc::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace sl::bus
