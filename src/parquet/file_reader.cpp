// ParquetReader: footer, schema mapping, page walking, level and value decoding.
#include "parquet/file_reader.hpp"

#include <cmath>
#include <cstring>

#include "common/byte_cursor.hpp"
#include "common/fs.hpp"
#include "parquet/compression.hpp"
#include "parquet/rle_bit_packed.hpp"

namespace sl::parquet {

namespace {

constexpr std::string_view k_magic = "PAR1";
constexpr std::string_view k_encrypted_magic = "PARE";

// How stored values become the logical type.
struct Conversion {
  Type physical = Type::int32;
  int32_t type_length = 0;
  int64_t timestamp_factor = 1;   // micros per stored unit (1000 for millis)
  int64_t timestamp_divisor = 1;  // stored units per micro (1000 for nanos)
};

Result<Field> logical_field(const SchemaElement& e, Conversion& conv) {
  Field f;
  f.name = e.name;
  f.nullable = e.repetition.value_or(Repetition::optional) != Repetition::required;
  conv.physical = *e.type;
  conv.type_length = e.type_length.value_or(0);
  const auto& lt = e.logical_type;
  bool is_decimal =
      lt.kind == LogicalType::Kind::decimal || e.converted_type == ConvertedType::decimal;
  int precision = lt.kind == LogicalType::Kind::decimal ? lt.precision : e.precision.value_or(0);
  int scale = lt.kind == LogicalType::Kind::decimal ? lt.scale : e.scale.value_or(0);
  if (lt.kind == LogicalType::Kind::float16) {
    return make_error(Errc::unsupported,
                      "column '" + e.name + "': FLOAT16 values are not supported yet");
  }
  auto decimal = [&]() -> Result<Field> {
    if (precision < 1 || precision > 18) {
      return make_error(Errc::unsupported, "column '" + e.name + "': decimal precision " +
                                               std::to_string(precision) +
                                               " (only up to 18 digits is supported)");
    }
    f.type = {TypeId::decimal, precision, scale};
    return f;
  };
  switch (*e.type) {
    case Type::boolean:
      f.type = {TypeId::boolean};
      return f;
    case Type::int32:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::date || e.converted_type == ConvertedType::date) {
        f.type = {TypeId::date32};
      } else if ((lt.kind == LogicalType::Kind::integer && !lt.is_signed && lt.bit_width == 32)) {
        f.type = {TypeId::int64};  // UINT32 does not fit int32
      } else {
        f.type = {TypeId::int32};
      }
      return f;
    case Type::int64:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::timestamp ||
          e.converted_type == ConvertedType::timestamp_micros ||
          e.converted_type == ConvertedType::timestamp_millis) {
        f.type = {TypeId::timestamp_us};
        auto unit =
            lt.kind == LogicalType::Kind::timestamp
                ? lt.unit
                : (e.converted_type == ConvertedType::timestamp_millis ? LogicalType::Unit::millis
                                                                       : LogicalType::Unit::micros);
        if (unit == LogicalType::Unit::millis) conv.timestamp_factor = 1000;
        if (unit == LogicalType::Unit::nanos) conv.timestamp_divisor = 1000;
      } else {
        f.type = {TypeId::int64};
      }
      return f;
    case Type::int96:
      f.type = {TypeId::timestamp_us};
      return f;
    case Type::float_:
      f.type = {TypeId::float32};
      return f;
    case Type::double_:
      f.type = {TypeId::float64};
      return f;
    case Type::byte_array:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::string || lt.kind == LogicalType::Kind::json ||
          e.converted_type == ConvertedType::utf8 || e.converted_type == ConvertedType::json) {
        f.type = {TypeId::string};
      } else {
        f.type = {TypeId::binary};
      }
      return f;
    case Type::fixed_len_byte_array:
      if (conv.type_length <= 0)
        return make_error(Errc::corrupt,
                          "column '" + e.name + "': FIXED_LEN_BYTE_ARRAY without a length");
      if (is_decimal) return decimal();
      f.type = {TypeId::binary};
      return f;
  }
  return make_error(Errc::corrupt, "column '" + e.name + "': unknown physical type " +
                                       std::to_string(static_cast<int>(*e.type)));
}

