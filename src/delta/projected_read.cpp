// Footer-then-chunks reads of Parquet data files (see projected_read.hpp).
#include "delta/projected_read.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "delta/footer_cache.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::delta {

namespace {

constexpr uint64_t k_whole_below = 1ull << 20;   // smaller files: one GET
constexpr uint64_t k_tail_guess = 64ull << 10;   // usually the whole footer
constexpr uint64_t k_coalesce_gap = 1ull << 20;  // a gap cheaper to fetch than a request

struct Range {
  uint64_t begin = 0, end = 0;
};

// Whether a column chunk's path ("add", "path") is wanted: a wanted name equals its dotted path
// or one of its prefixes ("add" or "add.path").
bool wanted(const std::vector<std::string>& path, const std::vector<std::string>& columns) {
  std::string dotted;
  for (const auto& part : path) {
    if (!dotted.empty()) dotted += '.';
    dotted += part;
    if (std::find(columns.begin(), columns.end(), dotted) != columns.end()) return true;
  }
  return false;
}

}  // namespace

Result<std::string> read_projected(const Storage& storage, std::string_view path, uint64_t size,
                                   const std::vector<std::string>& columns,
                                   ProjectedReadStats* stats, RequestGate* gate) {
  ProjectedReadStats local;
  ProjectedReadStats& counted = stats ? *stats : local;
  std::mutex counted_mutex;
  std::optional<RequestGate> own_gate;
  if (!gate) gate = &own_gate.emplace(storage.max_parallel_reads());
  auto count = [&](uint64_t bytes) {
    std::lock_guard lock(counted_mutex);
    ++counted.requests;
    counted.bytes_fetched += bytes;
  };
  auto whole = [&]() -> Result<std::string> {
    gate->acquire();
    auto bytes = storage.read(path);
    gate->release();
    if (!bytes) return bytes.error();
    count(bytes->size());
    return bytes;
  };
  if (!storage.prefers_ranged_reads() || size < k_whole_below) return whole();

  auto fetch = [&](uint64_t offset, uint64_t length) -> Result<std::string> {
    gate->acquire();
    auto bytes = storage.read_range(path, offset, length);
    gate->release();
    if (!bytes) return bytes.error();
    count(bytes->size());
    return bytes;
  };
  FooterCache* cache = storage.footer_cache();
  const std::string location = cache ? storage.describe(path) : std::string();
  std::shared_ptr<const std::string> tail;
  if (auto hit = cache ? cache->find(location, size) : std::nullopt) {
    tail = *hit;
    counted.footer_cached = true;
  } else {
    uint64_t tail_length = std::min(size, k_tail_guess);
    SL_ASSIGN_OR_RETURN(auto bytes, fetch(size - tail_length, tail_length));
    // Anything unexpected (a size that disagrees with the log, a damaged footer): the whole file,
    // for the reader to judge and name the problem.
    if (bytes.size() != tail_length) return whole();
    uint32_t footer_length = 0;
    std::memcpy(&footer_length, bytes.data() + bytes.size() - 8, 4);
    if (static_cast<uint64_t>(footer_length) + 12 > size) return whole();
    if (footer_length + 8ull > tail_length) {
      tail_length = footer_length + 8ull;
      SL_ASSIGN_OR_RETURN(bytes, fetch(size - tail_length, tail_length));
      if (bytes.size() != tail_length) return whole();
    }
    tail = std::make_shared<const std::string>(std::move(bytes));
  }
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, tail->data() + tail->size() - 8, 4);
  auto metadata = parquet::decode_file_metadata(
      std::string_view(*tail).substr(tail->size() - 8 - footer_length, footer_length));
  if (!metadata) return whole();
  // Only the footer itself is worth keeping (the 64 KiB guess may hold column data too).
  if (cache && !counted.footer_cached)
    cache->insert(location, size, tail->substr(tail->size() - 8 - footer_length));

  std::vector<Range> ranges{{0, 4}};  // the leading magic
  for (const auto& group : metadata->row_groups) {
    for (const auto& chunk : group.columns) {
      const auto& meta = chunk.meta_data;
      if (meta.path_in_schema.empty() || !wanted(meta.path_in_schema, columns)) continue;
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
  const uint64_t have_from = size - tail->size();  // the tail is already here
  std::vector<Range> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.begin <= merged.back().end + k_coalesce_gap) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  std::vector<Range> needed;
  for (auto r : merged) {
    r.end = std::min(r.end, have_from);
    if (r.begin < r.end) needed.push_back(r);
  }
  std::string file(size, '\0');
  std::memcpy(file.data() + have_from, tail->data(), tail->size());
  // The ranges are disjoint: each thread fills its own part of `file`.
  std::vector<Status> fetched(needed.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < needed.size(); i = next++) {
      const Range& r = needed[i];
      auto bytes = fetch(r.begin, r.end - r.begin);
      if (!bytes) {
        fetched[i] = bytes.error();
      } else if (bytes->size() != r.end - r.begin) {
        fetched[i] = make_error(Errc::corrupt, "short range");
      } else {
        std::memcpy(file.data() + r.begin, bytes->data(), bytes->size());
      }
    }
  };
  const size_t threads =
      std::min<size_t>(needed.size(), static_cast<size_t>(std::max(storage.max_parallel_reads(), 1)));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& s : fetched) {
    if (s.ok()) continue;
    if (s.error().code == Errc::corrupt) return whole();
    return s.error();
  }
  return file;
}

}  // namespace sl::delta
