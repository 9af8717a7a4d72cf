// Column chunk encoding: gathering, statistics, dictionary decision, pages.
#include "parquet/column_writer.hpp"

#include <cmath>
#include <cstring>
#include <span>
#include <type_traits>
#include "parquet/compression.hpp"
#include "parquet/dictionary_index.hpp"
#include "parquet/page_checksum.hpp"
#include "parquet/rle_bit_packed.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::is_wide_decimal;
using columnar::TypeId;

namespace {

// How one kind of value is gathered, compared, hashed and PLAIN-encoded.
template <class T>
struct FixedTraits {
  using Value = T;
  static constexpr bool is_boolean = false;
  static void plain(const Value& v, std::string& out) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  static size_t plain_size(const Value&) { return sizeof(T); }
  static std::string stat_bytes(const Value& v) {
    return std::string(reinterpret_cast<const char*>(&v), sizeof v);
  }
  static bool less(const Value& a, const Value& b) { return a < b; }
  static bool is_nan(const Value& v) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
    return false;
  }
};

// Booleans are gathered as bytes (not std::vector<bool>, whose elements have no address).
struct BoolTraits : FixedTraits<uint8_t> {
  static constexpr bool is_boolean = true;
};

struct BytesTraits {
  using Value = std::string_view;
  static constexpr bool is_boolean = false;
  static void plain(const Value& v, std::string& out) {
    uint32_t n = static_cast<uint32_t>(v.size());
    out.append(reinterpret_cast<const char*>(&n), 4);
    out.append(v);
  }
  static size_t plain_size(const Value& v) { return 4 + v.size(); }
  static std::string stat_bytes(const Value& v) { return std::string(v); }
  // Unsigned byte-wise order (memcmp, shorter first).
  static bool less(const Value& a, const Value& b) {
    int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
    return c < 0 || (c == 0 && a.size() < b.size());
  }
  static bool is_nan(const Value&) { return false; }
};

// A decimal of 19..38 digits, stored as FIXED_LEN_BYTE_ARRAY of `width` big-endian bytes (two's
// complement; the width is the smallest that holds the precision, as Spark and pyarrow write).
struct WideDecimal {
  __int128 unscaled = 0;
  int width = 16;
  bool operator==(const WideDecimal& o) const { return unscaled == o.unscaled; }
};

struct WideDecimalTraits {
  using Value = WideDecimal;
  static constexpr bool is_boolean = false;
  static void plain(const Value& v, std::string& out) {
    auto u = static_cast<unsigned __int128>(v.unscaled);
    for (int i = v.width - 1; i >= 0; --i) out.push_back(static_cast<char>(u >> (8 * i)));
  }
  static size_t plain_size(const Value& v) { return static_cast<size_t>(v.width); }
  static std::string stat_bytes(const Value& v) {
    std::string out;
    plain(v, out);
    return out;
  }
  static bool less(const Value& a, const Value& b) { return a.unscaled < b.unscaled; }
  static bool is_nan(const Value&) { return false; }
};

// The present values of a shredded leaf, in entry order.
template <class Traits, class Get>
void gather(const ShreddedLeaf& data, Get get, std::vector<typename Traits::Value>& values) {
  for (const auto& run : data.values) {
    for (size_t i = run.begin; i < run.end; ++i) values.push_back(get(*run.column, i));
  }
}

// Appends one level section of a v1 page: u32 length, then the RLE hybrid runs.
void append_levels(const std::vector<uint32_t>& levels, size_t begin, size_t end, int max_level,
                   std::string& scratch, std::string& page) {
  scratch.clear();
  encode_rle_bit_packed(levels.data() + begin, end - begin,
                        bit_width_for(static_cast<uint32_t>(max_level)), scratch);
  uint32_t length = static_cast<uint32_t>(scratch.size());
  page.append(reinterpret_cast<const char*>(&length), 4);
  page.append(scratch);
}