// Big-endian two's complement (decimals in FLBA/BYTE_ARRAY) → int64.
int64_t big_endian_signed(std::string_view bytes) {
  int64_t v = (!bytes.empty() && (static_cast<uint8_t>(bytes[0]) & 0x80)) ? -1 : 0;
  for (char c : bytes)
    v = static_cast<int64_t>((static_cast<uint64_t>(v) << 8) | static_cast<uint8_t>(c));
  return v;
}

// Decodes `count` PLAIN values of the physical type into `out` (logical type).
Status decode_plain(ByteCursor& in, size_t count, const Conversion& conv, Column& out) {
  switch (conv.physical) {
    case Type::boolean: {
      auto bytes = in.bytes((count + 7) / 8, "PLAIN booleans");
      if (!in.ok()) break;
      for (size_t i = 0; i < count; ++i)
        out.append_bool((static_cast<uint8_t>(bytes[i / 8]) >> (i % 8)) & 1);
      break;
    }
    case Type::int32:
      if (!in.has(count * 4, "PLAIN INT32 values")) break;
      for (size_t i = 0; i < count; ++i) {
        int32_t v = in.fixed_le<int32_t>("INT32");
        if (out.type.id == TypeId::decimal || out.type.id == TypeId::int64)
          out.append_i64(v);
        else
          out.append_i32(v);
      }
      break;
    case Type::int64:
      if (!in.has(count * 8, "PLAIN INT64 values")) break;
      for (size_t i = 0; i < count; ++i) {
        int64_t v = in.fixed_le<int64_t>("INT64");
        if (out.type.id == TypeId::timestamp_us) {
          if (__builtin_mul_overflow(v, conv.timestamp_factor, &v)) {
            return make_error(Errc::corrupt, "timestamp out of the representable range");
          }
          v /= conv.timestamp_divisor;
        }
        out.append_i64(v);
      }
      break;
    case Type::int96:
      if (!in.has(count * 12, "PLAIN INT96 values")) break;
      for (size_t i = 0; i < count; ++i) {
        // 8 bytes nanoseconds of the day, then 4 bytes Julian day (epoch = JD 2440588).
        int64_t nanos = in.fixed_le<int64_t>("INT96 nanos");
        int64_t julian = in.fixed_le<int32_t>("INT96 day");
        int64_t day_us = 0, us = 0;
        if (__builtin_mul_overflow(julian - 2440588, 86400000000LL, &day_us) ||
            __builtin_add_overflow(day_us, nanos / 1000, &us)) {
          return make_error(Errc::corrupt, "INT96 timestamp out of the representable range");
        }
        out.append_i64(us);
      }
      break;
    case Type::float_:
      if (!in.has(count * 4, "PLAIN FLOAT values")) break;
      for (size_t i = 0; i < count; ++i) out.append_f32(in.fixed_le<float>("FLOAT"));
      break;
    case Type::double_:
      if (!in.has(count * 8, "PLAIN DOUBLE values")) break;
      for (size_t i = 0; i < count; ++i) out.append_f64(in.fixed_le<double>("DOUBLE"));
      break;
    case Type::byte_array:
      for (size_t i = 0; i < count && in.ok(); ++i) {
        uint32_t n = in.fixed_le<uint32_t>("BYTE_ARRAY length");
        auto v = in.string_view(n, "BYTE_ARRAY value");
        if (!in.ok()) break;
        if (out.type.id == TypeId::decimal)
          out.append_i64(big_endian_signed(v));
        else
          out.append_string(v);
      }
      break;
    case Type::fixed_len_byte_array: {
      size_t width = static_cast<size_t>(conv.type_length);
      if (!in.has(count * width, "PLAIN FIXED_LEN_BYTE_ARRAY values")) break;
      for (size_t i = 0; i < count; ++i) {
        auto v = in.string_view(width, "FIXED_LEN_BYTE_ARRAY");
        if (out.type.id == TypeId::decimal)
          out.append_i64(big_endian_signed(v));
        else
          out.append_string(v);
      }
      break;
    }
  }
  if (!in.ok()) return make_error(Errc::corrupt, in.error());
  return {};
}

