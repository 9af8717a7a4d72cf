// Transaction metadata and heartbeat records: golden records written from what the real Debezium
// 3.6.1 connector wrote for one transaction over three tables (tests/bus/test_debezium_transactions.py
// compares whole runs), both JsonConverter forms, the HashMap order of data_collections, snapshot
// rows without metadata, a reset transaction beginning again.
#include "cdc/transaction_metadata.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cdc/heartbeat.hpp"
#include "cdc/java_hash_map.hpp"

namespace sl::cdc {
namespace {

struct Recorded {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

class RecordingSink final : public RecordSink {
 public:
  Status write(std::string_view topic, std::optional<std::string_view> key,
               std::optional<std::string_view> value) override {
    records.push_back({std::string(topic), key ? std::optional<std::string>(*key) : std::nullopt,
                       value ? std::optional<std::string>(*value) : std::nullopt});
    return {};
  }
  Status end_transaction(const SourcePosition&) override { return {}; }
  Result<std::optional<SourcePosition>> take_durable() override {
    return std::optional<SourcePosition>{};
  }
  Status durable() override { return {}; }
  Status rollback() override { return {}; }
  std::vector<Recorded> records;
};

pg::Relation table(std::string schema, std::string name) {
  pg::Relation r;
  r.schema = std::move(schema);
  r.name = std::move(name);
  return r;
}

ChangeEvent event(const pg::Relation& rel, uint64_t lsn, uint32_t xid = 746) {
  ChangeEvent e;
  e.relation = &rel;
  e.source.tx_id = xid;
  e.source.lsn = pg::Lsn{lsn};
  e.source.ts_us = 1796474969026123;  // the commit time
  return e;
}

std::string block_json(const std::optional<TransactionBlock>& b) {
  return std::string(b->id) + "/" + std::to_string(b->total_order) + "/" +
         std::to_string(b->data_collection_order);
}

TEST(TransactionMetadata, WritesDebeziumsBeginEndAndBlocks) {
  const auto typed = table("public", "cmp_typed"), nokey = table("public", "cmp_nokey"),
             edge = table("other", "cmp_edge");
  RecordingSink sink;
  TransactionMetadata meta("dbztxp", false);
  EXPECT_EQ(meta.topic(), "dbztxp.transaction");
  auto a = meta.event(event(typed, 26516008), sink);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(block_json(*a), "746:26516008/1/1");
  auto b = meta.event(event(nokey, 26516216), sink);
  EXPECT_EQ(block_json(*b), "746:26516216/2/1");
  auto c = meta.event(event(edge, 26516280), sink);
  EXPECT_EQ(block_json(*c), "746:26516280/3/1");
  auto d = meta.event(event(typed, 26516300), sink);
  EXPECT_EQ(block_json(*d), "746:26516300/4/2");
  ASSERT_TRUE(meta.end(sink, pg::Lsn{26516464}).ok());
  ASSERT_TRUE(meta.end(sink, pg::Lsn{26516464}).ok());  // nothing open: nothing written
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].topic, "dbztxp.transaction");
  EXPECT_EQ(sink.records[0].key, R"({"id":"746:26516008"})");
  EXPECT_EQ(sink.records[0].value,
            R"({"status":"BEGIN","id":"746:26516008","event_count":null,"data_collections":null,"ts_ms":1796474969026})");
  EXPECT_EQ(sink.records[1].key, R"({"id":"746:26516464"})");
  EXPECT_EQ(sink.records[1].value,
            R"({"status":"END","id":"746:26516464","event_count":4,"data_collections":[)"
            R"({"data_collection":"public.cmp_typed","event_count":2},)"
            R"({"data_collection":"public.cmp_nokey","event_count":1},)"
            R"({"data_collection":"other.cmp_edge","event_count":1}],"ts_ms":1796474969026})");
}

TEST(TransactionMetadata, EndListsTablesInJavaHashMapOrder) {
  // Inserted edge, nokey, typed: a HashMap<String, Long> iterates typed, nokey, edge (what the
  // real connector wrote for these three).
  const auto typed = table("public", "cmp_typed"), nokey = table("public", "cmp_nokey"),
             edge = table("other", "cmp_edge");
  RecordingSink sink;
  TransactionMetadata meta("p", false);
  for (const auto* rel : {&edge, &nokey, &typed}) ASSERT_TRUE(meta.event(event(*rel, 100), sink).ok());
  ASSERT_TRUE(meta.end(sink, pg::Lsn{200}).ok());
  auto end = nlohmann::json::parse(*sink.records.back().value);
  std::vector<std::string> order;
  for (const auto& c : end["data_collections"]) order.push_back(c["data_collection"]);
  EXPECT_EQ(order, (std::vector<std::string>{"public.cmp_typed", "public.cmp_nokey", "other.cmp_edge"}));
  EXPECT_EQ(java_hash_map_order({"other.cmp_edge", "public.cmp_nokey", "public.cmp_typed"}),
            (std::vector<size_t>{2, 1, 0}));
}

TEST(TransactionMetadata, SchemasFormWrapsKeyAndValue) {
  const auto typed = table("public", "cmp_typed");
  RecordingSink sink;
  TransactionMetadata meta("dbztxs", true);
  ASSERT_TRUE(meta.event(event(typed, 26439904, 728), sink).ok());
  ASSERT_TRUE(meta.end(sink, pg::Lsn{26440768}).ok());
  auto key = nlohmann::json::parse(*sink.records[0].key);
  EXPECT_EQ(key["schema"]["name"], "io.debezium.connector.common.TransactionMetadataKey");
  EXPECT_EQ(key["payload"], nlohmann::json::parse(R"({"id":"728:26439904"})"));
  auto value = nlohmann::json::parse(*sink.records[1].value);
  // The real connector's schema, field for field.
  EXPECT_EQ(value["schema"], nlohmann::json::parse(
      R"({"type":"struct","fields":[{"type":"string","optional":false,"field":"status"},)"
      R"({"type":"string","optional":false,"field":"id"},)"
      R"({"type":"int64","optional":true,"field":"event_count"},)"
      R"({"type":"array","items":{"type":"struct","fields":[)"
      R"({"type":"string","optional":false,"field":"data_collection"},)"
      R"({"type":"int64","optional":false,"field":"event_count"}],"optional":true,)"
      R"("name":"event.collection","version":1},"optional":true,"field":"data_collections"},)"
      R"({"type":"int64","optional":false,"field":"ts_ms"}],"optional":false,)"
      R"("name":"io.debezium.connector.common.TransactionMetadataValue","version":1})"));
  EXPECT_EQ(value["payload"]["id"], "728:26440768");
  EXPECT_EQ(value["payload"]["event_count"], 1);
}

TEST(TransactionMetadata, SnapshotRowsHaveNoneAndAResetBeginsAgain) {
  const auto typed = table("public", "cmp_typed");
  RecordingSink sink;
  TransactionMetadata meta("p", false);
  auto snapshot = meta.event(event(typed, 100, 0), sink);  // no xid: a snapshot row
  ASSERT_TRUE(snapshot.ok());
  EXPECT_FALSE(snapshot->has_value());
  EXPECT_TRUE(sink.records.empty());
  ASSERT_TRUE(meta.event(event(typed, 200, 9), sink).ok());
  meta.reset();  // the connection was lost: the transaction comes again whole
  auto again = meta.event(event(typed, 200, 9), sink);
  EXPECT_EQ(block_json(*again), "9:200/1/1");
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].value, sink.records[1].value);  // BEGIN written again
}

TEST(Heartbeat, RecordsAsDebeziumWritesThem) {
  auto plain = heartbeat_record("__debezium-heartbeat", "rh_sport", false, 1796474950851999);
  EXPECT_EQ(plain.topic, "__debezium-heartbeat.rh_sport");
  EXPECT_EQ(plain.key, R"({"serverName":"rh_sport"})");
  EXPECT_EQ(plain.value, R"({"ts_ms":1796474950851})");
  auto wrapped = heartbeat_record("beat", "dbzs", true, 1796474950851000);
  EXPECT_EQ(wrapped.topic, "beat.dbzs");
  EXPECT_EQ(nlohmann::json::parse(wrapped.key),
            nlohmann::json::parse(
                R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"serverName"}],)"
                R"("optional":false,"name":"io.debezium.connector.common.ServerNameKey","version":1},)"
                R"("payload":{"serverName":"dbzs"}})"));
  EXPECT_EQ(nlohmann::json::parse(wrapped.value),
            nlohmann::json::parse(
                R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],)"
                R"("optional":false,"name":"io.debezium.connector.common.Heartbeat","version":1},)"
                R"("payload":{"ts_ms":1796474950851}})"));
}

}  // namespace
}  // namespace sl::cdc