template <class Traits>
void compute_statistics(std::span<const typename Traits::Value> values, int64_t nulls,
                        bool is_signed, size_t max_size, Statistics& stats) {
  using Value = typename Traits::Value;
  stats.null_count = nulls;
  Value lo{}, hi{};
  if constexpr (std::is_arithmetic_v<Value>) {
    // Numbers by value from the first that is not NaN: a comparison with a NaN is false, so the
    // NaNs after it are skipped without a test, and the loop vectorises (the pointer-chasing
    // one below cost ~1 % of the full refresh for its int64 and double columns).
    size_t first = 0;
    while (first < values.size() && Traits::is_nan(values[first])) ++first;
    if (first == values.size()) return;  // all null (or all NaN): no bounds
    lo = hi = values[first];
    for (size_t i = first + 1; i < values.size(); ++i) {
      const Value v = values[i];
      lo = v < lo ? v : lo;
      hi = hi < v ? v : hi;
    }
  } else {
    const Value* min = nullptr;
    const Value* max = nullptr;
    for (const auto& v : values) {
      if (Traits::is_nan(v)) continue;
      if (!min || Traits::less(v, *min)) min = &v;
      if (!max || Traits::less(*max, v)) max = &v;
    }
    if (!min) return;  // all null (or all NaN): no bounds
    lo = *min;
    hi = *max;
  }
  if constexpr (std::is_floating_point_v<typename Traits::Value>) {
    // TYPE_ORDER for floats: a zero min is written as -0.0, a zero max as +0.0.
    if (lo == 0) lo = -static_cast<typename Traits::Value>(0);
    if (hi == 0) hi = static_cast<typename Traits::Value>(0);
  }
  std::string lo_bytes = Traits::stat_bytes(lo), hi_bytes = Traits::stat_bytes(hi);
  if (lo_bytes.size() > max_size || hi_bytes.size() > max_size) return;
  stats.min_value = lo_bytes;
  stats.max_value = hi_bytes;
  if (is_signed) {
    stats.min = lo_bytes;
    stats.max = hi_bytes;
  }
}

// Bit-exact key for floating point values (so -0.0 and 0.0, and NaNs, stay distinct entries).
template <class V>
auto dictionary_key(const V& v) {
  if constexpr (std::is_same_v<V, float>) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    return bits;
  } else if constexpr (std::is_same_v<V, double>) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    return bits;
  } else if constexpr (std::is_same_v<V, WideDecimal>) {
    return v.unscaled;
  } else {
    return v;
  }
}

// The dictionary's early give-up: whether a sample of the chunk says its values barely repeat
// (a key, a timestamp), so that it is written PLAIN without indexing every value (a full attempt
// on a 100,000-value chunk of distinct values hashed them all, grew the index eight times and
// then gave up: ~7 % of the full refresh's CPU for Silver's three such columns). The sample is an
// eighth of the values (at most 8,192), one at a pseudo-random place in each stretch of eight
// or more: a prefix or a regular stride would see a column that cycles through a few thousand
// values (sorted runs, a counter modulo something) as unique. At most 1 % repeats in the
// sample means some 92 % or more distinct in the chunk, where the rule below (90 %) writes PLAIN
// anyway. Chunks under 16,384 values are indexed whole. The places are fixed (a hash of the
// stretch's number): the same values give the same file.
constexpr size_t k_dictionary_sample_min_values = 16'384;
constexpr size_t k_dictionary_sample_max = 8'192;

template <class Value>
bool dictionary_sample_says_unique(std::span<const Value> values) {
  if (values.size() < k_dictionary_sample_min_values) return false;
  const size_t samples = std::min(values.size() / 8, k_dictionary_sample_max);
  const size_t stretch = values.size() / samples;
  using Key = decltype(dictionary_key(std::declval<Value>()));
  DictionaryIndex<Key> seen;
  for (size_t k = 0; k < samples; ++k) {
    uint64_t h = (k + 1) * 0x9E3779B97F4A7C15ULL;  // splitmix64's finaliser: a place per stretch
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
    seen.insert(dictionary_key(values[k * stretch + h % stretch]));
  }
  return seen.size() * 100 >= samples * 99;
}

}  // namespace

