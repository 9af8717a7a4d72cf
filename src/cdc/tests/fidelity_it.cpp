// Debezium fidelity on a real PostgreSQL, through the one replication loop (SlotChangeSource) and
// the snapshot reader: values PostgreSQL accepts never stop the stream, tables without a primary
// key, TOAST placeholders, delete before-images, ALTER TABLE mid-stream, source.sequence.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cdc/debezium_json.hpp"
#include "cdc/slot.hpp"
#include "cdc/slot_change_source.hpp"
#include "cdc/snapshot_reader.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::cdc {
namespace {

using json = nlohmann::json;

constexpr std::string_view k_placeholder = "__debezium_unavailable_value";
constexpr std::string_view k_placeholder_base64 = "X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==";

struct Record {
  std::string topic;
  std::optional<json> key;
  json value;  // {"schema":..., "payload":...}
  const json& payload() const { return value["payload"]; }
};

struct Stream {
  std::string conninfo;
  pg::Connection sql;
  std::unique_ptr<SlotChangeSource> source;
  DebeziumEncoder encoder{{.schemas = true}};
  std::vector<Record> records;
  std::vector<pg::Lsn> transaction_ends;

  static Stream open(const std::string& conninfo, const std::string& slot) {
    auto sql = pg::Connection::open(conninfo);
    EXPECT_TRUE(sql.ok());
    auto created = create_slot(conninfo, slot);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    auto source =
        SlotChangeSource::open(*sql, {.conninfo = conninfo, .slot = slot, .publication = "p"},
                               created->info.consistent_point);
    EXPECT_TRUE(source.ok()) << source.error().to_string();
    return Stream{conninfo, std::move(*sql), std::move(*source)};
  }

  void exec(const std::string& statement) {
    auto r = sql.exec(statement);
    ASSERT_TRUE(r.ok()) << statement << ": " << r.error().to_string();
  }

