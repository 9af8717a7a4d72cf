// KafkaChangeSource on librdkafka's mock cluster: records decoded into events, repeats and
// tombstones skipped with their offsets still advancing, poison records reported and skipped,
// each partition sought where the sink says (at assignment and after a refused commit), a
// cooperative assignor refused, topic names parsed.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "bus/kafka_change_source.hpp"
#include "bus/kafka_sink.hpp"
#include "bus/tests/mock_cluster.hpp"

namespace sl::bus {
namespace {

const std::string k_topic = "p.public.t";

// A schemaless Debezium record of table public.t (id, name): sequence [lsn_commit, lsn].
std::string value(char op, int id, int lsn_commit, int lsn) {
  const std::string row = "{\"id\":" + std::to_string(id) + ",\"name\":\"n" + std::to_string(id) + "\"}";
  return std::string("{\"before\":") + (op == 'd' ? row : "null") +
         ",\"after\":" + (op == 'd' ? "null" : row) +
         ",\"source\":{\"version\":\"3.0\",\"connector\":\"postgresql\",\"name\":\"p\",\"ts_ms\":1,"
         "\"snapshot\":\"false\",\"db\":\"d\",\"sequence\":\"[\\\"" +
         std::to_string(lsn_commit) + "\\\",\\\"" + std::to_string(lsn) +
         "\\\"]\",\"schema\":\"public\",\"table\":\"t\",\"txId\":5,\"lsn\":" + std::to_string(lsn) +
         "},\"op\":\"" + op + "\",\"ts_ms\":2}";
}

std::string key(int id) { return "{\"id\":" + std::to_string(id) + "}"; }

void publish(const MockCluster& cluster) {
  auto sink = KafkaSink::open({.bootstrap_servers = cluster.bootstrap(), .properties = {{"log_level", "0"}}});
  ASSERT_TRUE(sink) << sink.error().to_string();
  ASSERT_TRUE((*sink)->write(k_topic, key(1), value('c', 1, 100, 90)));  // offset 0
  ASSERT_TRUE((*sink)->write(k_topic, key(2), value('c', 2, 100, 95)));  // 1
  ASSERT_TRUE((*sink)->write(k_topic, key(1), value('c', 1, 100, 90)));  // 2: a repeat
  ASSERT_TRUE((*sink)->write(k_topic, key(1), std::nullopt));           // 3: a tombstone
  ASSERT_TRUE((*sink)->write(k_topic, key(2), value('u', 2, 120, 115)));  // 4
  ASSERT_TRUE((*sink)->end_transaction(cdc::SourcePosition{pg::Lsn{1}}));
  ASSERT_TRUE((*sink)->durable());
}

struct Seen {
  std::vector<std::string> events;  // "op id"
  std::vector<cdc::SourcePosition> ends;
};

Seen consume(KafkaChangeSource& source, size_t ends) {
  Seen seen;
  cdc::ChangeHandler handler{
      .on_event =
          [&](const cdc::ChangeEvent& e) {
            const auto& row = e.after ? *e.after : *e.before;
            seen.events.push_back(std::string(1, static_cast<char>(e.op)) + " " + row[0].data);
            return Status{};
          },
      .on_transaction_end =
          [&](const cdc::SourcePosition& end) {
            seen.ends.push_back(end);
            return Status{};
          },
      .on_reset = [] {}};
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen.ends.size() < ends && std::chrono::steady_clock::now() < give_up) {
    auto got = source.poll(std::chrono::milliseconds(100), handler);
    EXPECT_TRUE(got.ok()) << got.error().to_string();
    if (!got.ok()) break;
  }
  return seen;
}

KafkaSourceOptions options(const MockCluster& cluster, std::optional<cdc::LogPosition> start) {
  return {.bootstrap_servers = cluster.bootstrap(),
          .properties = {{"log_level", "0"}},
          .group = "g",
          .topic_prefix = "p",
          .start = [start](const std::string& topic, const std::string& schema,
                           const std::string& table,
                           int32_t partition) -> Result<std::optional<cdc::LogPosition>> {
            EXPECT_EQ(topic, k_topic);
            EXPECT_EQ(schema, "public");
            EXPECT_EQ(table, "t");
            EXPECT_EQ(partition, 0);
            return start;
          }};
}

TEST(KafkaChangeSource, DecodesRecordsDropsRepeatsAndTombstonesAndAdvancesTheirOffsets) {
  MockCluster cluster;
  cluster.create_topic(k_topic, 1);
  publish(cluster);
  auto source = KafkaChangeSource::open(options(cluster, std::nullopt));
  ASSERT_TRUE(source) << source.error().to_string();
  auto seen = consume(**source, 5);
  ASSERT_EQ(seen.ends.size(), 5u);
  EXPECT_EQ(seen.events, (std::vector<std::string>{"c 1", "c 2", "u 2"}));
  EXPECT_EQ((*source)->repeats(), 1u);
  EXPECT_EQ((*source)->tombstones(), 1u);
  for (size_t i = 0; i < seen.ends.size(); ++i) {
    ASSERT_TRUE(seen.ends[i].log);
    EXPECT_EQ(seen.ends[i].log->next_offset, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(seen.ends[i].sequence, i + 1);
  }
  EXPECT_EQ(seen.ends[2].log->order_change, 2 * 95 + 1);  // the repeat did not move the order
  EXPECT_EQ(seen.ends.back().log->order_commit, 120);
  EXPECT_EQ(seen.ends.back().log->order_change, 2 * 115 + 1);
  (*source)->confirm(seen.ends.back());
  EXPECT_TRUE((*source)->flush_confirmed());
  EXPECT_EQ((*source)->assignment(), (std::vector<std::string>{k_topic + ":0"}));
}

TEST(KafkaChangeSource, ResumesWhereTheSinkSaysAndDropsARepeatAfterTheRestart) {
  MockCluster cluster;
  cluster.create_topic(k_topic, 1);
  publish(cluster);
  // The sink holds offsets 0-1 and the order of the change at offset 1.
  auto source = KafkaChangeSource::open(options(
      cluster, cdc::LogPosition{.topic = k_topic, .partition = 0, .next_offset = 2,
                                .order_commit = 100, .order_change = 2 * 95 + 1}));
  ASSERT_TRUE(source) << source.error().to_string();
  auto seen = consume(**source, 3);
  ASSERT_EQ(seen.ends.size(), 3u);
  EXPECT_EQ(seen.events, (std::vector<std::string>{"u 2"}));
  EXPECT_EQ((*source)->repeats(), 1u);
  EXPECT_EQ(seen.ends.front().log->next_offset, 3);
}

TEST(KafkaChangeSource, ReportsAndSkipsPoisonRecordsAndGoesOn) {
  MockCluster cluster;
  cluster.create_topic(k_topic, 1);
  {
    auto sink = KafkaSink::open({.bootstrap_servers = cluster.bootstrap(), .properties = {{"log_level", "0"}}});
    ASSERT_TRUE(sink) << sink.error().to_string();
    const std::string good = value('c', 2, 100, 95);
    ASSERT_TRUE((*sink)->write(k_topic, key(1), value('c', 1, 100, 90)));  // offset 0
    ASSERT_TRUE((*sink)->write(k_topic, key(9), std::string("{\"payload\": oops")));  // 1
    ASSERT_TRUE((*sink)->write(k_topic, key(9), good.substr(0, good.size() / 2)));   // 2: truncated
    ASSERT_TRUE((*sink)->write(k_topic, std::nullopt, std::string("{\"hello\":1}")));  // 3
    ASSERT_TRUE((*sink)->write(k_topic, key(2), good));  // 4
    ASSERT_TRUE((*sink)->end_transaction(cdc::SourcePosition{pg::Lsn{1}}));
    ASSERT_TRUE((*sink)->durable());
  }
  auto source = KafkaChangeSource::open(options(cluster, std::nullopt));
  ASSERT_TRUE(source) << source.error().to_string();
  Seen seen;
  std::vector<cdc::RejectedRecord> rejected;
  cdc::ChangeHandler handler{.on_event =
                                 [&](const cdc::ChangeEvent& e) {
                                   seen.events.push_back((*e.after)[0].data);
                                   return Status{};
                                 },
                             .on_rejected =
                                 [&](const cdc::RejectedRecord& r) {
                                   rejected.push_back(r);
                                   return Status{};
                                 },
                             .on_transaction_end =
                                 [&](const cdc::SourcePosition& end) {
                                   seen.ends.push_back(end);
                                   return Status{};
                                 },
                             .on_reset = [] {}};
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen.ends.size() < 5 && std::chrono::steady_clock::now() < give_up)
    ASSERT_TRUE((*source)->poll(std::chrono::milliseconds(100), handler));
  ASSERT_EQ(seen.ends.size(), 5u);
  EXPECT_EQ(seen.events, (std::vector<std::string>{"1", "2"}));  // the good ones, both
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ((*source)->rejected(), 3u);
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].offset, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(rejected[i].at.next_offset, static_cast<int64_t>(i) + 2);
    EXPECT_FALSE(rejected[i].reason.empty());
  }
  EXPECT_EQ(rejected[0].item(), "kafka " + k_topic + ":0@1");
  EXPECT_EQ(seen.ends[3].log->next_offset, 4);  // a poison record's end moves the offset too

  // After a refused commit: every partition sought again where the sink says (here its start).
  ASSERT_TRUE((*source)->restart_from_sink());
  seen = {};
  rejected.clear();
  while (seen.ends.size() < 5 && std::chrono::steady_clock::now() < give_up)
    ASSERT_TRUE((*source)->poll(std::chrono::milliseconds(100), handler));
  EXPECT_EQ(seen.events, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(rejected.size(), 3u);
}

