// Actions ⇄ JSON: Spark-written lines parse, our lines round-trip, bad lines are named.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "delta/actions_json.hpp"

namespace sl::delta {
namespace {

// A commit as Spark 3.5 / Delta 3.1 writes it (values shortened).
constexpr std::string_view k_spark_commit =
    R"json({"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","operationParameters":{"mode":"Append","partitionBy":"[]"},"readVersion":0,"isolationLevel":"Serializable","isBlindAppend":true,"operationMetrics":{"numFiles":"1","numOutputRows":"3"},"engineInfo":"Apache-Spark/3.5.0 Delta-Lake/3.1.0","txnId":"5e1f"}}
{"txn":{"appId":"q1","version":7,"lastUpdated":1700000000000}}
{"add":{"path":"day=2025-01-01/part-00000-abc.c000.snappy.parquet","partitionValues":{"day":"2025-01-01","n":null},"size":452,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":3}","tags":{"k":"v"}}}
{"remove":{"path":"part-old.parquet","deletionTimestamp":1691426737143,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":539}}
{"someFutureAction":{"x":1}}
)json";

TEST(ActionsJson, ParsesWhatSparkWrites) {
  auto actions = parse_commit(k_spark_commit, "00000000000000000001.json");
  ASSERT_TRUE(actions.ok()) << actions.error().to_string();
  ASSERT_EQ(actions->size(), 4u);  // the unknown action is skipped
  const auto& info = std::get<CommitInfo>((*actions)[0]);
  EXPECT_EQ(info.operation, "WRITE");
  EXPECT_EQ(info.read_version, 0);
  EXPECT_EQ(info.is_blind_append, true);
  EXPECT_EQ(info.operation_parameters.at("mode"), "Append");
  const auto& txn = std::get<Txn>((*actions)[1]);
  EXPECT_EQ(txn.app_id, "q1");
  EXPECT_EQ(txn.version, 7);
  const auto& add = std::get<Add>((*actions)[2]);
  EXPECT_EQ(add.size, 452);
  EXPECT_EQ(add.partition_values.at("day"), "2025-01-01");
  EXPECT_FALSE(add.partition_values.at("n").has_value());
  EXPECT_EQ(add.stats, R"json({"numRecords":3})json");
  EXPECT_EQ(add.tags.at("k"), "v");
  const auto& remove = std::get<Remove>((*actions)[3]);
  EXPECT_EQ(remove.deletion_timestamp, 1691426737143);
  EXPECT_EQ(remove.size, 539);
}

TEST(ActionsJson, OurLinesRoundTripAndAreValidJson) {
  Metadata m;
  m.id = "c7a1";
  m.schema_string = R"json({"type":"struct","fields":[]})json";
  m.partition_columns = {"day"};
  m.configuration = {{"delta.checkpointInterval", "10"}};
  m.created_time = 1;
  Add a;
  a.path = "day=2025-01-01/part-0.parquet";
  a.partition_values = {{"day", "2025-01-01"}, {"x", std::nullopt}};
  a.size = 10;
  a.modification_time = 2;
  a.stats = R"json({"numRecords":1,"minValues":{"s":"a\"b"}})json";
  Remove r;
  r.path = "p";
  r.deletion_timestamp = 3;
  r.extended_file_metadata = true;
  r.partition_values = PartitionValues{};
  r.size = 4;
  Protocol p;
  Txn t{"app", 9, 5};
  DomainMetadata d{"delta.x", "{}", false};
  std::vector<Action> actions = {p, m, t, r, a, d};
  std::string text = commit_to_json(actions);
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    EXPECT_TRUE(nlohmann::json::accept(text.substr(start, end - start)));
    start = end + 1;
  }
  auto parsed = parse_commit(text, "x.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  ASSERT_EQ(parsed->size(), actions.size());
  for (size_t i = 0; i < actions.size(); ++i) EXPECT_EQ((*parsed)[i], actions[i]) << i;
  EXPECT_EQ(action_to_json(p),
            R"json({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})json");
}

TEST(ActionsJson, ErrorsNameTheFileAndLine) {
  auto bad = parse_commit(
      "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n{\"add\":{\"path\":",
      "00000000000000000003.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::parse);
  EXPECT_NE(bad.error().message.find("00000000000000000003.json:2"), std::string::npos)
      << bad.error().message;

  auto missing =
      parse_commit(R"json({"add":{"path":"a","size":1,"modificationTime":1}})json", "f.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing 'dataChange'"), std::string::npos)
      << missing.error().message;

  auto wrong_type = parse_commit(R"json({"txn":{"appId":"a","version":"7"}})json", "f.json");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("'version' is not an integer"), std::string::npos);

  auto v2 = parse_commit(R"json({"checkpointMetadata":{"version":1}})json", "f.json");
  ASSERT_FALSE(v2.ok());
  EXPECT_EQ(v2.error().code, Errc::unsupported);
  EXPECT_NE(v2.error().message.find("v2Checkpoint"), std::string::npos);

  EXPECT_FALSE(parse_commit("[1,2]", "f.json").ok());
}

}  // namespace
}  // namespace sl::delta
