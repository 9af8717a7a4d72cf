// Logical replication against a real PostgreSQL: slot, stream, decoded changes in commit order,
// acknowledgements, and the slot advancing on an idle publication.
#include <gtest/gtest.h>

#include <thread>

#include "pg/pgoutput_decoder.hpp"
#include "pg/replication_stream.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::pg {
namespace {

using testing::TestCluster;

// Reads decoded messages until `count` of them arrived or 20 s passed.
std::vector<std::pair<XLogData, PgOutputMessage>> read_messages(ReplicationStream& stream,
                                                                size_t count) {
  std::vector<std::pair<XLogData, PgOutputMessage>> out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto data = stream.next(std::chrono::milliseconds(200));
    EXPECT_TRUE(data.ok()) << data.error().to_string();
    if (!data.ok()) break;
    if (!*data) continue;
    auto message = decode_pgoutput((*data)->payload);
    EXPECT_TRUE(message.ok()) << message.error().to_string();
    if (message.ok()) out.emplace_back(std::move(**data), std::move(*message));
  }
  return out;
}

std::string confirmed_flush(Connection& conn, const std::string& slot) {
  auto r = conn.exec_params(
      "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", {slot});
  return r.ok() && r->rows() == 1 ? std::string(r->value(0, 0)) : "";
}