// A backlog far larger than librdkafka's prefetch queue (128 KiB here): the queue fills, the
// fetcher stops, and librdkafka 2.0 looks again only at its broker thread's next 1 s tick. Each
// time the consumer has drained half the queue the fetcher is woken (the mock broker answers a
// fetch with ~1 MB whatever the limits: ~5 fills for 4.4 MB; without the wakes each fill costs a
// second), every record in order.
TEST(KafkaChangeSource, WakesTheStoppedFetcherOnceItsQueueDrained) {
  MockCluster cluster;
  cluster.create_topic(k_topic, 1);
  constexpr int k_records = 4000;
  {
    auto sink = KafkaSink::open({.bootstrap_servers = cluster.bootstrap(),
                                 .properties = {{"log_level", "0"}, {"compression.type", "none"}}});
    ASSERT_TRUE(sink) << sink.error().to_string();
    for (int i = 1; i <= k_records; ++i)  // ~1.1 KB each (blanks after the JSON pad it)
      ASSERT_TRUE((*sink)->write(k_topic, key(i), value('c', i, 100 + i, 100 + i) +
                                                      std::string(900, ' ')));
    ASSERT_TRUE((*sink)->end_transaction(cdc::SourcePosition{pg::Lsn{1}}));
    ASSERT_TRUE((*sink)->durable());
  }
  auto o = options(cluster, std::nullopt);
  o.properties.emplace_back("queued.max.messages.kbytes", "128");
  auto source = KafkaChangeSource::open(o);
  ASSERT_TRUE(source) << source.error().to_string();
  auto seen = consume(**source, k_records);
  ASSERT_EQ(seen.events.size(), static_cast<size_t>(k_records));
  for (int i = 0; i < k_records; ++i) ASSERT_EQ(seen.events[i], "c " + std::to_string(i + 1));
  EXPECT_GE((*source)->fetch_wakes(), 3u);
}

