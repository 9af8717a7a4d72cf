// Nested columns on the write side: schema layout, levels (the worked examples of the spec notes,
// parquet.md §3), page cuts at row boundaries, and refused shapes.
#include <gtest/gtest.h>

#include <cstring>

#include "parquet/file_writer.hpp"
#include "parquet/record_shredder.hpp"
#include "parquet/rle_bit_packed.hpp"
#include "parquet/schema_layout.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;
namespace {

Field string_field(std::string name, bool nullable = true) {
  return {std::move(name), {TypeId::string}, nullable, {}};
}

Field map_field(std::string name) {
  return {
      std::move(name), {TypeId::map}, true, {string_field("key", false), string_field("value")}};
}

Field list_field(std::string name, Field element) {
  element.name = "element";
  return {std::move(name), {TypeId::list}, true, {std::move(element)}};
}

// add: struct<path: string, size: int64 not null, partitionValues: map<string, string>>
Field add_field() {
  return {
      "add",
      {TypeId::struct_},
      true,
      {string_field("path"), {"size", {TypeId::int64}, false, {}}, map_field("partitionValues")}};
}

void append_map(Column& map, const std::vector<std::pair<std::string, const char*>>& entries) {
  for (const auto& [k, v] : entries) {
    map.children[0].append_string(k);
    v ? map.children[1].append_string(v) : map.children[1].append_null();
  }
  map.end_list();
}

// Rows: add null; partitionValues null; empty map; {date, region}; {date: null}.
Column add_column() {
  Column add = Column::for_field(add_field());
  add.append_null();
  for (int r = 1; r < 5; ++r) {
    add.children[0].append_string("part-" + std::to_string(r));
    add.children[1].append_i64(r * 100);
    Column& pv = add.children[2];
    if (r == 1) pv.append_null();
    if (r == 2) append_map(pv, {});
    if (r == 3) append_map(pv, {{"date", "2024-01-01"}, {"region", "us"}});
    if (r == 4) append_map(pv, {{"date", nullptr}});
    add.append_struct();
  }
  return add;
}

std::vector<std::pair<uint32_t, uint32_t>> levels(const ShreddedLeaf& leaf) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < leaf.num_levels; ++i) {
    out.emplace_back(leaf.repetition_levels.empty() ? 0 : leaf.repetition_levels[i],
                     leaf.definition_levels.empty() ? 0 : leaf.definition_levels[i]);
  }
  return out;
}

TEST(NestedWriter, LeavesHaveStandardPathsAndMaximumLevels) {
  auto leaves = leaf_columns(add_field());
  ASSERT_EQ(leaves.size(), 4u);
  using Path = std::vector<std::string>;
  EXPECT_EQ(leaves[0].path, (Path{"add", "path"}));
  EXPECT_EQ(leaves[2].path, (Path{"add", "partitionValues", "key_value", "key"}));
  EXPECT_EQ(leaves[3].path, (Path{"add", "partitionValues", "key_value", "value"}));
  // The table of parquet.md §3.
  EXPECT_EQ(leaves[0].max_definition_level, 2);
  EXPECT_EQ(leaves[1].max_definition_level, 1);
  EXPECT_EQ(leaves[2].max_definition_level, 3);
  EXPECT_EQ(leaves[2].max_repetition_level, 1);
  EXPECT_EQ(leaves[3].max_definition_level, 4);
  auto features = leaf_columns(list_field("readerFeatures", string_field("element")));
  ASSERT_EQ(features.size(), 1u);
  EXPECT_EQ(features[0].path, (Path{"readerFeatures", "list", "element"}));
  EXPECT_EQ(features[0].max_definition_level, 3);
}