Status ColumnChunkWriter::write_page(PageType type, const std::string& body, int32_t num_values,
                                     Encoding encoding, ByteSink& sink, ColumnMetaData& meta) {
  SL_TRY(compress(options_.codec, body, state_.compressed));
  PageHeader header;
  header.type = type;
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(state_.compressed.size());
  if (options_.page_checksums) header.crc = static_cast<int32_t>(page_crc(state_.compressed));
  if (type == PageType::dictionary_page) {
    header.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::plain};
  } else {
    header.data_page_header = DataPageHeader{num_values, encoding, Encoding::rle, Encoding::rle};
  }
  state_.header.clear();
  encode(header, state_.header);
  SL_TRY(sink.write(state_.header));
  SL_TRY(sink.write(state_.compressed));
  meta.total_uncompressed_size += static_cast<int64_t>(state_.header.size() + body.size());
  meta.total_compressed_size +=
      static_cast<int64_t>(state_.header.size() + state_.compressed.size());
  return {};
}

namespace {

// The typed body of ColumnChunkWriter::write, for one kind of value.
// `direct(column)`, unless it is nullptr, gives the column's values stored as `Value`: a flat
// column without nulls (one run of values) is then read in place instead of gathered into
// `gathered` (a copy of the whole chunk, and its page faults, saved).
template <class Traits, class Get, class Direct, class WritePage>
Status write_chunk(const LeafColumn& leaf, const WriterOptions& options, const ShreddedLeaf& data,
                   Get get, Direct direct, bool is_signed,
                   std::vector<typename Traits::Value>& gathered, std::vector<uint32_t>& indices,
                   std::string& values_buffer, std::string& page, std::string& dictionary,
                   std::string& level_scratch, ColumnMetaData& meta, ByteSink& sink,
                   WritePage write_page) {
  using Value = typename Traits::Value;
  std::span<const Value> values;
  bool in_place = false;
  if constexpr (!std::is_same_v<Direct, std::nullptr_t>) {
    if (data.values.size() == 1) {
      const ColumnSlice& run = data.values.front();
      values = {direct(*run.column) + run.begin, run.end - run.begin};
      in_place = true;
    }
  }
  if (!in_place) {
    gathered.clear();
    gather<Traits>(data, get, gathered);
    values = gathered;
  }
  const size_t entries = data.num_levels;
  const int max_def = leaf.max_definition_level, max_rep = leaf.max_repetition_level;
  meta.num_values = static_cast<int64_t>(entries);
  const auto nulls = static_cast<int64_t>(entries - values.size());
  // Numbers: min/max over the values by a loop that vectorises. The others (strings, wide
  // decimals: a comparison is a call) over the dictionary's distinct values when there is one:
  // the same bounds from its few entries (a name or sport column: a dozen, not every value).
  constexpr bool k_bounds_from_dictionary = !std::is_arithmetic_v<Value>;
  std::vector<Value> distinct;  // k_bounds_from_dictionary: the dictionary's values, in order
  if constexpr (!k_bounds_from_dictionary)
    compute_statistics<Traits>(values, nulls, is_signed, options.max_statistics_size,
                               meta.statistics);

  // Dictionary decision, once per chunk.
  bool use_dictionary = false;
  indices.clear();
  dictionary.clear();
  uint32_t dictionary_size = 0;
  if constexpr (!Traits::is_boolean) {
    // Mostly distinct values gain nothing from a dictionary (it only adds the indices): PLAIN
    // once more than 90 % of the chunk's values are distinct — decided as soon as the count of
    // distinct values passes that mark, or before by a sample (dictionary_sample_says_unique).
    if (options.dictionary && !values.empty() && !dictionary_sample_says_unique(values)) {
      using Key = decltype(dictionary_key(std::declval<Value>()));
      DictionaryIndex<Key> index;
      indices.resize(values.size());
      use_dictionary = true;
      const size_t distinct_limit = values.size() * 9 / 10;
      for (size_t i = 0; i < values.size(); ++i) {
        auto [position, inserted] = index.insert(dictionary_key(values[i]));
        if (inserted) {
          Traits::plain(values[i], dictionary);
          if constexpr (k_bounds_from_dictionary) distinct.push_back(values[i]);
          if (dictionary.size() > options.dictionary_page_limit || index.size() > distinct_limit) {
            use_dictionary = false;
            break;
          }
        }
        indices[i] = position;
      }
      dictionary_size = static_cast<uint32_t>(index.size());
    }
  }

  if constexpr (k_bounds_from_dictionary)
    compute_statistics<Traits>(use_dictionary ? std::span<const Value>(distinct) : values, nulls,
                               is_signed, options.max_statistics_size, meta.statistics);

  const int bit_width = use_dictionary ? bit_width_for(dictionary_size - 1) : 0;
  if (use_dictionary) {
    meta.dictionary_page_offset = static_cast<int64_t>(sink.position());
    SL_TRY(write_page(PageType::dictionary_page, dictionary, static_cast<int32_t>(dictionary_size),
                      Encoding::plain));
  }
  meta.data_page_offset = static_cast<int64_t>(sink.position());

  // Entries per page from the average encoded size of a value.
  size_t value_bytes = 1;
  if (use_dictionary) {
    value_bytes = std::max<size_t>(1, static_cast<size_t>(bit_width) / 8 + 1);
  } else if constexpr (std::is_same_v<Value, std::string_view>) {
    size_t total = 0;
    for (const auto& v : values) total += v.size() + 4;
    value_bytes = values.empty() ? 1 : std::max<size_t>(1, total / values.size());
  } else {
    value_bytes = sizeof(Value);
  }
  const size_t entries_per_page = std::max<size_t>(1, options.page_size / value_bytes);
  const auto& rep_levels = data.repetition_levels;
  const auto& def_levels = data.definition_levels;

  size_t value_pos = 0;
  size_t entry = 0;
  do {
    size_t page_end = entry + std::min(entries_per_page, entries - entry);
    // A row never spans two pages: extend to the next entry that starts a row.
    if (max_rep > 0) {
      while (page_end < entries && rep_levels[page_end] != 0) ++page_end;
    }
    page.clear();
    size_t page_values = page_end - entry;
    if (max_rep > 0) append_levels(rep_levels, entry, page_end, max_rep, level_scratch, page);
    if (max_def > 0) {
      page_values = 0;
      for (size_t i = entry; i < page_end; ++i)
        page_values += def_levels[i] == static_cast<uint32_t>(max_def);
      append_levels(def_levels, entry, page_end, max_def, level_scratch, page);
    }
    if (use_dictionary) {
      page.push_back(static_cast<char>(bit_width));
      encode_rle_bit_packed(indices.data() + value_pos, page_values, bit_width, page);
    } else if constexpr (Traits::is_boolean) {
      // PLAIN booleans: bit-packed LSB first.
      values_buffer.assign((page_values + 7) / 8, '\0');
      for (size_t i = 0; i < page_values; ++i) {
        if (values[value_pos + i])
          values_buffer[i / 8] = static_cast<char>(values_buffer[i / 8] | (1 << (i % 8)));
      }
      page.append(values_buffer);
    } else if constexpr (std::is_arithmetic_v<Value>) {
      // PLAIN of numbers is their little-endian bytes back to back: one copy per page.
      page.append(reinterpret_cast<const char*>(values.data() + value_pos),
                  page_values * sizeof(Value));
    } else {
      for (size_t i = 0; i < page_values; ++i) Traits::plain(values[value_pos + i], page);
    }
    SL_TRY(write_page(PageType::data_page, page, static_cast<int32_t>(page_end - entry),
                      use_dictionary ? Encoding::rle_dictionary : Encoding::plain));
    value_pos += page_values;
    entry = page_end;
  } while (entry < entries);

  meta.encodings = {Encoding::rle};
  meta.encodings.push_back(use_dictionary ? Encoding::rle_dictionary : Encoding::plain);
  if (use_dictionary) meta.encodings.push_back(Encoding::plain);
  if (use_dictionary) meta.statistics.distinct_count = dictionary_size;
  return {};
}

}  // namespace

