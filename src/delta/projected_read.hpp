// Reading only what a projection needs of a Parquet data file, on storages where every request
// is a network round trip (S3): one ranged GET for the footer (the file's tail), then coalesced
// ranged GETs for the projected columns' chunks. The bytes come back as a buffer of the file's
// size in which only those ranges are filled, so the Parquet reader decodes it as the file
// (it touches only the footer and the selected chunks). Elsewhere, and for small files (one
// request is cheaper than two), the whole file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct ProjectedReadStats {
  size_t requests = 0;
  uint64_t bytes_fetched = 0;
};

// `columns`: top-level column names to fetch (empty: the footer only, e.g. to count rows).
// `size`: the file's size from the log (`add.size`).
Result<std::string> read_projected(const Storage& storage, std::string_view path, uint64_t size,
                                   const std::vector<std::string>& columns,
                                   ProjectedReadStats* stats = nullptr);

}  // namespace sl::delta
