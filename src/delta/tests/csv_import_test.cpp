// CSV import: the inference rules column by column, given types, batches, and malformed CSV.
#include <gtest/gtest.h>

#include "common/fs.hpp"
#include "delta/csv_import.hpp"

namespace sl::delta {
namespace {

using columnar::TypeId;

std::vector<TypeId> types_of(const std::vector<columnar::Field>& fields) {
  std::vector<TypeId> out;
  for (const auto& f : fields) out.push_back(f.type.id);
  return out;
}

TEST(CsvImport, InfersTheFirstTypeEveryCellParsesAs) {
  const std::string text =
      "id,km,flag,day,at,name,blank,mixed\n"
      "1,1.5,true,2024-01-31,2024-01-31 08:30:00,Anne,,1\n"
      "-2,,false,,2024-02-01T09:00Z,,,x\n"
      "3,2,,2024-02-29,2024-02-01,Paul,,2\n";
  auto fields = infer_csv_fields(text, "in.csv");
  ASSERT_TRUE(fields.ok()) << fields.error().to_string();
  EXPECT_EQ(
      types_of(*fields),
      (std::vector<TypeId>{TypeId::int64, TypeId::float64, TypeId::boolean, TypeId::date32,
                           TypeId::timestamp_us, TypeId::string, TypeId::string, TypeId::string}));
}

TEST(CsvImport, NumbersAndBooleansAreStrict) {
  // Blanks, '+', hexadecimal and other spellings of true stay text: they would not read back the
  // same from a partition value or a --where literal.
  for (const char* cell : {" 12", "+5", "0x1A", "12abc", "TRUE", "1,5"}) {
    const std::string text = std::string("v\n\"") + cell + "\"\n";
    auto fields = infer_csv_fields(text, "in.csv");
    ASSERT_TRUE(fields.ok()) << cell;
    EXPECT_EQ((*fields)[0].type.id, TypeId::string) << cell;
  }
  auto fields = infer_csv_fields("v\n1e3\n-0.25\n", "in.csv");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ((*fields)[0].type.id, TypeId::float64);
}

TEST(CsvImport, GivenTypesWinAndUnknownColumnsAreRefused) {
  auto fields = infer_csv_fields("id,amount\n1,2.50\n", "in.csv",
                                 {{"id", {TypeId::string}}, {"amount", {TypeId::decimal, 12, 2}}});
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(types_of(*fields), (std::vector<TypeId>{TypeId::string, TypeId::decimal}));
  auto unknown = infer_csv_fields("id\n1\n", "in.csv", {{"nope", {TypeId::int64}}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("in.csv has no column 'nope'"), std::string::npos);
}

TEST(CsvImport, ConvertsInBatchesWithNullsAndEmptyStrings) {
  const std::string text = "id,name\n1,a\n,\n3,\"c, d\"\n4,d\n5,e\n";
  auto fields = infer_csv_fields(text, "in.csv");
  ASSERT_TRUE(fields.ok());
  std::vector<columnar::RecordBatch> batches;
  auto rows = read_csv_batches(text, "in.csv", *fields, 2, [&](columnar::RecordBatch&& b) {
    batches.push_back(std::move(b));
    return Status{};
  });
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  EXPECT_EQ(*rows, 5u);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].num_rows, 2u);
  EXPECT_EQ(batches[2].num_rows, 1u);
  EXPECT_FALSE(batches[0].columns[0].is_valid(1));  // empty long: null
  EXPECT_TRUE(batches[0].columns[1].is_valid(1));   // empty string: ""
  EXPECT_EQ(batches[0].columns[1].string_at(1), "");
  EXPECT_EQ(batches[1].columns[1].string_at(0), "c, d");
  EXPECT_EQ(batches[2].columns[0].i64[0], 5);
}

TEST(CsvImport, MalformedCsvNamesTheLine) {
  auto empty = infer_csv_fields("", "in.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("in.csv: empty CSV"), std::string::npos);

  auto ragged = infer_csv_fields("a,b\n1,2\n3\n", "ragged.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.error().message.find("ragged.csv:3: 1 fields, the header has 2"),
            std::string::npos);

  auto unterminated = infer_csv_fields("a\n\"open\n", "q.csv");
  EXPECT_FALSE(unterminated.ok());

  const std::string text = "id,x\n1,2\n2,zz\n";
  std::vector<columnar::Field> fields{{"id", {TypeId::int64}, true}, {"x", {TypeId::int32}, true}};
  auto bad = read_csv_batches(text, "bad.csv", fields, 10,
                              [](columnar::RecordBatch&&) { return Status{}; });
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("bad.csv:3:"), std::string::npos);
  EXPECT_NE(bad.error().message.find("'zz'"), std::string::npos);
}

TEST(CsvImport, ReadsAWholeFileIntoOneBatch) {
  fs::TempDir dir;
  const auto path = dir.path() / "people.csv";
  ASSERT_TRUE(fs::write_file_atomic(path, "\xEF\xBB\xBFid,day\n1,2024-01-01\n2,\n").ok());
  auto batch = read_csv_file(path);
  ASSERT_TRUE(batch.ok()) << batch.error().to_string();
  EXPECT_EQ(batch->num_rows, 2u);
  EXPECT_EQ(batch->schema[0].name, "id");  // the byte-order mark is not part of the name
  EXPECT_EQ(types_of(batch->schema), (std::vector<TypeId>{TypeId::int64, TypeId::date32}));
  EXPECT_FALSE(batch->columns[1].is_valid(1));
}

}  // namespace
}  // namespace sl::delta