void append_from(Column& dst, const Column& src, size_t i) {
  switch (dst.type.id) {
    case TypeId::boolean:
      dst.append_bool(src.bools[i] != 0);
      break;
    case TypeId::int32:
    case TypeId::date32:
      dst.append_i32(src.i32[i]);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
    case TypeId::decimal:
      dst.append_i64(src.i64[i]);
      break;
    case TypeId::float32:
      dst.append_f32(src.f32[i]);
      break;
    case TypeId::float64:
      dst.append_f64(src.f64[i]);
      break;
    case TypeId::string:
    case TypeId::binary:
      dst.append_string(src.string_at(i));
      break;
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // leaves are never nested
  }
}

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::plain:
      return "PLAIN";
    case Encoding::plain_dictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::rle:
      return "RLE";
    case Encoding::bit_packed:
      return "BIT_PACKED";
    case Encoding::delta_binary_packed:
      return "DELTA_BINARY_PACKED";
    case Encoding::delta_length_byte_array:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::delta_byte_array:
      return "DELTA_BYTE_ARRAY";
    case Encoding::rle_dictionary:
      return "RLE_DICTIONARY";
    case Encoding::byte_stream_split:
      return "BYTE_STREAM_SPLIT";
  }
  return "unknown encoding";
}

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::open(const std::filesystem::path& path) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(path));
  return open_bytes(std::move(bytes), path.string());
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::open_bytes(std::string bytes,
                                                                 std::string name) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(bytes), std::move(name)));
  if (auto loaded = reader->load(); !loaded)
    return loaded.error().with_context("parquet: '" + reader->name_ + "'");
  return reader;
}

Status ParquetReader::load() {
  const std::string& b = bytes_;
  if (b.size() < 12)
    return make_error(Errc::corrupt,
                      "file of " + std::to_string(b.size()) + " bytes is too small for Parquet");
  std::string_view tail = std::string_view(b).substr(b.size() - 4);
  if (tail == k_encrypted_magic)
    return make_error(Errc::unsupported, "encrypted Parquet files (PARE footer) are not supported");
  if (std::string_view(b).substr(0, 4) != k_magic || tail != k_magic) {
    return make_error(Errc::corrupt, "missing PAR1 magic bytes at the start or end");
  }
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, b.data() + b.size() - 8, 4);
  if (footer_length == 0 || footer_length > b.size() - 12) {
    return make_error(Errc::corrupt, "footer length " + std::to_string(footer_length) +
                                         " does not fit a file of " + std::to_string(b.size()) +
                                         " bytes");
  }
  SL_ASSIGN_OR_RETURN(metadata_, decode_file_metadata(std::string_view(b).substr(
                                     b.size() - 8 - footer_length, footer_length)));
  const auto& schema = metadata_.schema;
  size_t children = static_cast<size_t>(schema[0].num_children.value_or(0));
  if (children != schema.size() - 1) {
    // Some group in the tree: find its name for the message.
    for (size_t i = 1; i < schema.size(); ++i) {
      if (schema[i].num_children || schema[i].repetition == Repetition::repeated) {
        return make_error(Errc::unsupported, "nested column '" + schema[i].name +
                                                 "' (struct/list/map) is not supported yet");
      }
    }
    return make_error(Errc::corrupt, "schema root declares " + std::to_string(children) +
                                         " children but " + std::to_string(schema.size() - 1) +
                                         " elements follow");
  }
  for (size_t i = 1; i < schema.size(); ++i) {
    const auto& e = schema[i];
    if (e.num_children || e.repetition == Repetition::repeated || !e.type) {
      return make_error(Errc::unsupported,
                        "nested column '" + e.name + "' (struct/list/map) is not supported yet");
    }
    Conversion conv;
    SL_ASSIGN_OR_RETURN(Field field, logical_field(e, conv));
    leaves_.push_back({i, field, field.nullable ? 1 : 0});
    schema_.push_back(field);
  }
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const auto& rg = metadata_.row_groups[g];
    if (rg.columns.size() != leaves_.size()) {
      return make_error(Errc::corrupt, "row group " + std::to_string(g) + " has " +
                                           std::to_string(rg.columns.size()) +
                                           " column chunks, the schema " +
                                           std::to_string(leaves_.size()) + " columns");
    }
    if (rg.num_rows < 0)
      return make_error(Errc::corrupt,
                        "row group " + std::to_string(g) + " has a negative row count");
  }
  return {};
}

