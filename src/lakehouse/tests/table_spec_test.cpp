// TableSpec on a made-up table holding every column type: the Delta schema and values, the
// PostgreSQL definitions, COPY text (nulls, escapes, exact cents, NaN) and view columns.
#include "lakehouse/table_spec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/civil_time.hpp"
#include "lakehouse/table_spec_sql.hpp"

namespace sl::lakehouse {
namespace {

struct Sample {
  int32_t year = 0;
  int64_t id = 0;
  std::string label;
  std::string note;  // "" = null
  std::optional<double> ratio;
  bool flag = false;
  std::optional<int32_t> born;
  std::optional<int64_t> seen_us;
  int64_t amount_cents = 0;
};

const TableSpec<Sample>& sample_spec() {
  static const TableSpec<Sample> spec{
      "sample",
      {col::int32<&Sample::year>("year").required().primary_key().in_view("annee"),
       col::int64<&Sample::id>("id").required().primary_key().in_view(),
       col::text<&Sample::label>("label").check("label <> 'x'"),
       col::text_or_null<&Sample::note>("note").in_view("remarque"),
       col::float64<&Sample::ratio>("ratio"),
       col::boolean<&Sample::flag>("flag").in_view("drapeau"), col::date<&Sample::born>("born"),
       col::timestamp<&Sample::seen_us>("seen"),
       col::euros<&Sample::amount_cents>("amount").published_as("amount_eur").in_view("montant")},
      "v_sample"};
  return spec;
}

std::vector<Sample> sample_rows() {
  return {{.year = 2025,
           .id = 1,
           .label = "tab\there \\ \"quoted\"\nnext",
           .note = "vu",
           .ratio = 0.1,
           .flag = true,
           .born = static_cast<int32_t>(days_from_civil({1990, 5, 17})),
           .seen_us = (days_from_civil({2025, 3, 1}) * 86400 + 7 * 3600 + 45 * 60) * 1'000'000 + 5,
           .amount_cents = 154'700},
          {.year = 2025,
           .id = -2,
           .ratio = std::numeric_limits<double>::quiet_NaN(),
           .amount_cents = -5}};
}

TEST(TableSpec, MemberTypesDecideWhatMayBeNull) {
  const auto& columns = sample_spec().info.columns;
  std::string nullable;
  for (const auto& c : columns) nullable += c.may_be_null ? '1' : '0';
  EXPECT_EQ(nullable, "000110110");  // note (""), ratio, born, seen
  EXPECT_EQ(columns[8].published_name(), "amount_eur");
  EXPECT_EQ(columns[7].published_name(), "seen");
}

TEST(TableSpec, DeltaSchemaAndValues) {
  const auto rows = sample_rows();
  auto batch = record_batch<Sample>(sample_spec(), rows);
  ASSERT_EQ(batch.num_rows, 2u);
  ASSERT_EQ(batch.schema.size(), 9u);
  std::string schema;
  for (const auto& f : batch.schema)
    schema +=
        f.name + ":" + std::string(columnar::type_name(f.type.id)) + (f.nullable ? " " : "! ");
  EXPECT_EQ(schema,
            "year:int32! id:int64! label:string note:string ratio:double flag:boolean "
            "born:date seen:timestamp amount:decimal ");
  EXPECT_EQ(batch.schema[8].type, (columnar::DataType{columnar::TypeId::decimal, 12, 2}));
  std::string second;
  for (const auto& column : batch.columns) second += columnar::to_debug_string(column, 1) + " ";
  EXPECT_EQ(second, "2025 -2 \"\" null nan false null null -5 ");
  EXPECT_EQ(batch.columns[6].i32[0], days_from_civil({1990, 5, 17}));
  EXPECT_EQ(batch.columns[8].i64[0], 154'700);
}

TEST(TableSpec, PostgresDefinitionsListsAndView) {
  const auto& info = sample_spec().info;
  EXPECT_EQ(sql_column_definitions(info),
            "year integer NOT NULL, id bigint NOT NULL, label text NOT NULL CHECK (label <> 'x'), "
            "note text, ratio double precision, flag boolean NOT NULL, born date, seen timestamp, "
            "amount_eur numeric(12,2) NOT NULL");
  EXPECT_EQ(sql_primary_key(info), "year, id");
  EXPECT_EQ(sql_column_list(info), "year, id, label, note, ratio, flag, born, seen, amount_eur");
  EXPECT_EQ(sql_view_columns(info),
            "year AS annee, id, note AS remarque, flag AS drapeau, amount_eur AS montant");
}

TEST(TableSpec, CopyTextInEachTypesInputSyntax) {
  std::string out;
  append_copy_rows<Sample>(out, sample_spec(), sample_rows());
  EXPECT_EQ(out,
            "2025\t1\ttab\\there \\\\ \"quoted\"\\nnext\tvu\t0.1\tt\t1990-05-17\t"
            "2025-03-01 07:45:00.000005\t1547.00\n"
            "2025\t-2\t\t\\N\tNaN\tf\t\\N\t\\N\t-0.05\n");
}

TEST(TableSpec, InfinitiesAreFloat8Words) {
  std::string out;
  append_copy_cell(out, ColumnType::float64, std::numeric_limits<double>::infinity());
  out += ' ';
  append_copy_cell(out, ColumnType::float64, -std::numeric_limits<double>::infinity());
  out += ' ';
  append_copy_cell(out, ColumnType::float64, -std::nan(""));
  EXPECT_EQ(out, "Infinity -Infinity NaN");
}

}  // namespace
}  // namespace sl::lakehouse
