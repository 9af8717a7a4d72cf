// Nested columns read back: random nested tables (nulls and empties at every level) through every
// codec, page and row-group layout; the legacy list/map layouts of the schema mapping; corrupt
// levels. Files of other writers are checked against pyarrow in test_reader_conformance.py.
#include <gtest/gtest.h>

#include <random>

#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::RecordBatch;
using columnar::to_debug_string;
using columnar::type_name;
using columnar::TypeId;
namespace {

Field field(std::string name, TypeId id, bool nullable = true, std::vector<Field> children = {}) {
  return {std::move(name), {id}, nullable, std::move(children)};
}

Field list_of(std::string name, Field element, bool nullable = true) {
  element.name = "element";
  return field(std::move(name), TypeId::list, nullable, {std::move(element)});
}

Field map_of(std::string name, Field key, Field value) {
  key.name = "key";
  key.nullable = false;
  value.name = "value";
  return field(std::move(name), TypeId::map, true, {std::move(key), std::move(value)});
}

std::vector<Field> nested_schema() {
  Field decimal = {"d", {TypeId::decimal, 12, 2}, true, {}};
  return {
      field("id", TypeId::int64, false),
      field("s", TypeId::struct_, true,
            {field("a", TypeId::int32), field("b", TypeId::string, false),
             field("inner", TypeId::struct_, true,
                   {field("x", TypeId::float64), list_of("flags", field("f", TypeId::boolean))})}),
      list_of("l", list_of("l", field("e", TypeId::string))),
      map_of("m", field("k", TypeId::string),
             field("v", TypeId::struct_, true, {field("v", TypeId::int64), list_of("w", decimal)})),
      list_of("required_ints", field("e", TypeId::int32, false), false),
      list_of("times", field("t", TypeId::timestamp_us)),
      map_of("by_int", field("k", TypeId::int32), field("day", TypeId::date32)),
      list_of("blobs", field("b", TypeId::binary)),
      field("f32", TypeId::float32),
  };
}

// Appends one random value of `f` to `c` (nulls, empties and long lists included).
void append_random(const Field& f, Column& c, std::mt19937& rng) {
  auto pick = [&](uint32_t n) { return rng() % n; };
  if (f.nullable && pick(7) == 0) {
    c.append_null();
    return;
  }
  switch (f.type.id) {
    case TypeId::struct_:
      for (size_t k = 0; k < f.children.size(); ++k)
        append_random(f.children[k], c.children[k], rng);
      c.append_struct();
      return;
    case TypeId::list: {
      uint32_t n = pick(10) == 0 ? 30 + pick(50) : pick(4);
      for (uint32_t k = 0; k < n; ++k) append_random(f.children[0], c.children[0], rng);
      c.end_list();
      return;
    }
    case TypeId::map: {
      uint32_t n = pick(4);
      for (uint32_t k = 0; k < n; ++k) {
        if (f.children[0].type.id == TypeId::string)
          c.children[0].append_string("key" + std::to_string(k));
        else
          c.children[0].append_i32(static_cast<int32_t>(k * 7));
        append_random(f.children[1], c.children[1], rng);
      }
      c.end_list();
      return;
    }
    case TypeId::boolean:
      c.append_bool(pick(2) == 0);
      return;
    case TypeId::int32:
    case TypeId::date32:
      c.append_i32(static_cast<int32_t>(pick(1000)) - 500);
      return;
    case TypeId::int64:
    case TypeId::timestamp_us:
    case TypeId::decimal:
      c.append_i64(static_cast<int64_t>(rng()) * 1000 - 7);
      return;
    case TypeId::float32:
      c.append_f32(static_cast<float>(pick(100)) / 4);
      return;
    case TypeId::float64:
      c.append_f64(static_cast<double>(pick(100000)) / 8);
      return;
    case TypeId::string:
    case TypeId::binary:
      c.append_string(std::string(pick(12), static_cast<char>('a' + pick(3))));
      return;
  }
}

RecordBatch random_batch(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  RecordBatch b;
  b.schema = nested_schema();
  for (const auto& f : b.schema) b.columns.push_back(Column::for_field(f));
  for (size_t r = 0; r < rows; ++r) {
    b.columns[0].append_i64(static_cast<int64_t>(r));
    for (size_t c = 1; c < b.schema.size(); ++c) append_random(b.schema[c], b.columns[c], rng);
  }
  b.num_rows = rows;
  return b;
}

std::string write(const RecordBatch& b, const WriterOptions& options, size_t batch_rows = 0) {
  auto sink = std::make_unique<MemorySink>();
  MemorySink* memory = sink.get();
  auto writer = ParquetWriter::open(std::move(sink), b.schema, options);
  EXPECT_TRUE(writer.ok()) << writer.error().to_string();
  if (batch_rows == 0) batch_rows = std::max<size_t>(1, b.num_rows);
  for (size_t first = 0; first < b.num_rows; first += batch_rows) {
    RecordBatch part{b.schema, {}, std::min(batch_rows, b.num_rows - first)};
    for (size_t c = 0; c < b.columns.size(); ++c) {
      part.columns.push_back(Column::for_field(b.schema[c]));
      part.columns.back().append_rows(b.columns[c], first, first + part.num_rows);
    }
    auto status = (*writer)->write(part);
    EXPECT_TRUE(status.ok()) << status.error().to_string();
  }
  EXPECT_TRUE((*writer)->close().ok());
  return memory->take();
}

void expect_same_rows(const RecordBatch& expected, const RecordBatch& got) {
  ASSERT_EQ(expected.num_rows, got.num_rows);
  ASSERT_EQ(expected.columns.size(), got.columns.size());
  for (size_t c = 0; c < expected.columns.size(); ++c) {
    EXPECT_EQ(got.columns[c].length, got.num_rows) << expected.schema[c].name;
    for (size_t r = 0; r < expected.num_rows; ++r) {
      ASSERT_EQ(to_debug_string(expected.columns[c], r), to_debug_string(got.columns[c], r))
          << "column " << expected.schema[c].name << " row " << r;
    }
  }
}

TEST(NestedReader, RoundTripsRandomTablesThroughEveryLayout) {
  RecordBatch original = random_batch(3000, 42);
  for (Codec codec : {Codec::uncompressed, Codec::snappy, Codec::zstd}) {
    for (bool dictionary : {true, false}) {
      for (size_t page_size : {size_t{1} << 20, size_t{200}}) {
        WriterOptions o;
        o.codec = codec;
        o.dictionary = dictionary;
        o.page_size = page_size;
        o.row_group_rows = 1100;
        auto reader = ParquetReader::open_bytes(write(original, o, 700), "nested.parquet");
        ASSERT_TRUE(reader.ok()) << reader.error().to_string();
        EXPECT_EQ((*reader)->num_row_groups(), 3u);
        const auto& schema = (*reader)->schema();
        ASSERT_EQ(schema.size(), original.schema.size());
        EXPECT_EQ(schema[3].type.id, TypeId::map);
        EXPECT_FALSE(schema[4].nullable);
        EXPECT_FALSE(schema[4].children[0].nullable);
        EXPECT_FALSE(schema[1].children[1].nullable);
        auto back = (*reader)->read_all();
        ASSERT_TRUE(back.ok()) << back.error().to_string();
        expect_same_rows(original, *back);
      }
    }
  }
}

TEST(NestedReader, ReadsTheDeltaShapesExactly) {
  // add: struct<path, size not null, partitionValues: map<string, string>>; rows: null add, null
  // map, empty map, two entries with a null value.
  Field add =
      field("add", TypeId::struct_, true,
            {field("path", TypeId::string), field("size", TypeId::int64, false),
             map_of("partitionValues", field("k", TypeId::string), field("v", TypeId::string))});
  RecordBatch b{{add, list_of("readerFeatures", field("f", TypeId::string))}, {}, 4};
  b.columns = {Column::for_field(b.schema[0]), Column::for_field(b.schema[1])};
  Column& a = b.columns[0];
  a.append_null();
  for (int r = 1; r < 4; ++r) {
    a.children[0].append_string("part-" + std::to_string(r));
    a.children[1].append_i64(r);
    Column& pv = a.children[2];
    if (r == 1) pv.append_null();
    if (r == 2) pv.end_list();
    if (r == 3) {
      pv.children[0].append_string("date");
      pv.children[1].append_string("2024-01-01");
      pv.children[0].append_string("region");
      pv.children[1].append_null();
      pv.end_list();
    }
    a.append_struct();
  }
  Column& features = b.columns[1];
  features.append_null();
  features.end_list();
  features.children[0].append_string("deletionVectors");
  features.children[0].append_string("v2Checkpoint");
  features.end_list();
  features.children[0].append_null();
  features.end_list();
  auto reader = ParquetReader::open_bytes(write(b, {}), "delta.parquet");
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  auto back = (*reader)->read_all({"readerFeatures", "add"});
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(to_debug_string(back->columns[1]),
            "null\n{\"part-1\",1,null}\n{\"part-2\",2,{}}\n"
            "{\"part-3\",3,{\"date\":\"2024-01-01\",\"region\":null}}\n");
  EXPECT_EQ(to_debug_string(back->columns[0]),
            "null\n[]\n[\"deletionVectors\",\"v2Checkpoint\"]\n[null]\n");

  // Part of a struct: only the selected fields, in file order, null rows kept.
  auto part = (*reader)->read_all({"add.partitionValues", "add.path"});
  ASSERT_TRUE(part.ok()) << part.error().to_string();
  ASSERT_EQ(part->schema.size(), 1u);
  ASSERT_EQ(part->schema[0].children.size(), 2u);
  EXPECT_EQ(part->schema[0].children[0].name, "path");
  EXPECT_EQ(to_debug_string(part->columns[0]),
            "null\n{\"part-1\",null}\n{\"part-2\",{}}\n"
            "{\"part-3\",{\"date\":\"2024-01-01\",\"region\":null}}\n");
  auto without_first = (*reader)->read_row_group(0, {"add.size"});
  ASSERT_TRUE(without_first.ok()) << without_first.error().to_string();
  EXPECT_EQ(to_debug_string(without_first->columns[0]), "null\n{1}\n{2}\n{3}\n");
  auto unknown = (*reader)->read_all({"add.nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().to_string().find("add.nope"), std::string::npos);
  EXPECT_FALSE((*reader)->read_all({"readerFeatures.element"}).ok());  // not a struct
}

// A schema: root + elements, built by hand as other writers lay them out.
SchemaElement group(std::string name, Repetition r, int children,
                    std::optional<ConvertedType> converted = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = r;
  e.num_children = children;
  e.converted_type = converted;
  return e;
}

SchemaElement primitive(std::string name, Repetition r, Type type = Type::int32) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = r;
  e.type = type;
  return e;
}

std::string describe(const Field& f) {
  std::string out = f.name + ":" + std::string(type_name(f.type.id)) + (f.nullable ? "?" : "");
  if (!f.children.empty()) {
    out += "<";
    for (size_t i = 0; i < f.children.size(); ++i) out += (i ? "," : "") + describe(f.children[i]);
    out += ">";
  }
  return out;
}

TEST(NestedReader, MapsLegacyListAndMapLayouts) {
  using R = Repetition;
  struct Case {
    std::string what;
    std::vector<SchemaElement> elements;
    std::string expected;
    int max_def, max_rep;  // of the first leaf
  };
  std::vector<Case> cases = {
      {"3-level list",
       {group("a", R::optional, 1, ConvertedType::list), group("list", R::repeated, 1),
        primitive("element", R::optional)},
       "a:list?<element:int32?>",
       3,
       1},
      {"2-level list (repeated primitive)",
       {group("a", R::optional, 1, ConvertedType::list), primitive("array", R::repeated)},
       "a:list?<element:int32>",
       2,
       1},
      {"2-level list of structs (repeated group of two fields)",
       {group("a", R::required, 1, ConvertedType::list), group("item", R::repeated, 2),
        primitive("x", R::required), primitive("y", R::optional)},
       "a:list<element:struct<x:int32,y:int32?>>",
       1,
       1},
      {"`array` element of one field is the element itself",
       {group("a", R::optional, 1, ConvertedType::list), group("array", R::repeated, 1),
        primitive("x", R::optional)},
       "a:list?<element:struct<x:int32?>>",
       3,
       1},
      {"`<name>_tuple` element",
       {group("a", R::optional, 1, ConvertedType::list), group("a_tuple", R::repeated, 1),
        primitive("x", R::required)},
       "a:list?<element:struct<x:int32>>",
       2,
       1},
      {"repeated primitive without annotation",
       {primitive("a", R::repeated)},
       "a:list<element:int32>",
       1,
       1},
      {"repeated group without annotation",
       {group("a", R::repeated, 1), primitive("x", R::optional)},
       "a:list<element:struct<x:int32?>>",
       2,
       1},
      {"MAP_KEY_VALUE map",
       {group("m", R::optional, 1, ConvertedType::map),
        group("map", R::repeated, 2, ConvertedType::map_key_value),
        primitive("key", R::required, Type::byte_array), primitive("value", R::optional)},
       "m:map?<key:binary,value:int32?>",
       2,
       1},
      {"key-only map reads as a list of keys",
       {group("m", R::required, 1, ConvertedType::map), group("key_value", R::repeated, 1),
        primitive("key", R::required)},
       "m:list<element:int32>",
       1,
       1},
  };
  for (const auto& c : cases) {
    std::vector<SchemaElement> schema = {group("schema", R::required, 1)};
    schema.insert(schema.end(), c.elements.begin(), c.elements.end());
    auto mapped = map_schema(schema);
    ASSERT_TRUE(mapped.ok()) << c.what << ": " << mapped.error().to_string();
    ASSERT_EQ(mapped->fields.size(), 1u) << c.what;
    EXPECT_EQ(describe(mapped->fields[0]), c.expected) << c.what;
    EXPECT_EQ(mapped->leaves[0].max_definition_level, c.max_def) << c.what;
    EXPECT_EQ(mapped->leaves[0].max_repetition_level, c.max_rep) << c.what;
  }
}

TEST(NestedReader, RefusesMalformedNestedSchemas) {
  using R = Repetition;
  std::vector<std::pair<std::vector<SchemaElement>, std::string>> cases = {
      {{group("schema", R::required, 1), group("a", R::optional, 1, ConvertedType::list),
        primitive("element", R::optional)},
       "must be repeated"},
      {{group("schema", R::required, 1), group("m", R::optional, 1, ConvertedType::map),
        group("key_value", R::repeated, 2), primitive("key", R::optional),
        primitive("value", R::optional)},
       "map keys must be required"},
      {{group("schema", R::required, 1), group("s", R::optional, 3), primitive("x", R::optional)},
       "more children"},
      {{group("schema", R::required, 1), group("s", R::optional, 0)}, "without children"},
  };
  for (const auto& [schema, words] : cases) {
    auto mapped = map_schema(schema);
    ASSERT_FALSE(mapped.ok()) << words;
    EXPECT_NE(mapped.error().message.find(words), std::string::npos) << mapped.error().message;
  }
  // A chain of 100 nested groups is refused, not a stack overflow.
  std::vector<SchemaElement> deep = {group("schema", R::required, 1)};
  for (int i = 0; i < 100; ++i) deep.push_back(group("g" + std::to_string(i), R::optional, 1));
  deep.push_back(primitive("x", R::optional));
  auto mapped = map_schema(deep);
  ASSERT_FALSE(mapped.ok());
  EXPECT_NE(mapped.error().message.find("nested deeper"), std::string::npos);
}

TEST(NestedReader, CorruptLevelsFailWithAClearError) {
  Field tags = list_of("tags", field("t", TypeId::int32, false));
  RecordBatch b{{tags}, {Column::for_field(tags)}, 50};
  for (int r = 0; r < 50; ++r) {
    for (int k = 0; k < r % 4; ++k) b.columns[0].children[0].append_i32(r * 10 + k);
    b.columns[0].end_list();
  }
  WriterOptions o;
  o.codec = Codec::uncompressed;
  o.dictionary = false;
  // Without page CRCs (as most writers): the forged levels below must be caught by the level
  // checks themselves, not by a checksum.
  o.page_checksums = false;
  std::string good = write(b, o);
  auto reader = ParquetReader::open_bytes(good, "tags.parquet");
  ASSERT_TRUE(reader.ok());
  const auto& meta = (*reader)->metadata().row_groups[0].columns[0].meta_data;
  // The page body starts after its header; find the rep-level section: [u32 len][runs].
  ByteCursor cursor(std::string_view(good).substr(static_cast<size_t>(meta.data_page_offset)));
  auto header = decode_page_header(cursor);
  ASSERT_TRUE(header.ok());
  const auto entries = static_cast<uint32_t>(header->data_page_header->num_values);
  ASSERT_GE(entries, 64u);
  ASSERT_LT(entries, 8192u);
  const size_t body = static_cast<size_t>(meta.data_page_offset) + cursor.position();
  // Repetition levels replaced by one RLE run of 1s (varint(entries << 1), value): the chunk
  // starts inside a row.
  std::string starts_inside = good;
  starts_inside[body + 4] = static_cast<char>(((entries << 1) & 0x7f) | 0x80);
  starts_inside[body + 5] = static_cast<char>(entries >> 6);
  starts_inside[body + 6] = 1;
  // Repetition level section longer than the page.
  std::string too_long = good;
  too_long[body + 3] = '\x7f';
  for (const auto& [bytes, words] : std::vector<std::pair<std::string, std::string>>{
           {starts_inside, "inside a row"}, {too_long, "longer than the page"}}) {
    auto bad = ParquetReader::open_bytes(bytes, "tags.parquet");
    ASSERT_TRUE(bad.ok());
    auto rows = (*bad)->read_all();
    ASSERT_FALSE(rows.ok()) << words;
    const std::string& message = rows.error().message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_NE(message.find("'tags.parquet' row group 0 column 'tags.list.element': page 0"),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace sl::parquet
