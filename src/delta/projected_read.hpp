// Reading only what a projection needs of a Parquet data file, on storages where every request
// is a network round trip (S3): one ranged GET for the footer (the file's tail; none when the
// storage's FooterCache has it), then coalesced ranged GETs for the projected columns' chunks,
// several in flight at once. The bytes come back as a buffer of the file's size in which only
// those ranges are filled, so the Parquet reader decodes it as the file (it touches only the
// footer and the selected chunks). Elsewhere, and for small files (one request is cheaper than
// two), the whole file.
//
// Steps:
// 1. the tail: from the cache, else one GET of the last 64 KiB (a second one only for a larger
//    footer), then remembered in the cache;
// 2. the chunk ranges of the projected columns from the footer, sorted, merged across gaps
//    under 1 MiB (a gap is cheaper to fetch than a request);
// 3. the merged ranges fetched in parallel, each request holding a slot of the `RequestGate`
//    (the bound on requests in flight shared by every file of a scan).
#pragma once

#include <cstdint>
#include <semaphore>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct ProjectedReadStats {
  size_t requests = 0;
  uint64_t bytes_fetched = 0;
  bool footer_cached = false;
};

// At most `limit` requests in flight among the threads sharing it.
class RequestGate {
 public:
  explicit RequestGate(int limit) : slots_(std::max(limit, 1)) {}
  void acquire() { slots_.acquire(); }
  void release() { slots_.release(); }

 private:
  std::counting_semaphore<1024> slots_;
};

// `columns`: column names or dotted paths to fetch ("id", "add.path" fetches the leaves below
// it); empty: the footer only, e.g. to count rows. `size`: the file's size from the log
// (`add.size`). `gate`: shared bound on requests in flight (null: one of the storage's
// `max_parallel_reads()` for this file alone).
Result<std::string> read_projected(const Storage& storage, std::string_view path, uint64_t size,
                                   const std::vector<std::string>& columns,
                                   ProjectedReadStats* stats = nullptr,
                                   RequestGate* gate = nullptr);

}  // namespace sl::delta
