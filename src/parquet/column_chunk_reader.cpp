// Column chunk reading: the page loop (page headers, decompression, level sections) and the level
// checks; each data page's values go to page_values.hpp.
#include "parquet/column_chunk_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/byte_cursor.hpp"
#include "parquet/compression.hpp"
#include "parquet/dictionary_decoder.hpp"
#include "parquet/page_checksum.hpp"
#include "parquet/page_values.hpp"
#include "parquet/plain_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"
#include "parquet/slot_spread.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::TypeId;

namespace {

// Where one page's level sections and values lie.
struct PageSections {
  size_t num_values = 0;
  Encoding encoding = Encoding::plain;
  std::string_view repetition;
  std::string_view definition;
  std::string_view values;
};

// A v1 level section: u32 length, then that many bytes of RLE hybrid runs.
Status take_prefixed_levels(std::string_view& rest, Encoding encoding, const char* what,
                            std::string_view& out) {
  if (encoding != Encoding::rle) {
    return make_error(Errc::unsupported,
                      std::string(what) + " levels in " + std::string(encoding_name(encoding)));
  }
  if (rest.size() < 4)
    return make_error(Errc::corrupt, std::string("truncated ") + what + " levels");
  uint32_t n = 0;
  std::memcpy(&n, rest.data(), 4);
  if (n > rest.size() - 4)
    return make_error(Errc::corrupt, std::string(what) + " levels longer than the page");
  out = rest.substr(4, n);
  rest.remove_prefix(4 + n);
  return {};
}

// Levels wider than a bit into out[0..n): an RLE run checked once, bit-packed levels a block at
// a time while the block is in cache (unpacked to 32 bits, checked and narrowed to bytes there).
// Adds to `highest` and `at_max`; false on a malformed stream.
bool decode_wide_levels(std::string_view bytes, uint32_t max, int width, size_t n, Level* out,
                        uint32_t& highest, size_t& at_max) {
  const uint8_t* end = reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size();
  Level* next = out;
  constexpr size_t k_block = 2048;  // a multiple of 8: blocks start on a byte
  uint32_t block[k_block];
  return visit_rle_bit_packed(
      bytes, width, n,
      [&](uint32_t level, size_t count) {
        highest = std::max(highest, level);  // checked by the caller, before anything reads them
        std::memset(next, static_cast<Level>(level), count);
        next += count;
        at_max += level == max ? count : 0;
        return true;
      },
      [&](const uint8_t* p, size_t count) {
        for (size_t done = 0; done < count; done += k_block) {
          const size_t m = std::min(k_block, count - done);
          unpack_bits(p + done / 8 * static_cast<size_t>(width), end, width, m, block);
          // Loops without exits, which the compiler vectorises.
          uint32_t block_highest = 0;
          size_t block_at_max = 0;
          for (size_t i = 0; i < m; ++i) {
            block_highest = std::max(block_highest, block[i]);
            block_at_max += block[i] == max;
            next[i] = static_cast<Level>(block[i]);
          }
          highest = std::max(highest, block_highest);
          at_max += block_at_max;
          next += m;
        }
        return true;
      });
}

// Decodes `n` levels of one section into out[0..n), checks them, and counts those at the maximum
// (for definition levels: the present values) as they are decoded. May write up to
// k_bit_level_slack - 1 bytes past out[n] (the caller's room).
Result<size_t> decode_levels(std::string_view bytes, int max_level, size_t n, const char* what,
                             Level* out) {
  const auto max = static_cast<uint32_t>(max_level);
  const int width = bit_width_for(max);
  uint32_t highest = 0;
  size_t at_max = 0;
  bool ok = true;
  if (width == 1) {
    // Maximum 1 (a flat optional column, the common case): both kinds of runs in one loop.
    const BitLevels levels = decode_bit_levels(bytes, n, out);
    ok = levels.ok;
    highest = levels.highest;
    at_max = levels.ones;
  } else {
    ok = decode_wide_levels(bytes, max, width, n, out, highest, at_max);
  }
  if (!ok) return make_error(Errc::corrupt, std::string("malformed ") + what + " levels");
  if (highest > max) {
    return make_error(Errc::corrupt, std::string(what) + " level " + std::to_string(highest) +
                                         " above the maximum " + std::to_string(max_level));
  }
  return at_max;
}

// This thread's buffer of decompressed pages, reused from page to page and from chunk to chunk:
// it only grows, so its bytes are zeroed once (resized per page, it zeroed each page's growth,
// and a fresh buffer per chunk zeroed a page's size per column chunk: ~1 % of a scan). A page
// is decoded (its values copied out) before the next one is decompressed into it. Past
// k_kept_page_buffer (a forged or huge page) it is released after the chunk.
constexpr size_t k_kept_page_buffer = size_t{16} << 20;

std::string& thread_page_buffer() {
  thread_local std::string buffer;
  return buffer;
}

// A page's bytes once decompressed: the body itself when the chunk is not compressed (no copy),
// else the thread's page buffer, filled by the codec.
Result<std::string_view> page_bytes(Codec codec, std::string_view body, size_t size) {
  if (codec != Codec::uncompressed) {
    std::string& buffer = thread_page_buffer();
    if (buffer.size() < size) buffer.resize(size);
    SL_TRY(decompress(codec, body, std::span<char>(buffer.data(), size)));
    return std::string_view(buffer.data(), size);
  }
  if (body.size() != size)
    return make_error(Errc::corrupt, "parquet: page size differs from its header");
  return body;
}

// Growing a string column's bytes geometrically copies them again and again (a 20 MB column
// chunk of names: ~20 MB of copies). Once some values are read, their mean size gives the whole
// chunk's: reserve that once. Bounded, as the declared value count may be forged.
constexpr int64_t k_max_bytes_reservation = int64_t{256} << 20;

void reserve_projected_bytes(Column& values, int64_t values_read, int64_t num_values) {
  if ((values.type.id != TypeId::string && values.type.id != TypeId::binary) || values_read <= 0 ||
      values_read >= num_values || values.bytes.empty()) {
    return;
  }
  const double per_value =
      static_cast<double>(values.bytes.size()) / static_cast<double>(values_read);
  const auto projected = static_cast<size_t>(
      std::min<double>(per_value * static_cast<double>(num_values) * 1.05,
                       static_cast<double>(values.bytes.size() + k_max_bytes_reservation)));
  if (projected > values.bytes.capacity()) values.bytes.reserve(projected);
}

// At most num_values present values: one allocation instead of a doubling series of copies.
void reserve_values(Column& values, const ColumnMetaData& meta) {
  const auto reserve =
      static_cast<size_t>(std::clamp<int64_t>(meta.num_values, 0, int64_t{1} << 26));
  switch (values.type.id) {
    case TypeId::int32:
    case TypeId::date32:
      values.i32.reserve(reserve);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      values.i64.reserve(reserve);
      break;
    case TypeId::float32:
      values.f32.reserve(reserve);
      break;
    case TypeId::float64:
      values.f64.reserve(reserve);
      break;
    case TypeId::string:
    case TypeId::binary:
      values.offsets.reserve(reserve + 1);
      // PLAIN byte arrays are at most the chunk's uncompressed size; a dictionary-encoded chunk
      // is reserved from its first pages instead (reserve_projected_bytes).
      if (!meta.dictionary_page_offset) {
        values.bytes.reserve(static_cast<size_t>(
            std::clamp<int64_t>(meta.total_uncompressed_size, 0, k_max_bytes_reservation)));
      }
      break;
    default:
      break;
  }
}

// Levels reserved for a chunk at once: its declared count, bounded (it may be forged; past the
// bound the vector grows as it must).
size_t levels_reservation(const ColumnMetaData& meta) {
  return static_cast<size_t>(std::clamp<int64_t>(meta.num_values, 0, int64_t{1} << 24)) +
         k_bit_level_slack;  // decode_levels' stores past the last page's levels
}

// The chunk's declared value count against the row group's rows.
Status check_value_count(const ColumnMetaData& meta, int max_rep, int64_t rows) {
  if (max_rep == 0 && meta.num_values != rows) {
    return make_error(Errc::corrupt, "chunk declares " + std::to_string(meta.num_values) +
                                         " values for " + std::to_string(rows) +
                                         " rows of a flat column");
  }
  if (meta.num_values < rows) {
    return make_error(Errc::corrupt, "chunk declares " + std::to_string(meta.num_values) +
                                         " values for " + std::to_string(rows) + " rows");
  }
  // List offsets are 32-bit.
  if (meta.num_values >= int64_t{UINT32_MAX}) {
    return make_error(Errc::unsupported, "chunk of " + std::to_string(meta.num_values) +
                                             " values (this reader takes fewer than 2^32)");
  }
  return {};
}

// The chunk's pages: from its first page (the dictionary page when it comes first) for
// total_compressed_size bytes, which must end before the file's footer length and magic.
Result<std::string_view> chunk_bytes(std::string_view file, const ColumnMetaData& meta) {
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 4 || meta.total_compressed_size < 0 ||
      static_cast<uint64_t>(start) + static_cast<uint64_t>(meta.total_compressed_size) >
          file.size() - 8) {
    return make_error(Errc::corrupt, "column chunk at offset " + std::to_string(start) + " with " +
                                         std::to_string(meta.total_compressed_size) +
                                         " bytes lies outside the file");
  }
  return file.substr(static_cast<size_t>(start), static_cast<size_t>(meta.total_compressed_size));
}

