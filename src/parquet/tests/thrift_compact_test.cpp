// The compact encoder against byte sequences verified with the reference Thrift implementation
// (../shared/reference/parquet.md §1.2).
#include <gtest/gtest.h>

#include "parquet/file_metadata.hpp"
#include "parquet/thrift_compact.hpp"

namespace sl::parquet {
namespace {

std::string hex(const std::string& bytes) {
  std::string out;
  char buffer[4];
  for (unsigned char c : bytes) {
    std::snprintf(buffer, sizeof buffer, "%02x ", c);
    out += buffer;
  }
  if (!out.empty()) out.pop_back();
  return out;
}

TEST(ThriftCompact, PageHeaderMatchesReferenceBytes) {
  PageHeader h;
  h.type = PageType::data_page;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 100;
  h.data_page_header = DataPageHeader{10, Encoding::plain, Encoding::rle, Encoding::rle};
  std::string out;
  encode(h, out);
  EXPECT_EQ(hex(out), "15 00 15 c8 01 15 c8 01 2c 15 14 15 00 15 06 15 06 00 00");
}

TEST(ThriftCompact, TimestampSchemaElementMatchesReferenceBytes) {
  // SchemaElement{type=INT64, repetition=OPTIONAL, name="ts", converted_type=TIMESTAMP_MICROS,
  // logicalType=TIMESTAMP(isAdjustedToUTC=true, MICROS)}, as an element of a list.
  FileMetaData md;
  SchemaElement e;
  e.type = Type::int64;
  e.repetition = Repetition::optional;
  e.name = "ts";
  e.converted_type = ConvertedType::timestamp_micros;
  e.logical_type.kind = LogicalType::Kind::timestamp;
  e.logical_type.utc_adjusted = true;
  e.logical_type.unit = LogicalType::Unit::micros;
  md.schema = {e};
  std::string out;
  encode(md, out);
  // FileMetaData: field 1 version (15 02), field 2 list header (19 1c), then the element.
  ASSERT_GT(out.size(), 4u);
  EXPECT_EQ(hex(out.substr(0, 4)), "15 02 19 1c");
  EXPECT_EQ(hex(out.substr(4, 22)),
            "15 04 25 02 18 02 74 73 25 14 4c 8c 11 1c 2c 00 00 00 00 00 16 00");
}

TEST(ThriftCompact, LongFieldDeltaAndLongList) {
  std::string out;
  thrift::CompactWriter w(out);
  w.struct_begin();
  w.field_i32(20, -1);  // delta 20 > 15: long form, type byte then zigzag id
  w.field_list_begin(21, thrift::CType::i32, 15);  // 15 elements: long list header
  for (int i = 0; i < 15; ++i) w.element_i32(i);
  w.struct_end();
  EXPECT_EQ(hex(out.substr(0, 6)), "05 28 01 19 f5 0f");
  EXPECT_EQ(static_cast<unsigned char>(out.back()), 0);
}

}  // namespace
}  // namespace sl::parquet
