// The columnar model: builders keep columns consistent, rows are selected and appended whole
// (nested children included), cells print as JSON and CSV.
#include <gtest/gtest.h>

#include "columnar/batch_ops.hpp"
#include "columnar/cell_text.hpp"
#include "columnar/column.hpp"

namespace sl::columnar {
namespace {

RecordBatch sample() {
  RecordBatch b;
  b.schema = {{"id", {TypeId::int64}, false},
              {"name", {TypeId::string}, true},
              {"tags", {TypeId::list}, true, {{"element", {TypeId::string}, true, {}}}}};
  Column id({TypeId::int64}), name({TypeId::string}), tags = Column::for_field(b.schema[2]);
  id.append_i64(1);
  name.append_string("Juliette, \"Jo\"");
  tags.children[0].append_string("run");
  tags.children[0].append_string("bike");
  tags.end_list();
  id.append_i64(2);
  name.append_null();
  tags.append_null();
  id.append_i64(3);
  name.append_string("");
  tags.end_list();  // an empty list
  b.columns = {std::move(id), std::move(name), std::move(tags)};
  b.num_rows = 3;
  return b;
}

TEST(Columnar, BuildersKeepLengthValidityAndOffsets) {
  auto b = sample();
  EXPECT_EQ(b.columns[1].length, 3u);
  EXPECT_EQ(b.columns[1].null_count(), 1u);
  EXPECT_EQ(b.columns[1].string_at(0), "Juliette, \"Jo\"");
  EXPECT_EQ(b.columns[2].offsets, (std::vector<uint32_t>{0, 2, 2, 2}));
  EXPECT_EQ(to_debug_string(b.columns[2], 0), "[\"run\",\"bike\"]");
}

// The flat columns of the sample (take_rows and append_batch serve the table writer, which splits
// flat batches).
RecordBatch flat() {
  auto b = sample();
  b.schema.pop_back();
  b.columns.pop_back();
  return b;
}

TEST(Columnar, TakeRowsSelectsWholeRowsInTheGivenOrder) {
  auto taken = take_rows(flat(), {2, 0, 1});
  ASSERT_EQ(taken.num_rows, 3u);
  EXPECT_EQ(taken.columns[0].i64, (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(taken.columns[1].string_at(0), "");
  EXPECT_EQ(taken.columns[1].string_at(1), "Juliette, \"Jo\"");
  EXPECT_FALSE(taken.columns[1].is_valid(2));
}

TEST(Columnar, AppendBatchAndNullColumns) {
  auto to = flat();
  ASSERT_TRUE(append_batch(to, flat()).ok());
  EXPECT_EQ(to.num_rows, 6u);
  EXPECT_EQ(to.columns[1].null_count(), 2u);
  EXPECT_EQ(to.columns[1].string_at(3), "Juliette, \"Jo\"");
  auto nulls = null_column(Field{"d", {TypeId::decimal, 12, 2}}, 4);
  EXPECT_EQ(nulls.length, 4u);
  EXPECT_EQ(nulls.null_count(), 4u);
}

// A struct {name, list<map<string,int64>>}: nulls at every level (struct, field, list, element,
// map value), an empty list and an empty map.
RecordBatch nested() {
  Field value{"value", {TypeId::int64}, true, {}};
  Field map{"element", {TypeId::map}, true, {{"key", {TypeId::string}, false, {}}, value}};
  Field list{"items", {TypeId::list}, true, {map}};
  RecordBatch b;
  b.schema = {{"s", {TypeId::struct_}, true, {{"name", {TypeId::string}, true, {}}, list}}};
  Column s = Column::for_field(b.schema[0]);
  Column& name = s.children[0];
  Column& items = s.children[1];
  Column& maps = items.children[0];
  // row 0: {"a", [{k:1, z:null}, null, {}]}
  name.append_string("a");
  maps.children[0].append_string("k");
  maps.children[1].append_i64(1);
  maps.children[0].append_string("z");
  maps.children[1].append_null();
  maps.end_list();
  maps.append_null();
  maps.end_list();
  items.end_list();
  s.append_struct();
  // row 1: null
  s.append_null();
  // row 2: {null, null}
  name.append_null();
  items.append_null();
  s.append_struct();
  // row 3: {"d", []}
  name.append_string("d");
  items.end_list();
  s.append_struct();
  b.columns = {std::move(s)};
  b.num_rows = 4;
  return b;
}

TEST(Columnar, TakeRowsAndAppendBatchCarryNestedColumnsWhole) {
  const std::string rows[] = {R"({"a",[{"k":1,"z":null},null,{}]})", "null", "{null,null}",
                              R"({"d",[]})"};
  auto taken = take_rows(nested(), {3, 0, 0, 1, 2});
  ASSERT_EQ(taken.columns[0].length, 5u);
  EXPECT_EQ(to_debug_string(taken.columns[0]),
            rows[3] + "\n" + rows[0] + "\n" + rows[0] + "\n" + rows[1] + "\n" + rows[2] + "\n");
  EXPECT_EQ(row_json(taken, 0).dump(), R"({"s":{"name":"d","items":[]}})");
  EXPECT_EQ(take_rows(nested(), {}).columns[0].length, 0u);

  auto to = nested();
  ASSERT_TRUE(append_batch(to, take_rows(nested(), {2, 0})).ok());
  EXPECT_EQ(to.num_rows, 6u);
  EXPECT_EQ(to_debug_string(to.columns[0]), rows[0] + "\n" + rows[1] + "\n" + rows[2] + "\n" +
                                                rows[3] + "\n" + rows[2] + "\n" + rows[0] + "\n");

  auto nulls = null_column(to.schema[0], 2);
  ASSERT_EQ(nulls.children.size(), 2u);
  EXPECT_EQ(nulls.children[1].offsets, (std::vector<uint32_t>{0, 0, 0}));
  RecordBatch with_nulls{to.schema, {std::move(nulls)}, 2};
  ASSERT_TRUE(append_batch(with_nulls, nested()).ok());
  EXPECT_EQ(to_debug_string(with_nulls.columns[0], 2), rows[0]);
}

TEST(Columnar, TakeRowsInPlaceEqualsTakeRows) {
  for (const auto& batch : {flat(), nested()}) {
    const std::vector<uint32_t> rows = {2, 0, 1, 1};
    auto expected = take_rows(batch, rows);
    auto in_place = batch;
    take_rows_in_place(in_place, rows);
    ASSERT_EQ(in_place.num_rows, 4u);
    EXPECT_EQ(rows_json(in_place), rows_json(expected));
  }
}

// append_rows appends what append_batch(to, take_rows(from, rows)) appends, whichever side has
// a validity vector (a batch without nulls onto one with, and the other way round).
TEST(Columnar, AppendRowsEqualsAppendingTakenRows) {
  auto no_nulls = flat();
  no_nulls.columns[1].validity.clear();  // "name" of row 1 then reads as ""
  const std::vector<uint32_t> rows = {2, 1, 1};
  for (const auto& to_batch : {flat(), no_nulls, RecordBatch{}, nested()})
    for (const auto& from : {flat(), no_nulls, nested()}) {
      if ((to_batch.schema.size() == 1) != (from.schema.size() == 1) && !to_batch.schema.empty())
        continue;  // flat onto nested: not the same schema
      auto expected = to_batch;
      ASSERT_TRUE(append_batch(expected, take_rows(from, rows)).ok());
      auto appended = to_batch;
      ASSERT_TRUE(append_rows(appended, from, rows).ok());
      ASSERT_EQ(appended.num_rows, expected.num_rows);
      EXPECT_EQ(rows_json(appended), rows_json(expected));
      for (size_t c = 0; c < appended.columns.size(); ++c)
        EXPECT_EQ(appended.columns[c].null_count(), expected.columns[c].null_count());
    }
}

TEST(Columnar, CellsAsJsonAndCsv) {
  auto b = sample();
  EXPECT_EQ(row_json(b, 0).dump(), R"({"id":1,"name":"Juliette, \"Jo\"","tags":["run","bike"]})");
  EXPECT_EQ(row_json(b, 1).dump(), R"({"id":2,"name":null,"tags":null})");
  EXPECT_EQ(csv_line(b, 0), R"(1,"Juliette, ""Jo""","[""run"",""bike""]")");
  EXPECT_EQ(type_label(b.schema[0]), "int64");
  EXPECT_EQ(type_label(b.schema[2]), "list<string>");
}

// OWASP's CSV injection advice: a text cell a spreadsheet would evaluate gets a leading ' (and
// quotes); typed numbers keep their sign; the default output is unchanged.
TEST(Columnar, SpreadsheetSafeCsvNeutralisesFormulaCells) {
  RecordBatch b;
  b.schema = {{"amount", {TypeId::int64}, false}, {"text", {TypeId::string}, true}};
  Column amount({TypeId::int64}), text({TypeId::string});
  for (const char* t :
       {"=HYPERLINK(\"http://x\")", "+33 6", "-2+3", "@SUM(A1)", "\tx", "\rx", "Dupont", "a=b"}) {
    amount.append_i64(-5);
    text.append_string(t);
  }
  b.columns = {std::move(amount), std::move(text)};
  b.num_rows = 8;
  EXPECT_EQ(rows_csv(b, CsvCells::spreadsheet_safe),
            "amount,text\r\n-5,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n-5,\"'+33 6\"\r\n"
            "-5,\"'-2+3\"\r\n-5,\"'@SUM(A1)\"\r\n-5,\"'\tx\"\r\n-5,\"'\rx\"\r\n-5,Dupont\r\n"
            "-5,a=b\r\n");
  EXPECT_EQ(csv_line(b, 1), "-5,+33 6");
}

}  // namespace
}  // namespace sl::columnar
