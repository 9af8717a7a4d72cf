// Footer-then-chunks reads of Parquet data files (see projected_read.hpp).
#include "delta/projected_read.hpp"

#include <algorithm>
#include <cstring>

#include "parquet/file_metadata.hpp"

namespace sl::delta {

namespace {

constexpr uint64_t k_whole_below = 1ull << 20;     // smaller files: one GET
constexpr uint64_t k_tail_guess = 64ull << 10;     // usually the whole footer
constexpr uint64_t k_coalesce_gap = 1ull << 20;    // a gap cheaper to fetch than a request

struct Range {
  uint64_t begin = 0, end = 0;
};

}  // namespace

Result<std::string> read_projected(const Storage& storage, std::string_view path, uint64_t size,
                                   const std::vector<std::string>& columns,
                                   ProjectedReadStats* stats) {
  ProjectedReadStats local;
  ProjectedReadStats& counted = stats ? *stats : local;
  auto whole = [&]() -> Result<std::string> {
    ++counted.requests;
    SL_ASSIGN_OR_RETURN(auto bytes, storage.read(path));
    counted.bytes_fetched += bytes.size();
    return bytes;
  };
  if (!storage.prefers_ranged_reads() || size < k_whole_below) return whole();

  auto fetch = [&](uint64_t offset, uint64_t length) -> Result<std::string> {
    ++counted.requests;
    SL_ASSIGN_OR_RETURN(auto bytes, storage.read_range(path, offset, length));
    counted.bytes_fetched += bytes.size();
    return bytes;
  };
  uint64_t tail_length = std::min(size, k_tail_guess);
  SL_ASSIGN_OR_RETURN(auto tail, fetch(size - tail_length, tail_length));
  // Anything unexpected (a size that disagrees with the log, a damaged footer): the whole file,
  // for the reader to judge and name the problem.
  if (tail.size() != tail_length) return whole();
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, tail.data() + tail.size() - 8, 4);
  if (static_cast<uint64_t>(footer_length) + 12 > size) return whole();
  if (footer_length + 8ull > tail_length) {
    tail_length = footer_length + 8ull;
    SL_ASSIGN_OR_RETURN(tail, fetch(size - tail_length, tail_length));
    if (tail.size() != tail_length) return whole();
  }
  auto metadata = parquet::decode_file_metadata(
      std::string_view(tail).substr(tail.size() - 8 - footer_length, footer_length));
  if (!metadata) return whole();

  std::vector<Range> ranges{{0, 4}};  // the leading magic
  for (const auto& group : metadata->row_groups) {
    for (const auto& chunk : group.columns) {
      const auto& meta = chunk.meta_data;
      if (meta.path_in_schema.empty() ||
          std::find(columns.begin(), columns.end(), meta.path_in_schema[0]) == columns.end())
        continue;
      // Some writers put 0 in dictionary_page_offset when there is no dictionary.
      const int64_t dictionary = meta.dictionary_page_offset.value_or(0);
      const int64_t begin = dictionary > 0 && dictionary < meta.data_page_offset
                                ? dictionary
                                : meta.data_page_offset;
      if (begin < 0 || meta.total_compressed_size < 0 ||
          static_cast<uint64_t>(begin) + static_cast<uint64_t>(meta.total_compressed_size) > size)
        return whole();
      ranges.push_back({static_cast<uint64_t>(begin),
                        static_cast<uint64_t>(begin + meta.total_compressed_size)});
    }
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  std::vector<Range> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.begin <= merged.back().end + k_coalesce_gap) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  std::string file(size, '\0');
  std::memcpy(file.data() + (size - tail_length), tail.data(), tail_length);
  for (const auto& r : merged) {
    const uint64_t end = std::min(r.end, size - tail_length);  // the tail is already here
    if (r.begin >= end) continue;
    SL_ASSIGN_OR_RETURN(auto bytes, fetch(r.begin, end - r.begin));
    if (bytes.size() != end - r.begin) return whole();
    std::memcpy(file.data() + r.begin, bytes.data(), bytes.size());
  }
  return file;
}

}  // namespace sl::delta