// The page loop of one chunk. Holds what lives from page to page: the dictionary and the scratch
// indices (reused, not reallocated per page; pages are decompressed into the thread's buffer).
// Errors name the page.
class PageLoop {
 public:
  // `chunk_offset`: where the chunk's first page starts in the file (errors give page offsets).
  PageLoop(const ColumnMetaData& meta, const LeafInfo& leaf, LeafData& out, size_t chunk_offset)
      : meta_(meta),
        chunk_offset_(chunk_offset),
        leaf_(leaf),
        conv_(leaf.conversion),
        max_def_(leaf.max_definition_level),
        max_rep_(leaf.max_repetition_level),
        out_(out),
        dictionary_(leaf.field.type) {}

  // Reads pages until the chunk's declared values are read or its bytes end.
  Status run(ByteCursor& chunk) {
    while (values_read_ < meta_.num_values && !chunk.at_end()) {
      page_offset_ = chunk_offset_ + chunk.position();
      SL_ASSIGN_OR_RETURN(PageHeader header, decode_page_header(chunk));
      auto body = chunk.string_view(static_cast<size_t>(header.compressed_page_size), "page body");
      if (!chunk.ok()) return make_error(Errc::corrupt, where(chunk.error()));
      // Before anything of the page is decoded: a damaged page must fail, not decode into
      // plausible wrong values.
      if (auto st = verify_page_crc(header, body); !st) return page_error(st.error());
      if (header.type == PageType::dictionary_page) {
        SL_TRY(read_dictionary_page(header, body));
      } else if (header.type == PageType::data_page || header.type == PageType::data_page_v2) {
        SL_TRY(read_data_page(header, body));
      }  // index pages and unknown pages carry no values
      ++page_index_;
    }
    return {};
  }

