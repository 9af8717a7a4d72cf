// BronzeWriter on a real directory: watermarks, replays skipped, spilling, schema changes,
// snapshots of empty tables, deletes and unconvertible values.
#include "lakehouse/bronze_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "cdc/type_mapping.hpp"
#include "delta/local_storage.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"

namespace sl::lakehouse {
namespace {

namespace oid = cdc::oid;
constexpr std::string_view k_app = "sportlake-bronze:test";

pg::Relation activities(bool with_calories = false) {
  pg::Relation rel;
  rel.oid = 16400;
  rel.schema = "public";
  rel.name = "strava_activities";
  rel.columns = {{true, "activity_id", oid::k_int8, -1},
                 {false, "name", oid::k_text, -1},
                 {false, "distance_m", oid::k_numeric, ((10 << 16) | 1) + 4}};
  if (with_calories) rel.columns.push_back({false, "calories", oid::k_int4, -1});
  return rel;
}

pg::TupleValue text(std::string v) {
  return {pg::TupleValue::Kind::text, std::move(v)};
}

cdc::ChangeEvent change(const pg::Relation& rel, cdc::Op op, int64_t id, uint64_t commit_lsn,
                        uint64_t lsn, std::string distance = "1000.0") {
  cdc::ChangeEvent e;
  e.op = op;
  e.relation = &rel;
  pg::Tuple row = {text(std::to_string(id)), text("run " + std::to_string(id)), text(distance)};
  if (rel.columns.size() == 4) row.push_back(text("321"));
  (op == cdc::Op::delete_ ? e.before : e.after) = std::move(row);
  e.source.schema = rel.schema;
  e.source.table = rel.name;
  e.source.commit_lsn = pg::Lsn{commit_lsn};
  e.source.lsn = pg::Lsn{lsn};
  e.source.tx_id = 700;
  e.source.ts_us = 1'700'000'000'000'000;
  return e;
}

// A lake root of its own per test.
std::string root_test_dir() {
  return (std::filesystem::temp_directory_path() /
          ("sl-bronze-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name()))
      .string();
}

class BronzeWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::remove_all(root_); }
  void TearDown() override { std::filesystem::remove_all(root_); }

  BronzeWriter writer(size_t spill_rows = 250'000) {
    return BronzeWriter({.lake = &lake_, .app_id = std::string(k_app), .spill_rows = spill_rows});
  }
  delta::Snapshot snapshot(const std::string& table = "strava_activities") {
    auto storage = lake_.table(delta::Layer::bronze, table);
    auto s = delta::load_snapshot(*storage);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
    return s.ok() ? *s : delta::Snapshot{};
  }
  columnar::RecordBatch rows(const std::string& table = "strava_activities") {
    auto storage = lake_.table(delta::Layer::bronze, table);
    auto s = snapshot(table);
    auto batch = delta::scan_all(*storage, s);
    EXPECT_TRUE(batch.ok());
    return batch.ok() ? *batch : columnar::RecordBatch{};
  }
  static const columnar::Column& column(const columnar::RecordBatch& b, std::string_view name) {
    for (size_t i = 0; i < b.schema.size(); ++i)
      if (b.schema[i].name == name) return b.columns[i];
    ADD_FAILURE() << "no column " << name;
    static columnar::Column none;
    return none;
  }

  std::filesystem::path root_ = root_test_dir();
  delta::Lake lake_{root_test_dir(), [](const std::string& location) {
                      return std::make_unique<delta::LocalStorage>(location);
                    }};
};

TEST_F(BronzeWriterTest, CommitsAtTheTransactionEndAndARestartSkipsWhatLanded) {
  auto rel = activities();
  {
    auto w = writer();
    ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 1, 100, 90), 5));
    ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 2, 100, 95), 5));
    w.end_transaction(pg::Lsn{110});
    auto committed = w.commit();
    ASSERT_TRUE(committed.ok()) << committed.error().to_string();
    EXPECT_EQ(committed->rows, 2u);
    EXPECT_EQ(w.pending_rows(), 0u);
  }
  EXPECT_EQ(snapshot().app_version(k_app), 110);
  EXPECT_EQ(snapshot().metadata.configuration.at("delta.appendOnly"), "true");

  // After a crash the slot replays from an older position: the landed transaction is skipped.
  auto w = writer();
  EXPECT_EQ(*w.watermark("public", "strava_activities"), 110);
  EXPECT_FALSE(*w.add_change(change(rel, cdc::Op::create, 1, 100, 90), 6));
  EXPECT_FALSE(*w.add_change(change(rel, cdc::Op::create, 2, 100, 95), 6));
  w.end_transaction(pg::Lsn{110});
  EXPECT_TRUE(*w.add_change(change(rel, cdc::Op::update, 2, 120, 115), 6));
  w.end_transaction(pg::Lsn{130});
  ASSERT_TRUE(w.commit().ok());
  auto b = rows();
  ASSERT_EQ(b.num_rows, 3u);
  EXPECT_EQ(columnar::to_debug_string(column(b, "activity_id")), "1\n2\n2\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_op")), "\"c\"\n\"c\"\n\"u\"\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_commit_lsn")), "100\n100\n120\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_lsn")), "90\n95\n115\n");
  EXPECT_EQ(snapshot().app_version(k_app), 130);
}

