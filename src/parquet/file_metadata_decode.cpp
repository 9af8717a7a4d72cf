// Decoding of FileMetaData and PageHeader from the Thrift compact protocol (parquet.thrift ids).
// Unknown fields are skipped (the format keeps adding optional ones); required fields missing
// or values of the wrong type are errors.
#include "parquet/file_metadata.hpp"
#include "parquet/thrift_compact_reader.hpp"

namespace sl::parquet {

namespace {

using thrift::CompactReader;
using thrift::CType;
using thrift::FieldHeader;

// Calls `on_field(header)` for each field of a struct; `on_field` returns false for fields it
// does not know, which are then skipped.
template <class OnField>
void read_struct(CompactReader& r, OnField on_field) {
  r.struct_begin();
  for (;;) {
    FieldHeader f = r.field();
    if (!r.ok() || f.type == CType::stop) break;
    if (!on_field(f)) r.skip(f.type);
  }
  if (r.ok()) r.struct_end();
}

template <class OnElement>
void read_list(CompactReader& r, OnElement on_element) {
  auto h = r.list();
  for (size_t i = 0; i < h.size && r.ok(); ++i) on_element(h.element);
}

bool expect(CompactReader& r, const FieldHeader& f, CType type, const char* name) {
  if (f.type != type) {
    r.fail(std::string("field ") + name + " has thrift type " +
           std::to_string(static_cast<int>(f.type)));
    return false;
  }
  return true;
}

void read_logical_type(CompactReader& r, LogicalType& lt) {
  read_struct(r, [&](const FieldHeader& f) {
    if (f.type != CType::struct_) return false;
    switch (f.id) {
      case 1:
        lt.kind = LogicalType::Kind::string;
        break;
      case 2:
        lt.kind = LogicalType::Kind::map;
        break;
      case 3:
        lt.kind = LogicalType::Kind::list;
        break;
      case 5:
        lt.kind = LogicalType::Kind::decimal;
        read_struct(r, [&](const FieldHeader& g) {
          if (g.id == 1 && g.type == CType::i32)
            lt.scale = r.i32();
          else if (g.id == 2 && g.type == CType::i32)
            lt.precision = r.i32();
          else
            return false;
          return true;
        });
        return true;
      case 6:
        lt.kind = LogicalType::Kind::date;
        break;
      case 7:
      case 8:
        lt.kind = f.id == 7 ? LogicalType::Kind::time : LogicalType::Kind::timestamp;
        read_struct(r, [&](const FieldHeader& g) {
          if (g.id == 1 && g.type == CType::bool_true) {
            lt.utc_adjusted = g.bool_value;
            return true;
          }
          if (g.id == 2 && g.type == CType::struct_) {
            read_struct(r, [&](const FieldHeader& u) {
              if (u.id >= 1 && u.id <= 3) lt.unit = static_cast<LogicalType::Unit>(u.id);
              return false;  // skip the empty unit struct
            });
            return true;
          }
          return false;
        });
        return true;
      case 10:
        lt.kind = LogicalType::Kind::integer;
        read_struct(r, [&](const FieldHeader& g) {
          if (g.id == 1 && g.type == CType::i8)
            lt.bit_width = r.i8();
          else if (g.id == 2 && g.type == CType::bool_true)
            lt.is_signed = g.bool_value;
          else
            return false;
          return true;
        });
        return true;
      case 12:
        lt.kind = LogicalType::Kind::json;
        break;
      case 14:
        lt.kind = LogicalType::Kind::uuid;
        break;
      case 15:
        lt.kind = LogicalType::Kind::float16;
        break;
      default:
        return false;  // other annotations are kept as none
    }
    r.skip(CType::struct_);  // the member's (empty) struct
    return true;
  });
}

void read_schema_element(CompactReader& r, SchemaElement& e) {
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::i32, "SchemaElement.type")) e.type = static_cast<Type>(r.i32());
        return true;
      case 2:
        if (expect(r, f, CType::i32, "SchemaElement.type_length")) e.type_length = r.i32();
        return true;
      case 3:
        if (expect(r, f, CType::i32, "SchemaElement.repetition_type"))
          e.repetition = static_cast<Repetition>(r.i32());
        return true;
      case 4:
        if (expect(r, f, CType::binary, "SchemaElement.name")) e.name = std::string(r.binary());
        return true;
      case 5:
        if (expect(r, f, CType::i32, "SchemaElement.num_children")) e.num_children = r.i32();
        return true;
      case 6:
        if (expect(r, f, CType::i32, "SchemaElement.converted_type"))
          e.converted_type = static_cast<ConvertedType>(r.i32());
        return true;
      case 7:
        if (expect(r, f, CType::i32, "SchemaElement.scale")) e.scale = r.i32();
        return true;
      case 8:
        if (expect(r, f, CType::i32, "SchemaElement.precision")) e.precision = r.i32();
        return true;
      case 10:
        if (expect(r, f, CType::struct_, "SchemaElement.logicalType"))
          read_logical_type(r, e.logical_type);
        return true;
      default:
        return false;
    }
  });
}

