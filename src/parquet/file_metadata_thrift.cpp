// Thrift compact encoding of the metadata model, with parquet.thrift's field ids.
#include "parquet/file_metadata.hpp"
#include "parquet/thrift_compact.hpp"

namespace sl::parquet {

namespace {

using thrift::CompactWriter;
using thrift::CType;

template <class E>
int32_t wire(E e) {
  return static_cast<int32_t>(e);
}

void encode_logical_type(const LogicalType& lt, CompactWriter& w) {
  // LogicalType is a union: one field, itself a struct.
  w.field_struct_begin(10);
  switch (lt.kind) {
    case LogicalType::Kind::string:
      w.field_struct_begin(1);
      break;
    case LogicalType::Kind::map:
      w.field_struct_begin(2);
      break;
    case LogicalType::Kind::list:
      w.field_struct_begin(3);
      break;
    case LogicalType::Kind::decimal:
      w.field_struct_begin(5);
      w.field_i32(1, lt.scale);
      w.field_i32(2, lt.precision);
      break;
    case LogicalType::Kind::date:
      w.field_struct_begin(6);
      break;
    case LogicalType::Kind::time:
    case LogicalType::Kind::timestamp:
      w.field_struct_begin(lt.kind == LogicalType::Kind::time ? 7 : 8);
      w.field_bool(1, lt.utc_adjusted);
      w.field_struct_begin(2);  // TimeUnit union
      w.field_struct_begin(static_cast<int16_t>(lt.unit));
      w.struct_end();
      w.struct_end();
      break;
    case LogicalType::Kind::integer:
      w.field_struct_begin(10);
      w.field_i8(1, lt.bit_width);
      w.field_bool(2, lt.is_signed);
      break;
    case LogicalType::Kind::json:
      w.field_struct_begin(12);
      break;
    case LogicalType::Kind::uuid:
      w.field_struct_begin(14);
      break;
    case LogicalType::Kind::none:
    case LogicalType::Kind::float16:
    case LogicalType::Kind::other:
      break;
  }
  w.struct_end();  // the chosen member
  w.struct_end();  // the union
}

void encode_schema_element(const SchemaElement& e, CompactWriter& w) {
  w.element_struct_begin();
  if (e.type) w.field_i32(1, wire(*e.type));
  if (e.type_length) w.field_i32(2, *e.type_length);
  if (e.repetition) w.field_i32(3, wire(*e.repetition));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, *e.num_children);
  if (e.converted_type) w.field_i32(6, wire(*e.converted_type));
  if (e.scale) w.field_i32(7, *e.scale);
  if (e.precision) w.field_i32(8, *e.precision);
  if (e.logical_type.kind != LogicalType::Kind::none) encode_logical_type(e.logical_type, w);
  w.struct_end();
}

void encode_statistics(int16_t id, const Statistics& s, CompactWriter& w) {
  w.field_struct_begin(id);
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  w.struct_end();
}

void encode_column_meta(const ColumnMetaData& m, CompactWriter& w) {
  w.field_struct_begin(3);
  w.field_i32(1, wire(m.type));
  w.field_list_begin(2, CType::i32, m.encodings.size());
  for (auto e : m.encodings) w.element_i32(wire(e));
  w.field_list_begin(3, CType::binary, m.path_in_schema.size());
  for (const auto& p : m.path_in_schema) w.element_binary(p);
  w.field_i32(4, wire(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  w.field_i64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  encode_statistics(12, m.statistics, w);
  w.struct_end();
}

}  // namespace

void encode(const FileMetaData& md, std::string& out) {
  CompactWriter w(out);
  w.struct_begin();
  w.field_i32(1, md.version);
  w.field_list_begin(2, CType::struct_, md.schema.size());
  for (const auto& e : md.schema) encode_schema_element(e, w);
  w.field_i64(3, md.num_rows);
  w.field_list_begin(4, CType::struct_, md.row_groups.size());
  for (const auto& rg : md.row_groups) {
    w.element_struct_begin();
    w.field_list_begin(1, CType::struct_, rg.columns.size());
    for (const auto& cc : rg.columns) {
      w.element_struct_begin();
      w.field_i64(2, cc.file_offset);
      encode_column_meta(cc.meta_data, w);
      w.struct_end();
    }
    w.field_i64(2, rg.total_byte_size);
    w.field_i64(3, rg.num_rows);
    w.field_i64(5, rg.file_offset);
    w.field_i64(6, rg.total_compressed_size);
    w.field_i32(7, rg.ordinal);  // i16 on the wire: same zigzag varint as i32
    w.struct_end();
  }
  if (!md.key_value_metadata.empty()) {
    w.field_list_begin(5, CType::struct_, md.key_value_metadata.size());
    for (const auto& kv : md.key_value_metadata) {
      w.element_struct_begin();
      w.field_binary(1, kv.key);
      if (kv.value) w.field_binary(2, *kv.value);
      w.struct_end();
    }
  }
  w.field_binary(6, md.created_by);
  w.field_list_begin(7, CType::struct_, md.leaf_count);
  for (size_t i = 0; i < md.leaf_count; ++i) {
    w.element_struct_begin();
    w.field_struct_begin(1);  // TYPE_ORDER
    w.struct_end();
    w.struct_end();
  }
  w.struct_end();
}

void encode(const PageHeader& h, std::string& out) {
  CompactWriter w(out);
  w.struct_begin();
  w.field_i32(1, wire(h.type));
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.crc) w.field_i32(4, *h.crc);
  if (h.data_page_header) {
    const auto& d = *h.data_page_header;
    w.field_struct_begin(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, wire(d.encoding));
    w.field_i32(3, wire(d.definition_level_encoding));
    w.field_i32(4, wire(d.repetition_level_encoding));
    w.struct_end();
  }
  if (h.dictionary_page_header) {
    const auto& d = *h.dictionary_page_header;
    w.field_struct_begin(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, wire(d.encoding));
    w.struct_end();
  }
  w.struct_end();
}

}  // namespace sl::parquet