 private:
  std::string where(const std::string& what) const {
    return "page " + std::to_string(page_index_) + " (file offset " + std::to_string(page_offset_) +
           "): " + what;
  }
  Error page_error(const Error& e) const { return make_error(e.code, where(e.message)); }

  Status read_dictionary_page(const PageHeader& header, std::string_view body) {
    if (!header.dictionary_page_header)
      return make_error(Errc::corrupt, where("dictionary page without its header"));
    SL_ASSIGN_OR_RETURN(
        std::string_view bytes,
        page_bytes(meta_.codec, body, static_cast<size_t>(header.uncompressed_page_size)));
    int32_t n = header.dictionary_page_header->num_values;
    if (n < 0) return make_error(Errc::corrupt, where("negative dictionary size"));
    auto dictionary =
        decode_dictionary_page(bytes, static_cast<size_t>(n), leaf_.field.type, conv_);
    if (!dictionary) return page_error(dictionary.error());
    dictionary_ = std::move(*dictionary);
    has_dictionary_ = true;
    return {};
  }

  // v1: the body decompressed as one unit, then its u32-prefixed level sections.
  Result<PageSections> split_v1(const PageHeader& header, std::string_view body) {
    if (!header.data_page_header)
      return make_error(Errc::corrupt, where("data page without its header"));
    const auto& d = *header.data_page_header;
    if (d.num_values < 0) return make_error(Errc::corrupt, where("negative value count"));
    PageSections page;
    page.num_values = static_cast<size_t>(d.num_values);
    page.encoding = d.encoding;
    SL_ASSIGN_OR_RETURN(
        std::string_view rest,
        page_bytes(meta_.codec, body, static_cast<size_t>(header.uncompressed_page_size)));
    if (max_rep_ > 0) {
      if (auto st = take_prefixed_levels(rest, d.repetition_level_encoding, "repetition",
                                         page.repetition);
          !st)
        return page_error(st.error());
    }
    if (max_def_ > 0) {
      if (auto st = take_prefixed_levels(rest, d.definition_level_encoding, "definition",
                                         page.definition);
          !st)
        return page_error(st.error());
    }
    page.values = rest;
    return page;
  }