void read_statistics(CompactReader& r, Statistics& s) {
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::binary, "Statistics.max")) s.max = std::string(r.binary());
        return true;
      case 2:
        if (expect(r, f, CType::binary, "Statistics.min")) s.min = std::string(r.binary());
        return true;
      case 3:
        if (expect(r, f, CType::i64, "Statistics.null_count")) s.null_count = r.i64();
        return true;
      case 4:
        if (expect(r, f, CType::i64, "Statistics.distinct_count")) s.distinct_count = r.i64();
        return true;
      case 5:
        if (expect(r, f, CType::binary, "Statistics.max_value"))
          s.max_value = std::string(r.binary());
        return true;
      case 6:
        if (expect(r, f, CType::binary, "Statistics.min_value"))
          s.min_value = std::string(r.binary());
        return true;
      default:
        return false;
    }
  });
}

void read_column_meta(CompactReader& r, ColumnMetaData& m) {
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::i32, "ColumnMetaData.type")) m.type = static_cast<Type>(r.i32());
        return true;
      case 2:
        if (expect(r, f, CType::list, "ColumnMetaData.encodings")) {
          read_list(r, [&](CType) { m.encodings.push_back(static_cast<Encoding>(r.i32())); });
        }
        return true;
      case 3:
        if (expect(r, f, CType::list, "ColumnMetaData.path_in_schema")) {
          read_list(r, [&](CType) { m.path_in_schema.emplace_back(r.binary()); });
        }
        return true;
      case 4:
        if (expect(r, f, CType::i32, "ColumnMetaData.codec")) m.codec = static_cast<Codec>(r.i32());
        return true;
      case 5:
        if (expect(r, f, CType::i64, "ColumnMetaData.num_values")) m.num_values = r.i64();
        return true;
      case 6:
        if (expect(r, f, CType::i64, "ColumnMetaData.total_uncompressed_size"))
          m.total_uncompressed_size = r.i64();
        return true;
      case 7:
        if (expect(r, f, CType::i64, "ColumnMetaData.total_compressed_size"))
          m.total_compressed_size = r.i64();
        return true;
      case 9:
        if (expect(r, f, CType::i64, "ColumnMetaData.data_page_offset"))
          m.data_page_offset = r.i64();
        return true;
      case 11:
        if (expect(r, f, CType::i64, "ColumnMetaData.dictionary_page_offset"))
          m.dictionary_page_offset = r.i64();
        return true;
      case 12:
        if (expect(r, f, CType::struct_, "ColumnMetaData.statistics"))
          read_statistics(r, m.statistics);
        return true;
      default:
        return false;
    }
  });
}

void read_row_group(CompactReader& r, RowGroup& g) {
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::list, "RowGroup.columns")) {
          read_list(r, [&](CType) {
            ColumnChunk& c = g.columns.emplace_back();
            read_struct(r, [&](const FieldHeader& cf) {
              if (cf.id == 2 && cf.type == CType::i64) {
                c.file_offset = r.i64();
                return true;
              }
              if (cf.id == 3 && cf.type == CType::struct_) {
                read_column_meta(r, c.meta_data);
                return true;
              }
              if (cf.id == 8 || cf.id == 9) r.fail("encrypted column chunks are not supported");
              return false;
            });
          });
        }
        return true;
      case 2:
        if (expect(r, f, CType::i64, "RowGroup.total_byte_size")) g.total_byte_size = r.i64();
        return true;
      case 3:
        if (expect(r, f, CType::i64, "RowGroup.num_rows")) g.num_rows = r.i64();
        return true;
      case 5:
        if (expect(r, f, CType::i64, "RowGroup.file_offset")) g.file_offset = r.i64();
        return true;
      case 6:
        if (expect(r, f, CType::i64, "RowGroup.total_compressed_size"))
          g.total_compressed_size = r.i64();
        return true;
      default:
        return false;
    }
  });
}

}  // namespace

