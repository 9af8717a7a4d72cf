// The initial snapshot under the slot's exported snapshot, then the stream from its consistent
// point, on a real PostgreSQL: rows inserted while the snapshot runs appear exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "cdc/debezium_json.hpp"
#include "cdc/event_builder.hpp"
#include "cdc/snapshot_reader.hpp"
#include "pg/pgoutput_decoder.hpp"
#include "pg/replication_stream.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::cdc {
namespace {

using json = nlohmann::json;

TEST(Snapshot, RowsInsertedDuringTheSnapshotAppearExactlyOnce) {
  auto conninfo = pg::testing::TestCluster::instance().create_database("snap");
  auto sql = pg::Connection::open(conninfo);
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(
      sql->exec("CREATE TABLE a_small (id int PRIMARY KEY, label text);"
                "INSERT INTO a_small VALUES (1, 'one'), (2, NULL), (3, 'three');"
                "CREATE TABLE b_rows (id bigserial PRIMARY KEY, v text NOT NULL);"
                "INSERT INTO b_rows (v) SELECT 'seed ' || g FROM generate_series(1, 20000) g;"
                "CREATE TABLE c_empty (id int PRIMARY KEY);"
                "CREATE PUBLICATION p FOR TABLE a_small, b_rows, c_empty")
          .ok());

  // A writer inserts one row per transaction for the whole test, snapshot included.
  std::atomic<bool> stop{false};
  std::atomic<int> inserted{0};
  std::thread writer([&] {
    auto w = pg::Connection::open(conninfo);
    ASSERT_TRUE(w.ok());
    while (!stop) {
      auto r = w->exec("INSERT INTO b_rows (v) VALUES ('live')");
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      ++inserted;
    }
  });
  while (inserted < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  auto stream = pg::ReplicationStream::connect(conninfo);
  ASSERT_TRUE(stream.ok());
  auto slot = stream->create_slot("s_snap");
  ASSERT_TRUE(slot.ok()) << slot.error().to_string();
  ASSERT_FALSE(slot->snapshot_name.empty());
  const int inserted_at_slot = inserted;

  auto reader = pg::Connection::open(conninfo);
  ASSERT_TRUE(reader.ok());
  std::map<int64_t, int> seen;  // b_rows id → times seen
  std::vector<json> snapshot_values;
  int inserted_during_snapshot = 0;
  auto stats = read_snapshot(*reader,
                             {.publication = "p",
                              .snapshot_name = slot->snapshot_name,
                              .consistent_point = slot->consistent_point,
                              .fetch_rows = 1000,
                              .now_us = [] { return int64_t{1700000000000000}; }},
                             [&](const ChangeEvent& e) -> Status {
                               SL_ASSIGN_OR_RETURN(auto encoded, encode_debezium(e, {}));
                               auto value = json::parse(*encoded.value);
                               if (e.source.table == "b_rows") {
                                 ++seen[value["after"]["id"].get<int64_t>()];
                                 // Slow the snapshot down so the writer really inserts while it
                                 // runs.
                                 if (seen.size() % 2000 == 0)
                                   std::this_thread::sleep_for(std::chrono::milliseconds(20));
                               }
                               snapshot_values.push_back(std::move(value));
                               return {};
                             });
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  inserted_during_snapshot = inserted - inserted_at_slot;
  EXPECT_EQ(stats->tables, 3u);
  EXPECT_GT(inserted_during_snapshot, 20) << "the test must insert while the snapshot runs";

  // Debezium's markers: first row, first/last of each table, last row; "r" with the slot's LSN.
  ASSERT_EQ(snapshot_values.size(), stats->rows);
  ASSERT_GT(snapshot_values.size(), 20003u);
  EXPECT_EQ(snapshot_values.front()["source"]["snapshot"], "first");
  EXPECT_EQ(snapshot_values.front()["source"]["table"], "a_small");
  EXPECT_EQ(snapshot_values[1]["source"]["snapshot"], "true");
  EXPECT_EQ(snapshot_values[2]["source"]["snapshot"], "last_in_data_collection");
  EXPECT_EQ(snapshot_values[3]["source"]["snapshot"], "first_in_data_collection");
  EXPECT_EQ(snapshot_values[4]["source"]["snapshot"], "true");
  EXPECT_EQ(snapshot_values.back()["source"]["snapshot"], "last");
  EXPECT_EQ(snapshot_values.back()["source"]["table"], "b_rows");
  for (const auto& v : snapshot_values) {
    EXPECT_EQ(v["op"], "r");
    EXPECT_TRUE(v["before"].is_null());
    EXPECT_EQ(v["source"]["lsn"].get<uint64_t>(), slot->consistent_point.value);
    EXPECT_TRUE(v["source"]["txId"].is_null());
  }
  EXPECT_TRUE(snapshot_values[1]["after"]["label"].is_null());

  // Stream from the consistent point until every row in the table has been seen.
  stop = true;
  writer.join();
  auto total = sql->exec("SELECT count(*), max(id) FROM b_rows");
  ASSERT_TRUE(total.ok());
  const size_t rows_in_table = std::stoul(std::string(total->value(0, 0)));
  ASSERT_TRUE(stream->start("s_snap", slot->consistent_point, "p").ok());
  EventBuilder builder("snap");
  size_t streamed = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool drained = false;  // after the last expected row, read one more second to catch repeats
  while (std::chrono::steady_clock::now() < deadline) {
    if (!drained && seen.size() >= rows_in_table) {
      drained = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    auto data = stream->next(std::chrono::milliseconds(200));
    ASSERT_TRUE(data.ok()) << data.error().to_string();
    if (!*data) continue;
    auto message = pg::decode_pgoutput((*data)->payload);
    ASSERT_TRUE(message.ok()) << message.error().to_string();
    auto st = builder.feed(**data, std::move(*message), [&](const ChangeEvent& e) -> Status {
      SL_ASSIGN_OR_RETURN(auto encoded, encode_debezium(e, {}));
      auto value = json::parse(*encoded.value);
      EXPECT_EQ(value["op"], "c");
      EXPECT_EQ(value["source"]["snapshot"], "false");
      ++seen[value["after"]["id"].get<int64_t>()];
      ++streamed;
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
  EXPECT_EQ(seen.size(), rows_in_table);
  for (const auto& [id, times] : seen) ASSERT_EQ(times, 1) << "row " << id;
  EXPECT_GE(streamed, static_cast<size_t>(inserted_during_snapshot));
}

}  // namespace
}  // namespace sl::cdc