TEST_F(BronzeWriterTest, RefusesToCommitInsideATransaction) {
  auto rel = activities();
  auto w = writer();
  ASSERT_TRUE(w.add_change(change(rel, cdc::Op::create, 1, 100, 90), 5).ok());
  auto committed = w.commit();
  ASSERT_FALSE(committed.ok());
  EXPECT_NE(committed.error().message.find("inside a source transaction"), std::string::npos);
}

TEST_F(BronzeWriterTest, ALargeTransactionSpillsToFilesAndLandsInOneVersion) {
  auto rel = activities();
  auto w = writer(10);
  for (int i = 0; i < 25; ++i)
    ASSERT_TRUE(w.add_change(change(rel, cdc::Op::create, i, 100, 50 + i), 5).ok());
  EXPECT_EQ(w.pending_rows(), 25u);
  w.end_transaction(pg::Lsn{110});
  auto committed = w.commit();
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(committed->rows, 25u);
  EXPECT_EQ(committed->files, 3u);
  auto s = snapshot();
  EXPECT_EQ(s.version, 0);
  EXPECT_EQ(s.files.size(), 3u);
  EXPECT_EQ(rows().num_rows, 25u);
}

TEST_F(BronzeWriterTest, AColumnAddedMidBatchWidensTheTable) {
  auto old_shape = activities(false);
  auto new_shape = activities(true);
  auto w = writer();
  ASSERT_TRUE(w.add_change(change(old_shape, cdc::Op::create, 1, 100, 90), 5).ok());
  w.end_transaction(pg::Lsn{110});
  ASSERT_TRUE(w.add_change(change(new_shape, cdc::Op::create, 2, 120, 115), 5).ok());
  w.end_transaction(pg::Lsn{130});
  ASSERT_TRUE(w.commit().ok());
  auto b = rows();
  ASSERT_EQ(b.num_rows, 2u);
  // Two files in one version (the old shape was spilled): their order in a scan is free.
  const auto& ids = column(b, "activity_id");
  const auto& calories = column(b, "calories");
  for (size_t r = 0; r < b.num_rows; ++r)
    EXPECT_EQ(calories.is_valid(r), ids.i64[r] == 2) << "row of activity " << ids.i64[r];
}