Result<FileMetaData> decode_file_metadata(std::string_view bytes) {
  ByteCursor cursor(bytes);
  CompactReader r(cursor);
  FileMetaData md;
  bool has_schema = false;
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::i32, "FileMetaData.version")) md.version = r.i32();
        return true;
      case 2:
        if (expect(r, f, CType::list, "FileMetaData.schema")) {
          has_schema = true;
          read_list(r, [&](CType) { read_schema_element(r, md.schema.emplace_back()); });
        }
        return true;
      case 3:
        if (expect(r, f, CType::i64, "FileMetaData.num_rows")) md.num_rows = r.i64();
        return true;
      case 4:
        if (expect(r, f, CType::list, "FileMetaData.row_groups")) {
          read_list(r, [&](CType) { read_row_group(r, md.row_groups.emplace_back()); });
        }
        return true;
      case 5:
        if (expect(r, f, CType::list, "FileMetaData.key_value_metadata")) {
          read_list(r, [&](CType) {
            KeyValue& kv = md.key_value_metadata.emplace_back();
            read_struct(r, [&](const FieldHeader& g) {
              if (g.id == 1 && g.type == CType::binary)
                kv.key = std::string(r.binary());
              else if (g.id == 2 && g.type == CType::binary)
                kv.value = std::string(r.binary());
              else
                return false;
              return true;
            });
          });
        }
        return true;
      case 6:
        if (expect(r, f, CType::binary, "FileMetaData.created_by"))
          md.created_by = std::string(r.binary());
        return true;
      case 8:
        r.fail("encrypted Parquet files are not supported");
        return true;
      default:
        return false;
    }
  });
  if (!cursor.ok()) return make_error(Errc::corrupt, "footer metadata: " + cursor.error());
  if (!has_schema || md.schema.empty())
    return make_error(Errc::corrupt, "footer metadata has no schema");
  return md;
}

Result<PageHeader> decode_page_header(ByteCursor& cursor) {
  CompactReader r(cursor);
  PageHeader h;
  read_struct(r, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        if (expect(r, f, CType::i32, "PageHeader.type")) h.type = static_cast<PageType>(r.i32());
        return true;
      case 2:
        if (expect(r, f, CType::i32, "PageHeader.uncompressed_page_size"))
          h.uncompressed_page_size = r.i32();
        return true;
      case 3:
        if (expect(r, f, CType::i32, "PageHeader.compressed_page_size"))
          h.compressed_page_size = r.i32();
        return true;
      case 4:
        if (expect(r, f, CType::i32, "PageHeader.crc")) h.crc = r.i32();
        return true;
      case 5:
        if (expect(r, f, CType::struct_, "PageHeader.data_page_header")) {
          DataPageHeader& d = h.data_page_header.emplace();
          read_struct(r, [&](const FieldHeader& g) {
            if (g.type != CType::i32) return false;
            switch (g.id) {
              case 1:
                d.num_values = r.i32();
                return true;
              case 2:
                d.encoding = static_cast<Encoding>(r.i32());
                return true;
              case 3:
                d.definition_level_encoding = static_cast<Encoding>(r.i32());
                return true;
              case 4:
                d.repetition_level_encoding = static_cast<Encoding>(r.i32());
                return true;
              default:
                return false;
            }
          });
        }
        return true;
      case 7:
        if (expect(r, f, CType::struct_, "PageHeader.dictionary_page_header")) {
          DictionaryPageHeader& d = h.dictionary_page_header.emplace();
          read_struct(r, [&](const FieldHeader& g) {
            if (g.id == 1 && g.type == CType::i32)
              d.num_values = r.i32();
            else if (g.id == 2 && g.type == CType::i32)
              d.encoding = static_cast<Encoding>(r.i32());
            else
              return false;
            return true;
          });
        }
        return true;
      case 8:
        if (expect(r, f, CType::struct_, "PageHeader.data_page_header_v2")) {
          DataPageHeaderV2& d = h.data_page_header_v2.emplace();
          read_struct(r, [&](const FieldHeader& g) {
            if (g.id == 7 && g.type == CType::bool_true) {
              d.is_compressed = g.bool_value;
              return true;
            }
            if (g.type != CType::i32) return false;
            switch (g.id) {
              case 1:
                d.num_values = r.i32();
                return true;
              case 2:
                d.num_nulls = r.i32();
                return true;
              case 3:
                d.num_rows = r.i32();
                return true;
              case 4:
                d.encoding = static_cast<Encoding>(r.i32());
                return true;
              case 5:
                d.definition_levels_byte_length = r.i32();
                return true;
              case 6:
                d.repetition_levels_byte_length = r.i32();
                return true;
              default:
                return false;
            }
          });
        }
        return true;
      default:
        return false;
    }
  });
  if (!cursor.ok()) return make_error(Errc::corrupt, "page header: " + cursor.error());
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return make_error(Errc::corrupt, "page header: negative page size");
  }
  return h;
}

}  // namespace sl::parquet