  // v2: the level sections uncompressed with their sizes in the header; only the values may be
  // compressed.
  Result<PageSections> split_v2(const PageHeader& header, std::string_view body) {
    if (!header.data_page_header_v2)
      return make_error(Errc::corrupt, where("data page v2 without its header"));
    const auto& d = *header.data_page_header_v2;
    if (d.num_values < 0 || d.definition_levels_byte_length < 0 ||
        d.repetition_levels_byte_length < 0) {
      return make_error(Errc::corrupt, where("negative sizes in the v2 header"));
    }
    PageSections page;
    page.num_values = static_cast<size_t>(d.num_values);
    page.encoding = d.encoding;
    const auto rep_size = static_cast<size_t>(d.repetition_levels_byte_length);
    const auto def_size = static_cast<size_t>(d.definition_levels_byte_length);
    if (rep_size + def_size > body.size())
      return make_error(Errc::corrupt, where("levels longer than the page"));
    page.repetition = body.substr(0, rep_size);
    page.definition = body.substr(rep_size, def_size);
    std::string_view compressed_values = body.substr(rep_size + def_size);
    size_t values_size =
        static_cast<size_t>(header.uncompressed_page_size) -
        std::min<size_t>(rep_size + def_size, static_cast<size_t>(header.uncompressed_page_size));
    if (d.is_compressed) {
      SL_ASSIGN_OR_RETURN(page.values, page_bytes(meta_.codec, compressed_values, values_size));
    } else {
      page.values = compressed_values;
    }
    return page;
  }

  Status read_data_page(const PageHeader& header, std::string_view body) {
    SL_ASSIGN_OR_RETURN(PageSections page, header.type == PageType::data_page
                                               ? split_v1(header, body)
                                               : split_v2(header, body));
    // Writers cap pages far below this (parquet-java 20,000 rows, Arrow 1M); a larger count is a
    // forged header that would make a few RLE bytes expand into gigabytes.
    constexpr size_t k_max_page_values = size_t{1} << 24;
    const size_t n = page.num_values;
    if (n > k_max_page_values) {
      return make_error(Errc::unsupported,
                        where("page declares " + std::to_string(n) +
                              " values, more than this reader accepts (16,777,216)"));
    }
    if (n > static_cast<size_t>(meta_.num_values - values_read_)) {
      return make_error(Errc::corrupt, where("more values than the chunk declares"));
    }
    const size_t first = out_.num_levels;
    SL_ASSIGN_OR_RETURN(size_t present, append_levels(page));
    out_.num_levels += n;
    out_.num_defined += present;
    SL_TRY(count_rows(first, n));
    const bool spread = max_rep_ == 0 && max_def_ == 1 && present < n;
    if (spread && page.encoding == Encoding::plain && out_.values.length == first) {
      // PLAIN numbers with a null: spread straight from the page when the CPU can.
      if (const size_t width = plain_bulk_width(conv_, out_.values);
          width > 0 && spread_plain(out_.values, page.values, width, present,
                                    out_.definition_levels.data() + first, n)) {
        out_.values_spread = true;
        return page_done(n);
      }
    }
    // Values before this page are one per entry (spread, or pages without a null): a decoder
    // may spread them as it goes.
    const bool spread_as_decoded = spread && out_.values.length == first;
    PageSlots slots;
    if (spread_as_decoded) slots = {out_.definition_levels.data() + first, n};
    if (auto st = decode_page_values(page.values, page.encoding, present, conv_,
                                     has_dictionary_ ? &dictionary_ : nullptr, indices_,
                                     out_.values, spread_as_decoded ? &slots : nullptr);
        !st)
      return page_error(st.error());
    if (spread_as_decoded && out_.values.length == first + n) {
      out_.values_spread = true;  // the decoder spread them as it went
    } else if (spread) {
      if (out_.values.length != first + present)
        return make_error(Errc::corrupt, where("values do not match the definition levels"));
      spread_tail(out_.values, first, out_.definition_levels.data() + first, n);
      out_.values_spread = true;
    }
    if (out_.values.bytes.size() > UINT32_MAX) {
      // Offsets are 32-bit (Column): past 4 GiB they would wrap into wrong strings.
      return make_error(Errc::unsupported,
                        where("more than 4 GiB of string bytes in one column chunk"));
    }
    return page_done(n);
  }

  // The page's n entries are read.
  Status page_done(size_t n) {
    values_read_ += static_cast<int64_t>(n);
    reserve_projected_bytes(out_.values, values_read_, meta_.num_values);
    return {};
  }

  // Decodes the page's n levels at the end of `levels` (the chunk's count reserved at once:
  // growing by doubling copied them again and again), with decode_levels' slack past them.
  Result<size_t> append_decoded_levels(std::vector<Level>& levels, std::string_view bytes,
                                       int max_level, size_t n, const char* what) const {
    const size_t first = levels.size();
    const size_t room = first + n + k_bit_level_slack;
    if (levels.capacity() < room) levels.reserve(std::max(room, levels_reservation(meta_)));
    levels.resize(room);
    auto decoded = decode_levels(bytes, max_level, n, what, levels.data() + first);
    levels.resize(first + n);
    return decoded;
  }