TEST_F(BronzeWriterTest, ASnapshotCreatesEveryTableEvenEmptyOnes) {
  auto rel = activities();
  pg::Relation employees;
  employees.schema = "public";
  employees.name = "rh_employees";
  employees.columns = {{true, "id", oid::k_int4, -1}, {false, "nom", oid::k_text, -1}};
  auto w = writer();
  auto row = change(rel, cdc::Op::read, 7, 0, 500);
  ASSERT_TRUE(w.add_snapshot_row(row, 5).ok());
  auto committed = w.commit_snapshot({rel, employees}, pg::Lsn{500});
  ASSERT_TRUE(committed.ok()) << committed.error().to_string();
  EXPECT_EQ(committed->tables, 2u);
  EXPECT_EQ(snapshot().app_version(k_app), 500);
  EXPECT_EQ(snapshot("rh_employees").app_version(k_app), 500);
  EXPECT_EQ(rows("rh_employees").num_rows, 0u);
  auto b = rows();
  EXPECT_EQ(columnar::to_debug_string(column(b, "_op")), "\"r\"\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_commit_lsn")), "500\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_tx_id")), "null\n");
  // A change committed before the snapshot point is in the snapshot already.
  auto again = writer();
  EXPECT_FALSE(*again.add_change(change(rel, cdc::Op::update, 7, 499, 480), 6));
  EXPECT_TRUE(*again.add_change(change(rel, cdc::Op::update, 7, 501, 490), 6));
}

TEST_F(BronzeWriterTest, DeletesKeepTheOldRowAndUnconvertibleValuesKeepTheirText) {
  auto rel = activities();
  auto w = writer();
  ASSERT_TRUE(w.add_change(change(rel, cdc::Op::delete_, 3, 100, 90), 5).ok());
  auto nan = change(rel, cdc::Op::create, 4, 100, 95, "NaN");
  (*nan.after)[1].kind = pg::TupleValue::Kind::unchanged_toast;
  ASSERT_TRUE(w.add_change(nan, 5).ok());
  w.end_transaction(pg::Lsn{110});
  ASSERT_TRUE(w.commit().ok());
  EXPECT_EQ(w.unconverted(), 2u);
  auto b = rows();
  EXPECT_EQ(columnar::to_debug_string(column(b, "activity_id")), "3\n4\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "distance_m")), "10000\nnull\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "name")), "\"run 3\"\nnull\n");
  EXPECT_EQ(columnar::to_debug_string(column(b, "_unconverted")),
            "null\n\"{\"name\":null,\"distance_m\":\"NaN\"}\"\n");
}

TEST_F(BronzeWriterTest, DiscardedRowsAreNotCommitted) {
  auto rel = activities();
  auto w = writer(2);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(w.add_change(change(rel, cdc::Op::create, i, 100, 50 + i), 5).ok());
  w.discard_pending();
  EXPECT_EQ(w.pending_rows(), 0u);
  EXPECT_FALSE(w.in_transaction());
  ASSERT_TRUE(w.add_change(change(rel, cdc::Op::create, 9, 200, 150), 5).ok());
  w.end_transaction(pg::Lsn{210});
  ASSERT_TRUE(w.commit().ok());
  EXPECT_EQ(columnar::to_debug_string(column(rows(), "activity_id")), "9\n");
}

}  // namespace
}  // namespace sl::lakehouse