TEST(NestedWriter, SchemaElementsFollowTheStandardLayouts) {
  std::vector<SchemaElement> elements;
  append_schema_elements(add_field(), elements);
  ASSERT_EQ(elements.size(), 7u);
  EXPECT_EQ(elements[0].name, "add");
  EXPECT_EQ(elements[0].num_children, 3);
  EXPECT_FALSE(elements[0].type.has_value());
  EXPECT_EQ(elements[3].name, "partitionValues");
  EXPECT_EQ(elements[3].converted_type, ConvertedType::map);
  EXPECT_EQ(elements[3].logical_type.kind, LogicalType::Kind::map);
  EXPECT_EQ(elements[4].name, "key_value");
  EXPECT_EQ(elements[4].repetition, Repetition::repeated);
  EXPECT_FALSE(elements[4].converted_type.has_value()) << "key_value carries no annotation";
  EXPECT_EQ(elements[5].repetition, Repetition::required) << "map keys are required";
  EXPECT_EQ(elements[5].name, "key");
  EXPECT_EQ(elements[6].name, "value");
  EXPECT_EQ(elements[6].repetition, Repetition::optional);

  elements.clear();
  append_schema_elements(list_field("tags", string_field("whatever")), elements);
  ASSERT_EQ(elements.size(), 3u);
  EXPECT_EQ(elements[0].converted_type, ConvertedType::list);
  EXPECT_EQ(elements[1].name, "list");
  EXPECT_EQ(elements[1].repetition, Repetition::repeated);
  EXPECT_EQ(elements[2].name, "element");
  EXPECT_EQ(elements[2].repetition, Repetition::optional);
}

TEST(NestedWriter, ShredsTheDeltaCheckpointExample) {
  Column add = add_column();
  RecordShredder shredder(add_field());
  std::vector<ShreddedLeaf> leaves;
  ASSERT_TRUE(shredder.shred({&add, 0, add.length}, leaves).ok());
  ASSERT_EQ(leaves.size(), 4u);
  using L = std::vector<std::pair<uint32_t, uint32_t>>;
  // path: add null → 0; present → 2.
  EXPECT_EQ(levels(leaves[0]), (L{{0, 0}, {0, 2}, {0, 2}, {0, 2}, {0, 2}}));
  // size (required in an optional struct): 0 for a null add, 1 otherwise.
  EXPECT_EQ(levels(leaves[1]), (L{{0, 0}, {0, 1}, {0, 1}, {0, 1}, {0, 1}}));
  // key: add null (0,0); map null (0,1); empty (0,2); two keys (0,3),(1,3); one key (0,3).
  EXPECT_EQ(levels(leaves[2]), (L{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 3}, {0, 3}}));
  // value: the same shape one level deeper; a null value stops at 3.
  EXPECT_EQ(levels(leaves[3]), (L{{0, 0}, {0, 1}, {0, 2}, {0, 4}, {1, 4}, {0, 3}}));
  // Present values only, in entry order.
  size_t keys = 0;
  for (const auto& run : leaves[2].values) keys += run.end - run.begin;
  EXPECT_EQ(keys, 3u);
  size_t values = 0;
  for (const auto& run : leaves[3].values) values += run.end - run.begin;
  EXPECT_EQ(values, 2u);
}

TEST(NestedWriter, ListOfListsLevels) {
  Field inner = list_field("element", {"element", {TypeId::int32}, true, {}});
  Field outer = list_field("matrix", inner);
  Column m = Column::for_field(outer);
  Column& rows = m.children[0];
  Column& cells = rows.children[0];
  // [[1, null], [], null]
  cells.append_i32(1);
  cells.append_null();
  rows.end_list();
  rows.end_list();
  rows.append_null();
  m.end_list();
  // []
  m.end_list();
  RecordShredder shredder(outer);
  std::vector<ShreddedLeaf> leaves;
  ASSERT_TRUE(shredder.shred({&m, 0, m.length}, leaves).ok());
  using L = std::vector<std::pair<uint32_t, uint32_t>>;
  // max_def 5 (matrix, list, element, list, element), max_rep 2.
  EXPECT_EQ(levels(leaves[0]), (L{{0, 5}, {2, 4}, {1, 3}, {1, 2}, {0, 1}}));
}