  // Appends the page's levels to out_ (checked) and says how many entries carry a value.
  Result<size_t> append_levels(const PageSections& page) {
    const size_t n = page.num_values;
    const size_t first = out_.num_levels;
    if (max_rep_ > 0) {
      if (auto levels = append_decoded_levels(out_.repetition_levels, page.repetition, max_rep_,
                                              n, "repetition");
          !levels)
        return page_error(levels.error());
    }
    size_t present = n;
    const auto all_defined = static_cast<uint32_t>(max_def_);
    if (max_def_ > 0 && max_rep_ == 0 &&
        leading_run_value(page.definition, bit_width_for(all_defined), n) == all_defined) {
      // A flat page without a null (one RLE run of max_def): nothing to decode or count.
      if (out_.definition_levels.empty())
        out_.implied_definition = all_defined;
      else
        out_.definition_levels.insert(out_.definition_levels.end(), n,
                                      static_cast<Level>(all_defined));
    } else if (max_def_ > 0) {
      // A flat leaf whose entries were all defined so far kept no levels (LeafData's
      // implied_definition): this page (most likely with a null) makes them explicit.
      const bool implied_so_far = out_.definition_levels.empty();
      if (implied_so_far && first > 0) {
        out_.definition_levels.reserve(levels_reservation(meta_));
        out_.definition_levels.assign(first, static_cast<Level>(out_.implied_definition));
      }
      auto defined =
          append_decoded_levels(out_.definition_levels, page.definition, max_def_, n, "definition");
      if (!defined) return page_error(defined.error());
      present = *defined;
      if (max_rep_ == 0 && present == n && implied_so_far) {
        out_.definition_levels.clear();  // still none: back to implied levels
        out_.implied_definition = all_defined;
      }
    }
    return present;
  }

  // Counts the rows the page's entries [first, first + n) start, checking that a continued entry
  // repeats a present list.
  Status count_rows(size_t first, size_t n) {
    if (max_rep_ == 0) {
      out_.num_rows += n;
      return {};
    }
    for (size_t i = first; i < first + n; ++i) {
      const uint32_t rep = out_.repetition_levels[i];
      if (rep == 0) {
        ++out_.num_rows;
      } else if (i == 0) {
        return make_error(Errc::corrupt, where("the chunk starts inside a row (repetition "
                                               "level " +
                                               std::to_string(rep) + ")"));
      } else if (out_.definition(i) <
                 static_cast<uint32_t>(leaf_.repeated_definition_levels[rep - 1])) {
        return make_error(Errc::corrupt, where("entry " + std::to_string(i) + " repeats level " +
                                               std::to_string(rep) + " of a null or empty list"));
      }
    }
    return {};
  }

  const ColumnMetaData& meta_;
  const size_t chunk_offset_;
  size_t page_offset_ = 0;
  const LeafInfo& leaf_;
  const Conversion& conv_;
  const int max_def_, max_rep_;
  LeafData& out_;
  Column dictionary_;
  bool has_dictionary_ = false;
  std::vector<uint32_t> indices_;
  int64_t values_read_ = 0;
  size_t page_index_ = 0;
};

}  // namespace

Result<LeafData> read_column_chunk(std::string_view file, const ColumnMetaData& meta,
                                   const LeafInfo& leaf, int64_t rows) {
  LeafData out;
  out.max_definition = static_cast<uint32_t>(leaf.max_definition_level);
  out.values = Column(leaf.field.type);
  reserve_values(out.values, meta);
  if (meta.type != leaf.conversion.physical)
    return make_error(Errc::corrupt, "chunk type differs from the schema's");
  if (rows == 0) return out;  // nothing to read; some writers leave offsets at 0
  SL_TRY(check_value_count(meta, leaf.max_repetition_level, rows));
  SL_ASSIGN_OR_RETURN(std::string_view bytes, chunk_bytes(file, meta));
  ByteCursor chunk(bytes);
  PageLoop pages(meta, leaf, out, static_cast<size_t>(bytes.data() - file.data()));
  const Status read = pages.run(chunk);
  if (thread_page_buffer().size() > k_kept_page_buffer) std::string().swap(thread_page_buffer());
  SL_TRY(read);
  if (out.num_rows != static_cast<size_t>(rows)) {
    return make_error(Errc::corrupt, "chunk holds " + std::to_string(out.num_rows) +
                                         " rows for a row group of " + std::to_string(rows));
  }
  return out;
}

}  // namespace sl::parquet