Result<std::vector<size_t>> ParquetReader::projection(
    const std::vector<std::string>& columns) const {
  std::vector<size_t> out;
  if (columns.empty()) {
    for (size_t i = 0; i < leaves_.size(); ++i) out.push_back(i);
    return out;
  }
  for (const auto& name : columns) {
    size_t i = 0;
    while (i < leaves_.size() && leaves_[i].field.name != name) ++i;
    if (i == leaves_.size())
      return make_error(Errc::not_found, "parquet: '" + name_ + "' has no column '" + name + "'");
    out.push_back(i);
  }
  return out;
}

Result<Column> ParquetReader::read_chunk(size_t row_group, size_t leaf) const {
  const LeafInfo& info = leaves_[leaf];
  const ColumnMetaData& meta = metadata_.row_groups[row_group].columns[leaf].meta_data;
  const int64_t rows = metadata_.row_groups[row_group].num_rows;
  Conversion conv;
  SL_ASSIGN_OR_RETURN(Field field, logical_field(metadata_.schema[info.schema_index], conv));
  if (meta.type != conv.physical)
    return make_error(Errc::corrupt, "chunk type differs from the schema's");
  if (rows == 0) return Column(field.type);  // nothing to read; some writers leave offsets at 0
  if (meta.num_values != rows) {
    return make_error(Errc::corrupt, "chunk declares " + std::to_string(meta.num_values) +
                                         " values for " + std::to_string(rows) +
                                         " rows of a flat column");
  }

  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 4 || meta.total_compressed_size < 0 ||
      static_cast<uint64_t>(start) + static_cast<uint64_t>(meta.total_compressed_size) >
          bytes_.size() - 8) {
    return make_error(Errc::corrupt, "column chunk at offset " + std::to_string(start) + " with " +
                                         std::to_string(meta.total_compressed_size) +
                                         " bytes lies outside the file");
  }
  ByteCursor chunk(std::string_view(bytes_).substr(
      static_cast<size_t>(start), static_cast<size_t>(meta.total_compressed_size)));

  Column out(field.type);
  Column dictionary(field.type);
  bool has_dictionary = false;
  Column page_values(field.type);
  std::string decompressed;
  std::vector<uint32_t> levels, indices;
  int64_t values_read = 0;
  size_t page_index = 0;
  while (values_read < meta.num_values && !chunk.at_end()) {
    auto where = [&](const std::string& what) {
      return "page " + std::to_string(page_index) + ": " + what;
    };
    SL_ASSIGN_OR_RETURN(PageHeader header, decode_page_header(chunk));
    auto body = chunk.string_view(static_cast<size_t>(header.compressed_page_size), "page body");
    if (!chunk.ok()) return make_error(Errc::corrupt, where(chunk.error()));

    if (header.type == PageType::dictionary_page) {
      if (!header.dictionary_page_header)
        return make_error(Errc::corrupt, where("dictionary page without its header"));
      SL_TRY(decompress(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size),
                        decompressed));
      int32_t n = header.dictionary_page_header->num_values;
      if (n < 0) return make_error(Errc::corrupt, where("negative dictionary size"));
      dictionary = Column(field.type);
      ByteCursor in(decompressed);
      if (auto st = decode_plain(in, static_cast<size_t>(n), conv, dictionary); !st) {
        return make_error(Errc::corrupt, where("dictionary: " + st.error().message));
      }
      has_dictionary = true;
      ++page_index;
      continue;
    }
    if (header.type != PageType::data_page && header.type != PageType::data_page_v2) {
      ++page_index;  // index pages and unknown pages carry no values
      continue;
    }

    // Split the page into definition levels and the value section.
    size_t num_values = 0;
    Encoding encoding;
    std::string_view value_bytes;
    std::string_view level_bytes;
    bool levels_prefixed = true;
    if (header.type == PageType::data_page) {
      if (!header.data_page_header)
        return make_error(Errc::corrupt, where("data page without its header"));
      const auto& d = *header.data_page_header;
      if (d.num_values < 0) return make_error(Errc::corrupt, where("negative value count"));
      num_values = static_cast<size_t>(d.num_values);
      encoding = d.encoding;
      SL_TRY(decompress(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size),
                        decompressed));
      std::string_view rest = decompressed;
      if (info.max_definition_level > 0) {
        if (d.definition_level_encoding != Encoding::rle) {
          return make_error(Errc::unsupported,
                            where("definition levels in " +
                                  std::string(encoding_name(d.definition_level_encoding))));
        }
        if (rest.size() < 4) return make_error(Errc::corrupt, where("truncated definition levels"));
        uint32_t n = 0;
        std::memcpy(&n, rest.data(), 4);
        if (n > rest.size() - 4)
          return make_error(Errc::corrupt, where("definition levels longer than the page"));
        level_bytes = rest.substr(4, n);
        rest.remove_prefix(4 + n);
      }
      value_bytes = rest;
    } else {
      if (!header.data_page_header_v2)
        return make_error(Errc::corrupt, where("data page v2 without its header"));
      const auto& d = *header.data_page_header_v2;
      if (d.num_values < 0 || d.definition_levels_byte_length < 0 ||
          d.repetition_levels_byte_length < 0) {
        return make_error(Errc::corrupt, where("negative sizes in the v2 header"));
      }
      num_values = static_cast<size_t>(d.num_values);
      encoding = d.encoding;
      size_t levels_size = static_cast<size_t>(d.definition_levels_byte_length) +
                           static_cast<size_t>(d.repetition_levels_byte_length);
      if (levels_size > body.size())
        return make_error(Errc::corrupt, where("levels longer than the page"));
      level_bytes = body.substr(static_cast<size_t>(d.repetition_levels_byte_length),
                                static_cast<size_t>(d.definition_levels_byte_length));
      levels_prefixed = false;
      std::string_view compressed_values = body.substr(levels_size);
      size_t values_size =
          static_cast<size_t>(header.uncompressed_page_size) -
          std::min<size_t>(levels_size, static_cast<size_t>(header.uncompressed_page_size));
      if (d.is_compressed) {
        SL_TRY(decompress(meta.codec, compressed_values, values_size, decompressed));
        value_bytes = decompressed;
      } else {
        value_bytes = compressed_values;
      }
    }
    (void)levels_prefixed;
    // Writers cap pages far below this (parquet-java 20,000 rows, Arrow 1M); a larger count is a
    // forged header that would make a few RLE bytes expand into gigabytes.
    constexpr size_t k_max_page_values = size_t{1} << 24;
    if (num_values > k_max_page_values) {
      return make_error(Errc::unsupported,
                        where("page declares " + std::to_string(num_values) +
                              " values, more than this reader accepts (16,777,216)"));
    }
    if (num_values > static_cast<size_t>(meta.num_values - values_read)) {
      return make_error(Errc::corrupt, where("more values than the chunk declares"));
    }

    size_t present = num_values;
    if (info.max_definition_level > 0) {
      if (!decode_rle_bit_packed(level_bytes, 1, num_values, levels)) {
        return make_error(Errc::corrupt, where("malformed definition levels"));
      }
      present = 0;
      for (uint32_t l : levels) {
        if (l > 1) return make_error(Errc::corrupt, where("definition level above the maximum"));
        present += l;
      }
    }

    page_values = Column(field.type);
    ByteCursor in(value_bytes);
    if (encoding == Encoding::plain) {
      if (auto st = decode_plain(in, present, conv, page_values); !st)
        return make_error(Errc::corrupt, where(st.error().message));
    } else if (encoding == Encoding::plain_dictionary || encoding == Encoding::rle_dictionary) {
      if (!has_dictionary)
        return make_error(Errc::corrupt,
                          where("dictionary-encoded page without a dictionary page"));
      if (value_bytes.empty() && present > 0)
        return make_error(Errc::corrupt, where("missing dictionary indices"));
      int bit_width = present == 0 ? 0 : static_cast<uint8_t>(value_bytes[0]);
      if (present > 0 &&
          !decode_rle_bit_packed(value_bytes.substr(1), bit_width, present, indices)) {
        return make_error(Errc::corrupt, where("malformed dictionary indices"));
      }
      for (size_t i = 0; i < present; ++i) {
        if (indices[i] >= dictionary.length) {
          return make_error(Errc::corrupt, where("dictionary index " + std::to_string(indices[i]) +
                                                 " out of range"));
        }
        append_from(page_values, dictionary, indices[i]);
      }
    } else if (encoding == Encoding::rle && conv.physical == Type::boolean) {
      // RLE booleans: u32 length prefix, then the hybrid runs at bit width 1.
      if (value_bytes.size() < 4) return make_error(Errc::corrupt, where("truncated RLE booleans"));
      if (!decode_rle_bit_packed(value_bytes.substr(4), 1, present, indices)) {
        return make_error(Errc::corrupt, where("malformed RLE booleans"));
      }
      for (size_t i = 0; i < present; ++i) page_values.append_bool(indices[i] != 0);
    } else {
      return make_error(Errc::unsupported,
                        where("values encoded with " + std::string(encoding_name(encoding)) +
                              " are not supported yet"));
    }

    size_t next = 0;
    for (size_t i = 0; i < num_values; ++i) {
      if (info.max_definition_level > 0 && levels[i] == 0) {
        out.append_null();
      } else {
        append_from(out, page_values, next++);
      }
    }
    values_read += static_cast<int64_t>(num_values);
    ++page_index;
  }
  if (static_cast<int64_t>(out.length) != rows) {
    return make_error(Errc::corrupt, "chunk holds " + std::to_string(out.length) + " values for " +
                                         std::to_string(rows) + " rows");
  }
  return out;
}