  // Polls until `count` more records arrived (each one encoded: an encoding error fails here).
  void read(size_t count) {
    const size_t want = records.size() + count;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    ChangeHandler handler{
        .on_event = [this](const ChangeEvent& e) -> Status {
          SL_TRY(encoder.encode(e, 1'700'000'000'000'000));
          Record r{std::string(encoder.topic()), std::nullopt, json::parse(encoder.value())};
          if (auto key = encoder.key()) r.key = json::parse(*key);
          records.push_back(std::move(r));
          return {};
        },
        .on_transaction_end = [this](const SourcePosition& end) -> Status {
          transaction_ends.push_back(end.lsn);
          source->confirm(end);
          return {};
        },
    };
    while (records.size() < want && std::chrono::steady_clock::now() < deadline) {
      auto got = source->poll(std::chrono::milliseconds(200), handler);
      ASSERT_TRUE(got.ok()) << got.error().to_string();
    }
    ASSERT_EQ(records.size(), want);
  }
};

// The schema of `field` in a row struct schema.
const json& field_schema(const json& row_schema, const std::string& field) {
  for (const auto& f : row_schema["fields"])
    if (f["field"] == field) return f;
  static const json none;
  return none;
}

// What Kafka's JsonConverter checks of a struct: a non-optional field is never null.
void expect_non_optional_fields_set(const Record& r, const std::string& which) {
  const json& envelope = r.value["schema"];
  const json& row_schema = field_schema(envelope, which);
  const json& row = r.payload()[which];
  ASSERT_TRUE(row.is_object());
  for (const auto& f : row_schema["fields"]) {
    if (!f["optional"].get<bool>()) {
      EXPECT_FALSE(row[f["field"].get<std::string>()].is_null())
          << which << "." << f["field"] << " is null but optional:false";
    }
  }
}

// A fresh database with the tables of `ddl` and the publication "p" of all tables.
std::string database_with(const std::string& prefix, const std::string& ddl) {
  auto conninfo = pg::testing::TestCluster::instance().create_database(prefix);
  auto sql = pg::Connection::open(conninfo);
  EXPECT_TRUE(sql.ok());
  auto done = sql->exec(ddl + "; CREATE PUBLICATION p FOR ALL TABLES");
  EXPECT_TRUE(done.ok()) << done.error().to_string();
  return conninfo;
}

constexpr const char* k_edge_table =
    "CREATE TABLE edge (id int PRIMARY KEY, d date, ts timestamp, ts3 timestamp(3), "
    "tz timestamptz, n numeric(10,2), v numeric)";
constexpr const char* k_edge_rows =
    "INSERT INTO edge VALUES "
    "(1, 'infinity', 'infinity', 'infinity', 'infinity', 'NaN', 'Infinity'), "
    "(2, '-infinity', '-infinity', '-infinity', '-infinity', 1.5, '-Infinity'), "
    "(3, '0044-03-15 BC', '0044-03-15 12:00:00.5 BC', '0044-03-15 12:00:00.5 BC', "
    "    '0044-03-15 12:00:00.5+00 BC', 2.25, 'NaN'), "
    "(4, '10000-01-01', '10000-01-01 00:00:00', '10000-01-01 00:00:00', "
    "    '10000-01-01 00:00:00+00', 0, 12.5)";

// Debezium's values for the rows of k_edge_rows (after), by id.
void expect_edge_values(const std::vector<json>& afters) {
  ASSERT_EQ(afters.size(), 4u);
  std::map<int, json> by_id;
  for (const auto& a : afters) by_id[a["id"].get<int>()] = a;
  // ±infinity: the extreme values of Debezium's PostgresValueConverter (see src/cdc/README.md).
  EXPECT_EQ(by_id[1]["d"], -2147472692);  // -5877611-06-21, what Debezium 3.6.1 writes
  EXPECT_EQ(by_id[2]["d"], -2147472691);  // -5877611-06-22
  EXPECT_EQ(by_id[1]["ts"], 9223372036825200000LL);
  EXPECT_EQ(by_id[2]["ts"], -9223372036832400000LL);
  EXPECT_EQ(by_id[1]["ts3"], 9223372036825200LL);
  EXPECT_EQ(by_id[2]["ts3"], -9223372036832400LL);
  EXPECT_EQ(by_id[1]["tz"], "infinity");
  EXPECT_EQ(by_id[2]["tz"], "-infinity");
  // numeric NaN / ±Infinity have no Decimal form: null (with a warning), as Debezium.
  EXPECT_TRUE(by_id[1]["n"].is_null());
  EXPECT_TRUE(by_id[1]["v"].is_null());
  EXPECT_TRUE(by_id[2]["v"].is_null());
  EXPECT_TRUE(by_id[3]["v"].is_null());
  // 44 BC is the proleptic year -43.
  EXPECT_EQ(by_id[3]["d"], -735160);
  EXPECT_EQ(by_id[3]["ts"], -63517780799500000LL);
  EXPECT_EQ(by_id[3]["ts3"], -63517780799500LL);
  EXPECT_EQ(by_id[3]["tz"], "-0043-03-15T12:00:00.500000Z");
  EXPECT_EQ(by_id[4]["d"], 2932897);
  EXPECT_EQ(by_id[4]["ts"], 253402300800000000LL);
  EXPECT_EQ(by_id[4]["tz"], "+10000-01-01T00:00:00.000000Z");
  EXPECT_EQ(by_id[4]["v"]["scale"], 1);
}

TEST(Fidelity, EdgeValuesNeverStopTheStream) {
  auto conninfo = database_with("edge", std::string(k_edge_table) + "");
  auto s = Stream::open(conninfo, "s_edge");
  s.exec(k_edge_rows);
  s.read(4);
  std::vector<json> afters;
  for (const auto& r : s.records) afters.push_back(r.payload()["after"]);
  expect_edge_values(afters);
  EXPECT_EQ(s.encoder.unconverted(), 4u);  // n NaN, v Infinity, -Infinity, NaN
  // And the snapshot reader reads the same rows the same way.
  std::vector<json> snapshot;
  auto stats = read_snapshot(s.sql, {.publication = "p"}, [&](const ChangeEvent& e) -> Status {
    SL_TRY(s.encoder.encode(e, 0));
    snapshot.push_back(json::parse(s.encoder.value())["payload"]["after"]);
    return {};
  });
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  expect_edge_values(snapshot);
}

TEST(Fidelity, TableWithoutPrimaryKeyHasNullKeyAndUpdates) {
  auto conninfo =
      database_with("nopk",
                    "CREATE TABLE nopk (a int, b text); ALTER TABLE nopk REPLICA IDENTITY "
                    "FULL");
  auto s = Stream::open(conninfo, "s_nopk");
  s.exec("INSERT INTO nopk VALUES (1, NULL)");
  s.exec("UPDATE nopk SET b = 'x'");
  s.exec("DELETE FROM nopk");
  s.read(3);
  std::vector<std::string> ops;
  for (const auto& r : s.records) {
    ops.push_back(r.payload()["op"]);
    EXPECT_FALSE(r.key) << "Debezium's key of a table without primary key is null";
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"c", "u", "d"}));
  EXPECT_TRUE(s.records[1].payload()["before"]["b"].is_null());
  EXPECT_EQ(s.records[1].payload()["after"]["b"], "x");
  EXPECT_EQ(s.records[2].payload()["before"]["b"], "x");
}

TEST(Fidelity, UnchangedToastAfterKeyChangeAndInBytea) {
  auto conninfo = database_with(
      "toast", "CREATE TABLE toasty (id int PRIMARY KEY, big text, blob bytea, n int)");
  auto s = Stream::open(conninfo, "s_toast");
  // Values too large and too random to stay inline: stored out of line (TOASTed).
  s.exec(
      "INSERT INTO toasty SELECT 1, string_agg(md5(g::text), ''), "
      "decode(string_agg(md5((g + 7)::text), ''), 'hex'), 0 FROM generate_series(1, 600) g");
  s.exec("UPDATE toasty SET n = 1");
  s.exec("UPDATE toasty SET id = 2");
  s.read(4);  // c, u, d (old key), c (new key)
  const json& update = s.records[1].payload();
  EXPECT_EQ(update["op"], "u");
  EXPECT_EQ(update["after"]["big"], k_placeholder);
  // bytea is a Connect bytes field: the placeholder is base64-encoded (JsonConverter decodes it).
  EXPECT_EQ(update["after"]["blob"], k_placeholder_base64);
  const json& created = s.records[3].payload();
  ASSERT_EQ(created["op"], "c");
  EXPECT_EQ(created["after"]["id"], 2);
  EXPECT_EQ(created["after"]["big"], k_placeholder) << "never null: the value was not sent";
  EXPECT_EQ(created["after"]["blob"], k_placeholder_base64);
}

TEST(Fidelity, DeleteBeforeImageFillsNotNullColumns) {
  auto conninfo =
      database_with("strict",
                    "CREATE TABLE strict (id int PRIMARY KEY, qty int NOT NULL, label text "
                    "NOT NULL, amount numeric(8,2) NOT NULL, at timestamptz NOT NULL, "
                    "day date NOT NULL, note text, status text NOT NULL DEFAULT 'new', "
                    "quote text NOT NULL DEFAULT 'it''s', n int NOT NULL DEFAULT -7, "
                    "price numeric(6,2) NOT NULL DEFAULT 1.5, flag bool NOT NULL "
                    "DEFAULT true, since date NOT NULL DEFAULT '2026-01-02', "
                    "stamp timestamptz NOT NULL DEFAULT now())");
  auto s = Stream::open(conninfo, "s_strict");
  s.exec(
      "INSERT INTO strict VALUES (1, 5, 'x', 2.5, now(), current_date, 'n', 'old', 'q', 1, "
      "2, false, '2020-01-01', now())");
  s.exec("DELETE FROM strict");
  s.read(2);
  const Record& deleted = s.records[1];
  ASSERT_EQ(deleted.payload()["op"], "d");
  expect_non_optional_fields_set(deleted, "before");
  const json& before = deleted.payload()["before"];
  EXPECT_EQ(before["id"], 1);
  EXPECT_EQ(before["qty"], 0);
  EXPECT_EQ(before["label"], "");
  EXPECT_EQ(before["amount"], "AA==");  // Decimal 0.00
  EXPECT_EQ(before["day"], 0);
  EXPECT_TRUE(before["note"].is_null()) << "nullable columns stay null";
  // A constant DEFAULT is Debezium's value for a missing NOT NULL column; a function's is the
  // type's zero.
  EXPECT_EQ(before["status"], "new");
  EXPECT_EQ(before["quote"], "it's");
  EXPECT_EQ(before["n"], -7);
  EXPECT_EQ(before["price"], "AJY=");  // 150 at scale 2
  EXPECT_EQ(before["flag"], true);
  EXPECT_EQ(before["since"], 20455);
  EXPECT_EQ(before["stamp"], "1970-01-01T00:00:00.000000Z");
}

TEST(Fidelity, NotNullColumnAddedMidStreamIsNotOptional) {
  auto conninfo = database_with("alter", "CREATE TABLE t (id int PRIMARY KEY, a text)");
  auto s = Stream::open(conninfo, "s_alter");
  s.exec("INSERT INTO t VALUES (1, 'x')");
  s.read(1);
  s.exec("ALTER TABLE t ADD COLUMN extra int NOT NULL DEFAULT 7");
  s.exec("INSERT INTO t VALUES (2, 'y', 8)");
  // A table created mid-stream gets its primary key too.
  s.exec("CREATE TABLE later (k int PRIMARY KEY, v int NOT NULL); INSERT INTO later VALUES (1, 2)");
  s.read(2);
  const json& after_schema = field_schema(s.records[1].value["schema"], "after");
  EXPECT_EQ(field_schema(after_schema, "extra")["optional"], false);
  EXPECT_EQ(field_schema(after_schema, "a")["optional"], true);
  EXPECT_EQ(s.records[1].payload()["after"]["extra"], 8);
  ASSERT_TRUE(s.records[2].key);
  EXPECT_EQ(s.records[2].key->at("payload"), json::parse(R"({"k":1})"));
  EXPECT_EQ(field_schema(field_schema(s.records[2].value["schema"], "after"), "v")["optional"],
            false);
}

TEST(Fidelity, SequenceStartsWithThePreviousCommitEndLsn) {
  auto conninfo = database_with("seq", "CREATE TABLE t (id int PRIMARY KEY)");
  auto s = Stream::open(conninfo, "s_seq");
  s.exec("INSERT INTO t VALUES (1)");
  s.read(1);
  s.exec("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");  // one transaction
  s.read(2);
  ASSERT_GE(s.transaction_ends.size(), 1u);
  const std::string previous_end = std::to_string(s.transaction_ends[0].value);
  for (size_t i = 1; i < 3; ++i) {
    const json source = s.records[i].payload()["source"];
    const json sequence = json::parse(source["sequence"].get<std::string>());
    EXPECT_EQ(sequence[0], previous_end);
    EXPECT_EQ(sequence[1], std::to_string(source["lsn"].get<uint64_t>()));
  }
}

}  // namespace
}  // namespace sl::cdc