TEST(Replication, ChangesArriveDecodedInCommitOrderAndAcksMoveTheSlot) {
  auto conninfo = TestCluster::instance().create_database("repl");
  auto sql = Connection::open(conninfo);
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(sql->exec("CREATE TABLE t (id int PRIMARY KEY, name text, note text);"
                        "ALTER TABLE t REPLICA IDENTITY FULL; CREATE PUBLICATION p FOR TABLE t")
                  .ok());
  auto stream = ReplicationStream::connect(conninfo);
  ASSERT_TRUE(stream.ok()) << stream.error().to_string();
  auto id = stream->identify_system();
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_FALSE(id->system_id.empty());
  auto slot = stream->create_slot("s_changes");
  ASSERT_TRUE(slot.ok()) << slot.error().to_string();
  EXPECT_FALSE(slot->snapshot_name.empty());
  ASSERT_TRUE(stream->start("s_changes", slot->consistent_point, "p").ok());

  ASSERT_TRUE(
      sql->exec("BEGIN; INSERT INTO t VALUES (1, 'Élodie', NULL), (2, 'Marc', 'x'); COMMIT").ok());
  ASSERT_TRUE(sql->exec("UPDATE t SET name = 'Marc B.' WHERE id = 2").ok());
  ASSERT_TRUE(sql->exec("DELETE FROM t WHERE id = 1").ok());
  ASSERT_TRUE(sql->exec("TRUNCATE t").ok());

  auto messages = read_messages(*stream, 15);
  ASSERT_EQ(messages.size(), 15u);
  std::string kinds;
  for (const auto& [data, m] : messages) kinds += "BCORYIUDTM"[m.index()];
  // TRUNCATE invalidates the relation cache: its Relation message is sent again before it.
  EXPECT_EQ(kinds, "BRIICBUCBDCBRTC");
  const auto& rel = std::get<Relation>(messages[1].second);
  EXPECT_EQ(rel.name, "t");
  EXPECT_EQ(rel.replica_identity, 'f');
  const auto& first = std::get<Insert>(messages[2].second);
  EXPECT_EQ(first.relation_oid, rel.oid);
  EXPECT_EQ(first.new_tuple[1].data, "Élodie");
  EXPECT_EQ(first.new_tuple[2].kind, TupleValue::Kind::null);
  const auto& update = std::get<Update>(messages[6].second);
  EXPECT_EQ(update.old_kind, 'O');
  EXPECT_EQ((*update.old_tuple)[1].data, "Marc");
  EXPECT_EQ(update.new_tuple[1].data, "Marc B.");
  EXPECT_EQ(std::get<Delete>(messages[9].second).old_tuple[0].data, "1");
  EXPECT_EQ(std::get<Truncate>(messages[13].second).relation_oids.at(0), rel.oid);

  // Nothing is reported as flushed before the consumer confirms.
  EXPECT_EQ(confirmed_flush(*sql, "s_changes"), slot->consistent_point.to_string());
  const auto& last_commit = std::get<Commit>(messages.back().second);
  stream->confirm(last_commit.end_lsn);
  (void)stream->next(std::chrono::milliseconds(300));
  std::string flushed;
  for (int i = 0; i < 50; ++i) {
    flushed = confirmed_flush(*sql, "s_changes");
    if (Lsn::parse(flushed).value_or(Lsn{}) >= last_commit.end_lsn) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(Lsn::parse(flushed).value_or(Lsn{}), last_commit.end_lsn) << flushed;
}

TEST(Replication, IdleSlotAdvancesWithOtherWalTraffic) {
  auto conninfo = TestCluster::instance().create_database("idle");
  auto sql = Connection::open(conninfo);
  ASSERT_TRUE(sql.ok());
  // Keepalives every second instead of every 30 s (cluster-wide, test cluster only).
  ASSERT_TRUE(sql->exec("ALTER SYSTEM SET wal_sender_timeout = '2s'").ok());
  ASSERT_TRUE(sql->exec("SELECT pg_reload_conf()").ok());
  ASSERT_TRUE(sql->exec("CREATE TABLE captured (id int PRIMARY KEY); CREATE TABLE other (v text);"
                        "CREATE PUBLICATION p FOR TABLE captured")
                  .ok());
  auto stream = ReplicationStream::connect(conninfo);
  ASSERT_TRUE(stream.ok());
  auto slot = stream->create_slot("s_idle");
  ASSERT_TRUE(slot.ok());
  ASSERT_TRUE(stream->start("s_idle", slot->consistent_point, "p").ok());
  ASSERT_TRUE(
      sql->exec("INSERT INTO other SELECT repeat('x', 100) FROM generate_series(1, 20000)").ok());
  auto wal = sql->exec("SELECT pg_current_wal_lsn()");
  Lsn after_traffic = *Lsn::parse(wal->value(0, 0));
  Lsn flushed;
  for (int i = 0; i < 40 && flushed < after_traffic; ++i) {
    auto data = stream->next(std::chrono::milliseconds(250));
    ASSERT_TRUE(data.ok()) << data.error().to_string();
    // Empty transactions of uncaptured tables may still come as Begin/Commit: acknowledge them.
    if (*data) {
      auto m = decode_pgoutput((*data)->payload);
      ASSERT_TRUE(m.ok());
      if (auto* commit = std::get_if<Commit>(&*m)) stream->confirm(commit->end_lsn);
    }
    flushed = Lsn::parse(confirmed_flush(*sql, "s_idle")).value_or(Lsn{});
  }
  EXPECT_GE(flushed, after_traffic) << "confirmed_flush_lsn " << flushed.to_string()
                                    << " stayed behind " << after_traffic.to_string();
  ASSERT_TRUE(sql->exec("ALTER SYSTEM RESET wal_sender_timeout").ok());
  ASSERT_TRUE(sql->exec("SELECT pg_reload_conf()").ok());
}

// A consumer retries what may pass (a slot still held by a walsender going away) and stops on
// what will not (the slot was dropped).
TEST(Replication, StartFailuresSayWhetherToRetry) {
  auto conninfo = TestCluster::instance().create_database("retry");
  auto sql = Connection::open(conninfo);
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(
      sql->exec("CREATE TABLE t (id int PRIMARY KEY); CREATE PUBLICATION p FOR TABLE t").ok());
  auto missing = ReplicationStream::connect(conninfo);
  ASSERT_TRUE(missing.ok());
  auto st = missing->start("no_such_slot", Lsn{}, "p");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::not_found) << st.error().to_string();
  EXPECT_NE(st.error().message.find("no_such_slot"), std::string::npos);

  auto first = ReplicationStream::connect(conninfo);
  ASSERT_TRUE(first.ok());
  auto slot = first->create_slot("s_busy");
  ASSERT_TRUE(slot.ok());
  ASSERT_TRUE(first->start("s_busy", slot->consistent_point, "p").ok());
  auto second = ReplicationStream::connect(conninfo);
  ASSERT_TRUE(second.ok());
  auto busy = second->start("s_busy", Lsn{}, "p");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, Errc::unavailable) << busy.error().to_string();
}

}  // namespace
}  // namespace sl::pg