// A backlog (records published before the consumer came): behind() while a full poll batch
// (here 2 records) of it is still to deliver, not for the last record or two (a live stream's
// consumer trails by the records of its last fetch: the Bronze ingest's floor must still apply).
TEST(KafkaChangeSource, IsBehindWhileABacklogRemainsAndCaughtUpAfterItsLastRecord) {
  MockCluster cluster;
  cluster.create_topic(k_topic, 1);
  publish(cluster);  // 5 records
  auto opts = options(cluster, std::nullopt);
  opts.max_batch = 2;
  auto source = KafkaChangeSource::open(std::move(opts));
  ASSERT_TRUE(source) << source.error().to_string();
  EXPECT_FALSE((*source)->behind());  // nothing fetched yet: unknown is not behind
  std::vector<bool> behind;
  cdc::ChangeHandler handler{.on_event = [](const cdc::ChangeEvent&) { return Status{}; },
                             .on_transaction_end =
                                 [&](const cdc::SourcePosition&) {
                                   behind.push_back((*source)->behind());
                                   return Status{};
                                 },
                             .on_reset = [] {}};
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (behind.size() < 5 && std::chrono::steady_clock::now() < give_up)
    ASSERT_TRUE((*source)->poll(std::chrono::milliseconds(100), handler));
  ASSERT_EQ(behind.size(), 5u);
  EXPECT_EQ(behind, (std::vector<bool>{true, true, true, false, false}));
  EXPECT_FALSE((*source)->behind());
}

TEST(KafkaChangeSource, RefusesACooperativeAssignorAndNeedsAGroup) {
  MockCluster cluster;
  auto o = options(cluster, std::nullopt);
  o.properties.emplace_back("partition.assignment.strategy", "cooperative-sticky");
  auto refused = KafkaChangeSource::open(o);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("eager"), std::string::npos);
  auto o2 = options(cluster, std::nullopt);
  o2.group.clear();
  EXPECT_FALSE(KafkaChangeSource::open(o2));
}

TEST(KafkaChangeSource, TopicTable) {
  EXPECT_EQ(topic_table("rh_sport", "rh_sport.public.strava_activities"),
            (std::pair<std::string, std::string>{"public", "strava_activities"}));
  EXPECT_EQ(topic_table("rh_sport", "rh_sport.hr.a.b"),
            (std::pair<std::string, std::string>{"hr", "a.b"}));
  EXPECT_FALSE(topic_table("rh_sport", "rh_sportx.public.t"));
  EXPECT_FALSE(topic_table("rh_sport", "rh_sport.public"));
  EXPECT_FALSE(topic_table("rh_sport", "rh_sport.public."));
}

}  // namespace
}  // namespace sl::bus
