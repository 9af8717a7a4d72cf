// Row-group skipping on files of our writer: every comparison on the bounds of 3 row groups, wide
// decimals, floats with NaN (never pruned on), all-null groups, and refused predicates.
#include "parquet/value_predicate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::DataType;
using columnar::RecordBatch;
using columnar::TypeId;
namespace {

constexpr __int128 k_e20 = static_cast<__int128>(10000000000LL) * 10000000000LL;

// 300 rows in 3 row groups: id 0..299; wide = id * 10^20; score = id / 2 with a NaN in group 1;
// late = null from row 100 on (groups 1 and 2 all null); name "n000".."n299".
std::unique_ptr<ParquetReader> three_groups() {
  RecordBatch b;
  b.schema = {{"id", {TypeId::int64}, false},
              {"wide", {TypeId::decimal, 38, 2}, true},
              {"score", {TypeId::float64}, true},
              {"late", {TypeId::int32}, true},
              {"name", {TypeId::string}, true}};
  for (const auto& f : b.schema) b.columns.emplace_back(f.type);
  for (int i = 0; i < 300; ++i) {
    b.columns[0].append_i64(i);
    b.columns[1].append_i128(static_cast<__int128>(i) * k_e20);
    b.columns[2].append_f64(i == 150 ? NAN : i / 2.0);
    if (i < 100)
      b.columns[3].append_i32(i);
    else
      b.columns[3].append_null();
    char name[8];
    std::snprintf(name, sizeof name, "n%03d", i);
    b.columns[4].append_string(name);
  }
  b.num_rows = 300;
  auto sink = std::make_unique<MemorySink>();
  MemorySink* memory = sink.get();
  WriterOptions options;
  options.row_group_rows = 100;
  auto writer = ParquetWriter::open(std::move(sink), b.schema, options);
  EXPECT_TRUE(writer.ok() && (*writer)->write(b).ok() && (*writer)->close().ok());
  auto reader = ParquetReader::open_bytes(memory->take(), "three.parquet");
  EXPECT_TRUE(reader.ok());
  return std::move(*reader);
}

template <class Append>
ValuePredicate predicate(std::string column, CompareOp op, DataType type, Append append) {
  ValuePredicate p{std::move(column), op, Column(type)};
  append(p.literal);
  return p;
}

// The groups (of 3) that may match.
std::string kept(const ParquetReader& reader, const std::vector<ValuePredicate>& predicates) {
  std::string out;
  for (size_t g = 0; g < reader.num_row_groups(); ++g) {
    auto may = row_group_may_match(reader, g, predicates);
    EXPECT_TRUE(may.ok()) << (may.ok() ? "" : may.error().message);
    out += may.ok() && *may ? '1' : '0';
  }
  return out;
}

TEST(ValuePredicate, SkipsRowGroupsByBounds) {
  auto reader = three_groups();
  auto id = [](CompareOp op, int64_t v) {
    return predicate("id", op, {TypeId::int64}, [&](Column& c) { c.append_i64(v); });
  };
  EXPECT_EQ(kept(*reader, {id(CompareOp::eq, 150)}), "010");
  EXPECT_EQ(kept(*reader, {id(CompareOp::lt, 100)}), "100");
  EXPECT_EQ(kept(*reader, {id(CompareOp::le, 100)}), "110");
  EXPECT_EQ(kept(*reader, {id(CompareOp::gt, 199)}), "001");
  EXPECT_EQ(kept(*reader, {id(CompareOp::ge, 199)}), "011");
  EXPECT_EQ(kept(*reader, {id(CompareOp::ne, 5)}), "111");
  EXPECT_EQ(kept(*reader, {id(CompareOp::ge, 50), id(CompareOp::lt, 120)}), "110");
  EXPECT_EQ(kept(*reader, {id(CompareOp::gt, 1000)}), "000");

  auto wide = predicate("wide", CompareOp::gt, {TypeId::decimal, 38, 2},
                        [](Column& c) { c.append_i128(static_cast<__int128>(250) * k_e20); });
  EXPECT_EQ(kept(*reader, {wide}), "001");
  auto name = predicate("name", CompareOp::eq, {TypeId::string},
                        [](Column& c) { c.append_string("n042"); });
  EXPECT_EQ(kept(*reader, {name}), "100");
}

TEST(ValuePredicate, NullsAndNaN) {
  auto reader = three_groups();
  auto late = [](CompareOp op) {
    return predicate("late", op, {TypeId::int32}, [](Column& c) { c.append_i32(3); });
  };
  EXPECT_EQ(kept(*reader, {late(CompareOp::is_null)}), "011");
  EXPECT_EQ(kept(*reader, {late(CompareOp::is_not_null)}), "100");
  EXPECT_EQ(kept(*reader, {late(CompareOp::gt)}), "100");  // all-null groups hold no value
  // The writer leaves NaN out of the bounds: group 1 ([50, 99.5]) still prunes on them.
  auto score =
      predicate("score", CompareOp::gt, {TypeId::float64}, [](Column& c) { c.append_f64(120); });
  EXPECT_EQ(kept(*reader, {score}), "001");
}

TEST(ValuePredicate, RowsMatchLikeSql) {
  Column c({TypeId::float64});
  c.append_f64(1.5);
  c.append_null();
  c.append_f64(NAN);
  auto p = predicate("x", CompareOp::ne, {TypeId::float64}, [](Column& l) { l.append_f64(2); });
  EXPECT_TRUE(row_matches(p, c, 0));
  EXPECT_FALSE(row_matches(p, c, 1));  // null compares with nothing
  EXPECT_FALSE(row_matches(p, c, 2));  // nor does NaN
  p.op = CompareOp::is_null;
  EXPECT_TRUE(row_matches(p, c, 1));
}

TEST(ValuePredicate, RefusedPredicatesNameTheColumn) {
  auto reader = three_groups();
  auto unknown = row_group_may_match(
      *reader, 0,
      {predicate("nope", CompareOp::eq, {TypeId::int64}, [](Column& c) { c.append_i64(1); })});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("'nope'"), std::string::npos);
  auto wrong_type = row_group_may_match(
      *reader, 0,
      {predicate("id", CompareOp::eq, {TypeId::int32}, [](Column& c) { c.append_i32(1); })});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("three.parquet"), std::string::npos);
  EXPECT_FALSE(row_group_may_match(*reader, 7, {}).ok());
}

}  // namespace
}  // namespace sl::parquet
