// Schema JSON codec and type names.
#include <gtest/gtest.h>

#include "delta/schema.hpp"

namespace sl::delta {
namespace {

constexpr std::string_view k_schema =
    R"json({"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"price","type":"decimal(10,2)","nullable":true,"metadata":{}},{"name":"tags","type":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"nullable":true,"metadata":{}},{"name":"xs","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{"comment":"c"}},{"name":"s","type":{"type":"struct","fields":[{"name":"a","type":"timestamp","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})json";

TEST(Schema, RoundTripsSparkJsonByteForByte) {
  auto schema = parse_schema_json(k_schema);
  ASSERT_TRUE(schema.ok()) << schema.error().to_string();
  ASSERT_EQ(schema->fields.size(), 5u);
  EXPECT_FALSE(schema->fields[0].nullable);
  EXPECT_EQ(type_to_string(schema->fields[1].type), "decimal(10,2)");
  EXPECT_EQ(type_to_string(schema->fields[2].type), "map<string,string>");
  EXPECT_EQ(type_to_string(schema->fields[3].type), "array<integer>");
  EXPECT_FALSE(schema->fields[3].type.contains_null);
  EXPECT_EQ(schema->fields[3].metadata_json, R"json({"comment":"c"})json");
  EXPECT_EQ(type_to_string(schema->fields[4].type), "struct<a:timestamp>");
  EXPECT_EQ(schema_to_json(*schema), k_schema);
}

TEST(Schema, RejectsUnknownTypesByName) {
  auto bad = parse_schema_json(
      R"json({"type":"struct","fields":[{"name":"v","type":"variant","nullable":true,"metadata":{}}]})json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::unsupported);
  EXPECT_NE(bad.error().message.find("variant"), std::string::npos);
  EXPECT_FALSE(parse_schema_json("{").ok());
  EXPECT_FALSE(parse_primitive_type("decimal(40,2)").ok());
  EXPECT_EQ(type_to_string(*parse_primitive_type("decimal(5, 1)")), "decimal(5,1)");
}

TEST(Schema, MapsToParquetFieldsAndBack) {
  StructField f{"amount", DataType::decimal(12, 2), true, "{}"};
  auto p = to_parquet_field(f);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->type.id, columnar::TypeId::decimal);
  EXPECT_EQ(from_parquet_field(*p), f);
  auto ntz = to_parquet_field(StructField{"t", DataType::of(PrimitiveType::timestamp_ntz)});
  ASSERT_FALSE(ntz.ok());
  EXPECT_EQ(ntz.error().code, Errc::unsupported);
}

}  // namespace
}  // namespace sl::delta