Result<RecordBatch> ParquetReader::read_row_group(size_t index,
                                                  const std::vector<std::string>& columns) const {
  if (index >= metadata_.row_groups.size()) {
    return make_error(Errc::invalid_argument,
                      "parquet: '" + name_ + "' has no row group " + std::to_string(index));
  }
  SL_ASSIGN_OR_RETURN(auto leaves, projection(columns));
  RecordBatch batch;
  batch.num_rows = static_cast<size_t>(metadata_.row_groups[index].num_rows);
  for (size_t leaf : leaves) {
    auto column = read_chunk(index, leaf);
    if (!column) {
      return column.error().with_context("parquet: '" + name_ + "' row group " +
                                         std::to_string(index) + " column '" +
                                         leaves_[leaf].field.name + "'");
    }
    batch.schema.push_back(leaves_[leaf].field);
    batch.columns.push_back(std::move(*column));
  }
  return batch;
}

Result<RecordBatch> ParquetReader::read_all(const std::vector<std::string>& columns) const {
  SL_ASSIGN_OR_RETURN(auto leaves, projection(columns));
  RecordBatch all;
  for (size_t leaf : leaves) {
    all.schema.push_back(leaves_[leaf].field);
    all.columns.emplace_back(leaves_[leaf].field.type);
  }
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    SL_ASSIGN_OR_RETURN(auto batch, read_row_group(g, columns));
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      for (size_t i = 0; i < batch.num_rows; ++i) {
        if (batch.columns[c].is_valid(i))
          append_from(all.columns[c], batch.columns[c], i);
        else
          all.columns[c].append_null();
      }
    }
    all.num_rows += batch.num_rows;
  }
  return all;
}

}  // namespace sl::parquet