Result<ColumnChunk> ColumnChunkWriter::write(const ShreddedLeaf& data, ByteSink& sink) {
  ColumnChunk chunk;
  ColumnMetaData& meta = chunk.meta_data;
  const Field& field = leaf_.field;
  SchemaElement element = schema_element_for(field);
  meta.type = *element.type;
  meta.path_in_schema = leaf_.path;
  meta.codec = options_.codec;
  auto page_writer = [&](PageType type, const std::string& body, int32_t n, Encoding encoding) {
    return write_page(type, body, n, encoding, sink, meta);
  };
  auto run_with = [&](auto traits, auto get, auto direct, bool is_signed, auto& gathered) {
    return write_chunk<decltype(traits)>(leaf_, options_, data, get, direct, is_signed, gathered,
                                         state_.indices, state_.values, state_.page,
                                         state_.dictionary, state_.levels, meta, sink, page_writer);
  };
  auto run = [&](auto traits, auto get, auto direct, bool is_signed) {
    std::vector<typename decltype(traits)::Value> gathered;
    return run_with(traits, get, direct, is_signed, gathered);
  };
  Status status;
  switch (field.type.id) {
    case TypeId::boolean:
      status = run(
          BoolTraits{},
          [](const Column& c, size_t i) { return static_cast<uint8_t>(c.bools[i] != 0); }, nullptr,
          false);
      break;
    case TypeId::int32:
    case TypeId::date32:
      status = run(
          FixedTraits<int32_t>{}, [](const Column& c, size_t i) { return c.i32[i]; },
          [](const Column& c) { return c.i32.data(); }, true);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(field.type)) {
        int width = *element.type_length;
        status = run(
            WideDecimalTraits{},
            [width](const Column& c, size_t i) {
              return WideDecimal{c.i128[i], width};
            },
            nullptr, true);
      } else if (field.type.precision <= 9) {
        status = run(
            FixedTraits<int32_t>{},
            [](const Column& c, size_t i) { return static_cast<int32_t>(c.i64[i]); }, nullptr,
            true);
      } else {
        status = run(
            FixedTraits<int64_t>{}, [](const Column& c, size_t i) { return c.i64[i]; },
            [](const Column& c) { return c.i64.data(); }, true);
      }
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      status = run(
          FixedTraits<int64_t>{}, [](const Column& c, size_t i) { return c.i64[i]; },
          [](const Column& c) { return c.i64.data(); }, true);
      break;
    case TypeId::float32:
      status = run(
          FixedTraits<float>{}, [](const Column& c, size_t i) { return c.f32[i]; },
          [](const Column& c) { return c.f32.data(); }, true);
      break;
    case TypeId::float64:
      status = run(
          FixedTraits<double>{}, [](const Column& c, size_t i) { return c.f64[i]; },
          [](const Column& c) { return c.f64.data(); }, true);
      break;
    case TypeId::string:
    case TypeId::binary:
      status = run_with(
          BytesTraits{}, [](const Column& c, size_t i) { return c.string_at(i); }, nullptr, false,
          state_.strings);
      break;
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      status = make_error(Errc::internal, "a nested field is not a leaf");
      break;
  }
  if (!status) {
    std::string path;
    for (const auto& p : leaf_.path) path += (path.empty() ? "" : ".") + p;
    return status.error().with_context("column '" + path + "'");
  }
  chunk.file_offset = meta.dictionary_page_offset.value_or(meta.data_page_offset);
  return chunk;
}

}  // namespace sl::parquet