namespace sl::lakehouse {
namespace {

cdc::SourcePosition log_end(int32_t partition, int64_t next_offset, uint64_t sequence) {
  cdc::SourcePosition end;
  end.log = cdc::LogPosition{.topic = "rh_sport.public.strava_activities",
                             .partition = partition,
                             .next_offset = next_offset,
                             .order_commit = 1000 + next_offset,
                             .order_change = 2 * next_offset + 1};
  end.sequence = sequence;
  return end;
}

TEST_F(BronzeWriterTest, ALogSourceStoresEachPartitionsOffsetInItsOwnTxn) {
  auto rel = activities();
  const std::string app = "sportlake-bronze:g:rh_sport.public.strava_activities:";
  auto log_writer = [&] {
    return BronzeWriter(
        {.lake = &lake_, .app_id = "sportlake-bronze:g", .log_app_prefix = "sportlake-bronze:g"});
  };
  auto w = log_writer();
  const std::string topic = "rh_sport.public.strava_activities";
  ASSERT_FALSE(w.log_start("public", "strava_activities", topic, 0)->has_value());
  ASSERT_FALSE(w.log_start("public", "strava_activities", topic, 1)->has_value());
  ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 1, 100, 90), 5));
  w.end_transaction(log_end(0, 8, 1));
  ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 2, 100, 95), 5));
  w.end_transaction(log_end(1, 3, 2));
  ASSERT_TRUE(w.commit().ok());
  auto s = snapshot();
  EXPECT_EQ(s.app_version(app + "0"), 8);
  EXPECT_EQ(s.app_version(app + "1"), 3);
  EXPECT_EQ(s.app_version(app + "0:commit"), 1008);
  EXPECT_EQ(s.app_version(app + "0:change"), 17);
  EXPECT_FALSE(s.app_version("sportlake-bronze:g").has_value());  // no slot watermark

  // Another process read where partition 0 resumes and commits it first: this one's rows of
  // partition 0 were read before and must not land (a conflict), partition 1's still may.
  auto other = log_writer();
  auto start = other.log_start("public", "strava_activities", topic, 0);
  ASSERT_TRUE(start.ok() && start->has_value());
  EXPECT_EQ((*start)->next_offset, 8);
  EXPECT_EQ((*start)->order_change, 17);
  ASSERT_TRUE(*other.add_change(change(rel, cdc::Op::create, 3, 110, 100), 5));
  other.end_transaction(log_end(0, 9, 1));
  ASSERT_TRUE(other.commit().ok());

  ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 3, 110, 100), 6));
  w.end_transaction(log_end(0, 9, 3));
  auto lost = w.commit();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, Errc::conflict);
  EXPECT_EQ(rows().num_rows, 3u);
}

TEST_F(BronzeWriterTest, ASkippedLogRecordMovesItsPartitionsTxnEvenWithoutRows) {
  auto rel = activities();
  const std::string app = "sportlake-bronze:g:rh_sport.public.strava_activities:";
  const std::string topic = "rh_sport.public.strava_activities";
  BronzeWriter w({.lake = &lake_, .app_id = "sportlake-bronze:g", .log_app_prefix = "sportlake-bronze:g"});
  ASSERT_FALSE(w.log_start("public", "strava_activities", topic, 0)->has_value());
  ASSERT_FALSE(w.log_start("public", "strava_activities", topic, 1)->has_value());
  // Before the table exists a position alone has nothing to be committed to: it waits...
  EXPECT_TRUE(w.skip_log_record(topic));
  w.end_transaction(log_end(1, 5, 1));
  EXPECT_FALSE(w.has_pending());
  ASSERT_TRUE(w.commit().ok());
  EXPECT_FALSE(delta::load_snapshot(*lake_.table(delta::Layer::bronze, "strava_activities")).ok());
  EXPECT_FALSE(w.skip_log_record("another.topic"));  // never assigned
  w.end_transaction(log_end(0, 1, 2));
  // ...for the commit that creates the table with rows (of another partition here).
  ASSERT_TRUE(*w.add_change(change(rel, cdc::Op::create, 1, 100, 90), 5));
  w.end_transaction(log_end(0, 2, 3));
  ASSERT_TRUE(w.commit().ok());
  EXPECT_EQ(snapshot().app_version(app + "1"), 5);
  EXPECT_EQ(snapshot().app_version(app + "0"), 2);
  const auto files = snapshot().files.size();

  // A poison record at offset 2, nothing else: a commit of the txn alone, no data file.
  EXPECT_TRUE(w.skip_log_record(topic));
  w.end_transaction(log_end(0, 3, 4));
  EXPECT_EQ(w.pending_rows(), 0u);
  EXPECT_TRUE(w.has_pending());
  auto committed = w.commit();
  ASSERT_TRUE(committed.ok()) << committed.error().to_string();
  EXPECT_FALSE(w.has_pending());
  auto s = snapshot();
  EXPECT_EQ(s.app_version(app + "0"), 3);
  EXPECT_EQ(s.files.size(), files);
  EXPECT_EQ(rows().num_rows, 1u);
}

}  // namespace
}  // namespace sl::lakehouse
