// From a real PostgreSQL's logical replication to Debezium JSON: every mapped type, updates,
// deletes, a primary-key change, commit order of interleaved transactions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cdc/debezium_json.hpp"
#include "cdc/event_builder.hpp"
#include "pg/pgoutput_decoder.hpp"
#include "pg/replication_stream.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::cdc {
namespace {

using json = nlohmann::json;

struct Captured {
  std::vector<EncodedEvent> events;
  pg::Lsn last_commit;
};

Captured capture(pg::ReplicationStream& stream, EventBuilder& builder, size_t want) {
  Captured out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.events.size() < want && std::chrono::steady_clock::now() < deadline) {
    auto data = stream.next(std::chrono::milliseconds(200));
    EXPECT_TRUE(data.ok()) << data.error().to_string();
    if (!data.ok()) break;
    if (!*data) continue;
    auto message = pg::decode_pgoutput((*data)->payload);
    EXPECT_TRUE(message.ok()) << message.error().to_string();
    auto st = builder.feed(
        **data, std::move(*message),
        [&](const ChangeEvent& e) -> Status {
          SL_ASSIGN_OR_RETURN(auto encoded, encode_debezium(e, {}));
          out.events.push_back(std::move(encoded));
          return {};
        },
        [&](const pg::Commit& commit) -> Status {
          out.last_commit = commit.end_lsn;
          return {};
        });
    EXPECT_TRUE(st.ok()) << st.error().to_string();
  }
  return out;
}

TEST(ChangeStream, EveryMappedTypeAndOperationAsDebeziumJson) {
  auto conninfo = pg::testing::TestCluster::instance().create_database("cdc");
  auto sql = pg::Connection::open(conninfo);
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(sql->exec(R"(
    SET TimeZone = 'Europe/Paris';
    CREATE TABLE typed (id bigint PRIMARY KEY, amount numeric(12,2), payload jsonb, at timestamptz, day date,
                        local_at timestamp, ok boolean, label text, ratio double precision, small smallint);
    ALTER TABLE typed REPLICA IDENTITY FULL;
    CREATE PUBLICATION p FOR TABLE typed)")
                  .ok());
  auto stream = pg::ReplicationStream::connect(conninfo);
  ASSERT_TRUE(stream.ok());
  auto slot = stream->create_slot("s_cdc");
  ASSERT_TRUE(slot.ok());
  ASSERT_TRUE(stream->start("s_cdc", slot->consistent_point, "p").ok());

  ASSERT_TRUE(sql->exec("SET TimeZone = 'Europe/Paris'; INSERT INTO typed VALUES (1, 30940.50, "
                        "'{\"k\": [1, 2]}', "
                        "'2026-07-01 10:00:00.5+02', '2026-11-25', '2026-11-25 08:30:00', true, "
                        "'Équitation 🏅', 0.25, -3)")
                  .ok());
  ASSERT_TRUE(sql->exec("INSERT INTO typed (id) VALUES (2)").ok());
  ASSERT_TRUE(sql->exec("UPDATE typed SET label = 'changed' WHERE id = 2").ok());
  ASSERT_TRUE(sql->exec("UPDATE typed SET id = 3 WHERE id = 2").ok());
  ASSERT_TRUE(sql->exec("DELETE FROM typed WHERE id = 1").ok());

  EventBuilder builder("cdc");
  auto keys = read_primary_keys(*sql);
  ASSERT_TRUE(keys.ok()) << keys.error().to_string();
  builder.set_primary_keys(*keys);
  auto captured = capture(*stream, builder, 6);
  ASSERT_EQ(captured.events.size(), 6u);
  std::vector<json> values;
  for (const auto& e : captured.events) values.push_back(json::parse(*e.value));
  EXPECT_EQ(captured.events[0].topic, "rh_sport.public.typed");
  EXPECT_EQ(captured.events[0].key, R"({"id":1})");
  const json& after = values[0]["after"];
  EXPECT_EQ(values[0]["op"], "c");
  EXPECT_EQ(after["amount"], "LzYi");  // 3094050 = 0x2F3622 big-endian, base64
  EXPECT_EQ(after["payload"], "{\"k\": [1, 2]}");
  EXPECT_EQ(after["at"], "2026-07-01T08:00:00.500000Z");
  EXPECT_EQ(after["day"], 20782);
  EXPECT_EQ(after["local_at"], 1795595400000000LL);
  EXPECT_EQ(after["ok"], true);
  EXPECT_EQ(after["label"], "Équitation 🏅");
  EXPECT_EQ(after["ratio"], 0.25);
  EXPECT_EQ(after["small"], -3);
  EXPECT_TRUE(values[1]["after"]["label"].is_null());
  EXPECT_EQ(values[2]["op"], "u");
  EXPECT_TRUE(values[2]["before"]["label"].is_null());
  EXPECT_EQ(values[2]["after"]["label"], "changed");
  // Primary-key change: delete of 2, create of 3.
  EXPECT_EQ(values[3]["op"], "d");
  EXPECT_EQ(captured.events[3].key, R"({"id":2})");
  EXPECT_EQ(values[4]["op"], "c");
  EXPECT_EQ(captured.events[4].key, R"({"id":3})");
  EXPECT_EQ(values[5]["op"], "d");
  EXPECT_EQ(values[5]["before"]["label"], "Équitation 🏅");
  for (size_t i = 1; i < values.size(); ++i) {
    EXPECT_GE(values[i]["source"]["lsn"].get<uint64_t>(),
              values[i - 1]["source"]["lsn"].get<uint64_t>());
  }
  EXPECT_EQ(values[0]["source"]["db"], "cdc");
  EXPECT_EQ(values[0]["source"]["snapshot"], "false");
}

TEST(ChangeStream, InterleavedTransactionsArriveInCommitOrder) {
  auto conninfo = pg::testing::TestCluster::instance().create_database("order");
  auto a = pg::Connection::open(conninfo);
  auto b = pg::Connection::open(conninfo);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(
      a->exec("CREATE TABLE t (id int PRIMARY KEY, who text); CREATE PUBLICATION p FOR TABLE t")
          .ok());
  auto stream = pg::ReplicationStream::connect(conninfo);
  auto slot = stream->create_slot("s_order");
  ASSERT_TRUE(slot.ok());
  ASSERT_TRUE(stream->start("s_order", slot->consistent_point, "p").ok());
  ASSERT_TRUE(a->exec("BEGIN; INSERT INTO t VALUES (1, 'a')").ok());
  ASSERT_TRUE(b->exec("BEGIN; INSERT INTO t VALUES (2, 'b')").ok());
  ASSERT_TRUE(a->exec("INSERT INTO t VALUES (3, 'a')").ok());
  ASSERT_TRUE(b->exec("COMMIT").ok());  // b commits first
  ASSERT_TRUE(a->exec("COMMIT").ok());
  EventBuilder builder("order");
  auto captured = capture(*stream, builder, 3);
  ASSERT_EQ(captured.events.size(), 3u);
  EXPECT_EQ(json::parse(*captured.events[0].value)["after"]["who"], "b");
  EXPECT_EQ(json::parse(*captured.events[1].value)["after"]["who"], "a");
  EXPECT_EQ(json::parse(*captured.events[2].value)["after"]["id"], 3);
}

}  // namespace
}  // namespace sl::cdc
