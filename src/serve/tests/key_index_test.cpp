// The employee index's parts: rows spilled to disk and read back by key, every flat type and
// nulls, each key's rows in the file's order, nested columns kept in memory instead, and the
// memory held: 16 bytes per key of the file.
#include <gtest/gtest.h>

#include "columnar/column.hpp"
#include "serve/key_index.hpp"
#include "serve/row_spill.hpp"

namespace sl::serve {
namespace {

using columnar::Column;
using columnar::DataType;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;

// Rows (employee, activity, name, distance, counted, day, wide decimal), keys out of order.
RecordBatch activities() {
  RecordBatch b;
  b.schema = {{"employee_id", {TypeId::int64}},  {"activity_id", {TypeId::int32}},
              {"name", {TypeId::string}},        {"distance_m", {TypeId::float64}},
              {"commute", {TypeId::boolean}},    {"day", {TypeId::date32}},
              {"amount", {TypeId::decimal, 30, 2}}};
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  const int64_t employees[] = {7, 3, 7, 9, 3, 7};
  for (int r = 0; r < 6; ++r) {
    if (r == 5)
      b.columns[0].append_null();  // a row without a key: in no answer
    else
      b.columns[0].append_i64(employees[r]);
    b.columns[1].append_i32(100 + r);
    if (r == 2)
      b.columns[2].append_null();
    else
      b.columns[2].append_string(r == 4 ? std::string() : "Séance " + std::to_string(r));
    b.columns[3].append_f64(1000.5 * r);
    b.columns[4].append_bool(r % 2 == 0);
    b.columns[5].append_i32(20000 + r);
    b.columns[6].append_i128(static_cast<__int128>(1) << (70 + r));
  }
  b.num_rows = 6;
  return b;
}

std::vector<int32_t> activity_ids(const RecordBatch& b) {
  std::vector<int32_t> out;
  for (size_t r = 0; r < b.num_rows; ++r) out.push_back(b.columns[1].i32[r]);
  return out;
}

TEST(KeyIndexPart, AnswersEachKeysRowsInTheFilesOrderFromDisk) {
  const RecordBatch rows = activities();
  auto part = KeyIndexPart::build({"part-0.parquet"}, rows, "employee_id");
  ASSERT_TRUE(part.ok()) << part.error().to_string();
  EXPECT_GT((*part)->disk_bytes(), 0u);
  EXPECT_EQ((*part)->rows(), 5u);
  KeyIndex index;
  index.schema = rows.schema;
  index.parts = {*part, *part};  // two files holding the same rows: both answer, in order
  auto seven = index.rows_of(7);
  ASSERT_TRUE(seven.ok()) << seven.error().to_string();
  EXPECT_EQ(activity_ids(*seven), (std::vector<int32_t>{100, 102, 100, 102}));
  auto three = index.rows_of(3);
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(activity_ids(*three), (std::vector<int32_t>{101, 104, 101, 104}));
  // Every value as it was: null, empty and accented text, doubles, booleans, dates, wide decimals.
  const RecordBatch& b = *three;
  EXPECT_EQ(b.columns[2].string_at(0), "Séance 1");
  EXPECT_TRUE(b.columns[2].is_valid(1));
  EXPECT_EQ(b.columns[2].string_at(1), "");
  EXPECT_DOUBLE_EQ(b.columns[3].f64[1], 4002.0);
  EXPECT_FALSE(b.columns[4].bools[0] != 0);
  EXPECT_TRUE(b.columns[4].bools[1] != 0);
  EXPECT_EQ(b.columns[5].i32[1], 20004);
  EXPECT_TRUE(b.columns[6].i128[1] == static_cast<__int128>(1) << 74);
  auto null_name = index.rows_of(7);
  EXPECT_FALSE(null_name->columns[2].is_valid(1));
  EXPECT_EQ(index.rows_of(8)->num_rows, 0u);  // between keys
  EXPECT_EQ(index.rows_of(1)->num_rows, 0u);  // below every key
  EXPECT_EQ(index.rows_of(99)->num_rows, 0u);  // above every key
}

TEST(KeyIndexPart, HoldsSixteenBytesPerKeyInMemory) {
  RecordBatch b;
  b.schema = {{"employee_id", {TypeId::int64}}, {"name", {TypeId::string}}};
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  for (int r = 0; r < 100'000; ++r) {  // 1,000 employees of 100 activities each
    b.columns[0].append_i64(r % 1000);
    b.columns[1].append_string("Morning Run, a name of some length");
  }
  b.num_rows = 100'000;
  auto part = KeyIndexPart::build({"f"}, std::move(b), "employee_id");
  ASSERT_TRUE(part.ok());
  EXPECT_LE((*part)->memory_bytes(), 16u * 1001 + 512);  // 1,000 keys and the end marker
  EXPECT_GT((*part)->disk_bytes(), 100'000u * 34);
}

// Runs of (employee, activity, name) whose names are long enough that one key's rows span
// several of the merge's read blocks.
RecordBatch run_of(const std::vector<std::pair<int64_t, int32_t>>& rows, size_t name_bytes) {
  RecordBatch b;
  b.schema = {{"employee_id", {TypeId::int64}}, {"activity_id", {TypeId::int32}},
              {"name", {TypeId::string}}};
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  for (const auto& [employee, activity] : rows) {
    b.columns[0].append_i64(employee);
    b.columns[1].append_i32(activity);
    b.columns[2].append_string(std::string(name_bytes, static_cast<char>('a' + activity % 26)));
  }
  b.num_rows = rows.size();
  return b;
}

TEST(KeyIndexPart, MergedRunsAnswerAsOnePartBuiltFromEveryRow) {
  // Three runs (files in order), keys interleaved, one key in every run, one in the last only,
  // one with 3,000 rows of 100 bytes in the first (several 128 KiB blocks).
  std::vector<std::pair<int64_t, int32_t>> first, second, third;
  for (int i = 0; i < 3000; ++i) first.emplace_back(5, i);
  first.emplace_back(2, 3000);
  second = {{9, 4000}, {2, 4001}, {5, 4002}, {2, 4003}};
  third = {{11, 5000}, {5, 5001}, {2, 5002}};
  std::vector<std::shared_ptr<const KeyIndexPart>> runs;
  int n = 0;
  for (const auto* rows : {&first, &second, &third}) {
    auto run = KeyIndexPart::build({"f" + std::to_string(n++)}, run_of(*rows, 100),
                                   "employee_id");
    ASSERT_TRUE(run.ok()) << run.error().to_string();
    runs.push_back(*run);
  }
  auto merged = KeyIndexPart::merge(runs);
  ASSERT_TRUE(merged.ok()) << merged.error().to_string();
  EXPECT_EQ((*merged)->file_ids(), (std::vector<std::string>{"f0", "f1", "f2"}));
  EXPECT_EQ((*merged)->rows(), 3008u);
  EXPECT_EQ((*merged)->disk_bytes(), runs[0]->disk_bytes() + runs[1]->disk_bytes() +
                                         runs[2]->disk_bytes());
  EXPECT_LE((*merged)->memory_bytes(), 16u * 5 + 512);  // 4 keys and the end marker

  std::vector<std::pair<int64_t, int32_t>> all = first;
  all.insert(all.end(), second.begin(), second.end());
  all.insert(all.end(), third.begin(), third.end());
  auto whole = KeyIndexPart::build({"all"}, run_of(all, 100), "employee_id");
  ASSERT_TRUE(whole.ok());
  KeyIndex from_runs, from_all;
  from_runs.schema = from_all.schema = run_of({}, 0).schema;
  from_runs.parts = {*merged};
  from_all.parts = {*whole};
  for (int64_t key : {1, 2, 5, 9, 10, 11, 12}) {
    auto a = from_runs.rows_of(key), b = from_all.rows_of(key);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(activity_ids(*a), activity_ids(*b)) << key;
    for (size_t r = 0; r < a->num_rows; ++r)
      ASSERT_EQ(a->columns[2].string_at(r), b->columns[2].string_at(r));
  }
  EXPECT_EQ(activity_ids(*from_runs.rows_of(2)),
            (std::vector<int32_t>{3000, 4001, 4003, 5002}));
  EXPECT_EQ(from_runs.rows_of(5)->num_rows, 3002u);
}

TEST(KeyIndexPart, KeepsNestedColumnsInMemory) {
  RecordBatch b;
  Field tags{"tags", {TypeId::list}, true, {Field{"element", {TypeId::string}}}};
  b.schema = {{"employee_id", {TypeId::int32}}, tags};
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  EXPECT_FALSE(RowSpill::supports(b.schema));
  for (int r = 0; r < 4; ++r) {
    b.columns[0].append_i32(r % 2);
    b.columns[1].children[0].append_string("t" + std::to_string(r));
    b.columns[1].end_list();
  }
  b.num_rows = 4;
  auto part = KeyIndexPart::build({"f"}, b, "employee_id");
  ASSERT_TRUE(part.ok());
  EXPECT_EQ((*part)->disk_bytes(), 0u);
  KeyIndex index;
  index.schema = b.schema;
  index.parts = {*part};
  auto one = index.rows_of(1);
  ASSERT_TRUE(one.ok()) << one.error().to_string();
  ASSERT_EQ(one->num_rows, 2u);
  EXPECT_EQ(one->columns[1].children[0].string_at(0), "t1");
  EXPECT_EQ(one->columns[1].children[0].string_at(1), "t3");
}

TEST(KeyIndexPart, RefusesATableWithoutTheKeyColumn) {
  auto part = KeyIndexPart::build({"f"}, activities(), "id");
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace sl::serve