TEST(NestedWriter, PagesStartOnRowBoundaries) {
  Field tags = list_field("tags", {"element", {TypeId::int64}, false, {}});
  RecordBatch b;
  b.schema = {tags};
  b.columns = {Column::for_field(tags)};
  for (int r = 0; r < 300; ++r) {
    for (int k = 0; k < r % 40; ++k) b.columns[0].children[0].append_i64(r * 1000 + k);
    b.columns[0].end_list();
  }
  b.num_rows = 300;
  WriterOptions options;
  options.page_size = 64;  // a few values per page: most rows would straddle a page
  options.dictionary = false;
  options.codec = Codec::uncompressed;
  auto sink = std::make_unique<MemorySink>();
  MemorySink* memory = sink.get();
  auto writer = ParquetWriter::open(std::move(sink), b.schema, options);
  ASSERT_TRUE(writer.ok()) << writer.error().to_string();
  ASSERT_TRUE((*writer)->write(b).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const auto& meta = (*writer)->metadata().row_groups[0].columns[0].meta_data;
  EXPECT_EQ(meta.path_in_schema, (std::vector<std::string>{"tags", "list", "element"}));
  size_t entries = 0;
  for (int r = 0; r < 300; ++r) entries += std::max(1, r % 40);
  EXPECT_EQ(meta.num_values, static_cast<int64_t>(entries));
  EXPECT_EQ((*writer)->metadata().num_rows, 300);
  // Walk the pages: each one's first repetition level (first RLE run) must be 0.
  const std::string& data = memory->data();
  ByteCursor cursor(std::string_view(data).substr(static_cast<size_t>(meta.data_page_offset),
                                                  static_cast<size_t>(meta.total_compressed_size)));
  int pages = 0;
  int64_t values = 0;
  while (!cursor.at_end()) {
    auto header = decode_page_header(cursor);
    ASSERT_TRUE(header.ok()) << header.error().to_string();
    auto body = cursor.string_view(static_cast<size_t>(header->compressed_page_size));
    ASSERT_TRUE(header->data_page_header.has_value());
    const auto n = static_cast<size_t>(header->data_page_header->num_values);
    ASSERT_GE(body.size(), 4u);
    uint32_t length = 0;
    std::memcpy(&length, body.data(), 4);
    std::vector<uint32_t> reps;
    ASSERT_TRUE(decode_rle_bit_packed(body.substr(4, length), 1, n, reps));
    EXPECT_EQ(reps[0], 0u) << "page " << pages << " starts inside a row";
    ++pages;
    values += static_cast<int64_t>(n);
  }
  EXPECT_GT(pages, 20);
  EXPECT_EQ(values, meta.num_values);
}

TEST(NestedWriter, RefusesBadShapesAndRequiredNulls) {
  auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), {add_field()});
  ASSERT_TRUE(writer.ok());
  // size is required: a present add with a null size is refused...
  Column add = Column::for_field(add_field());
  add.children[0].append_string("x");
  add.children[1].append_null();
  append_map(add.children[2], {});
  add.append_struct();
  RecordBatch b{{add_field()}, {add}, 1};
  auto status = (*writer)->write(b);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("required column 'add.size' has nulls"), std::string::npos)
      << status.error().message;
  // ...but a null add (whose size slot is null too) is fine.
  RecordBatch ok{{add_field()}, {add_column()}, 5};
  EXPECT_TRUE((*writer)->write(ok).ok());
  // Offsets past the elements.
  Field tags = list_field("tags", string_field("element"));
  auto list_writer = ParquetWriter::open(std::make_unique<MemorySink>(), {tags});
  Column bad = Column::for_field(tags);
  bad.offsets.push_back(3);
  bad.length = 1;
  auto refused = (*list_writer)->write({{tags}, {bad}, 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("past"), std::string::npos) << refused.error().message;
  // Nullable map keys cannot be written.
  Field map = map_field("m");
  map.children[0].nullable = true;
  auto bad_schema = ParquetWriter::open(std::make_unique<MemorySink>(), {map});
  ASSERT_FALSE(bad_schema.ok());
  EXPECT_NE(bad_schema.error().message.find("map keys must be non-nullable"), std::string::npos);
}

}  // namespace
}  // namespace sl::parquet
