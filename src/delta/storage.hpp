// Storage: the only way the Delta kernel touches bytes. One instance is rooted at a table's
// directory; every path is relative to it, '/'-separated, never starting with '/'.
//
// Contract (what the kernel relies on):
// - put_if_absent(path, bytes) is atomic and durable: when it returns `created`, the whole
//   content is on stable storage and visible; a concurrent reader sees no file or all of it;
//   of two concurrent calls on one path exactly one gets `created`, the other `already_exists`
//   (this is the commit's mutual exclusion: Delta log files are never overwritten).
// - put(path, bytes) replaces atomically (old or new content, never a mix): checkpoints,
//   `_last_checkpoint`, data files written under fresh unique names.
// - list(dir) returns the files directly under `dir` sorted by name (names only, no dirs),
//   leaving out in-flight temporary files; a missing directory is an empty list.
//   list_from(dir, first_name) returns only the names ≥ `first_name`: the log is listed from a
//   checkpoint on, and an implementation should skip the older entries cheaply (no stat, or an
//   object store's start-after).
//   list_recursive(dir) returns every file below `dir` with paths relative to the root.
// - read_range(path, offset, length): a slice, for readers that need only part of a file (the
//   Parquet footer and projected column chunks on object storage).
// - read of a missing file is Errc::not_found; remove of a missing file succeeds.
// Errors are Errc::io (retryable) unless stated; messages name the path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sl::delta {

class FooterCache;

struct FileInfo {
  std::string path;  // relative to the storage root
  uint64_t size = 0;
  int64_t modification_time_ms = 0;
};

enum class PutOutcome { created, already_exists };

class Storage {
 public:
  virtual ~Storage() = default;

  virtual Result<std::string> read(std::string_view path) const = 0;
  // `length` bytes from `offset` (fewer at the end of the file). The default reads the whole file:
  // right for local files; an object store fetches only the range.
  virtual Result<std::string> read_range(std::string_view path, uint64_t offset,
                                         uint64_t length) const {
    SL_ASSIGN_OR_RETURN(auto bytes, read(path));
    if (offset >= bytes.size()) return std::string();
    return bytes.substr(offset, length);
  }
  // Whether a reader should fetch a data file's footer and projected column chunks by ranges
  // rather than the whole file (true where every request is a network round trip).
  virtual bool prefers_ranged_reads() const { return false; }
  // How many reads a scan may have in flight at once on this storage (network stores: several,
  // to overlap round trips; local files: 1, the page cache is faster than threads).
  virtual int max_parallel_reads() const { return 1; }
  // The path of `path` in the local file system when the storage is a folder (empty otherwise):
  // a reader may then map the file instead of copying it, and touch only the pages it decodes.
  virtual std::string local_file(std::string_view /*path*/) const { return {}; }
  // The process's cache of Parquet footers for this storage's files, if it keeps one.
  virtual FooterCache* footer_cache() const { return nullptr; }
  virtual Result<FileInfo> stat(std::string_view path) const = 0;
  virtual Result<std::vector<FileInfo>> list_from(std::string_view dir,
                                                  std::string_view first_name) const = 0;
  Result<std::vector<FileInfo>> list(std::string_view dir) const { return list_from(dir, ""); }
  virtual Result<std::vector<FileInfo>> list_recursive(std::string_view dir) const = 0;
  virtual Result<PutOutcome> put_if_absent(std::string_view path, std::string_view bytes) = 0;
  virtual Status put(std::string_view path, std::string_view bytes) = 0;
  virtual Status remove(std::string_view path) = 0;
  // A human-readable location for messages ("/data/lake/bronze/x", "memory:").
  virtual std::string describe(std::string_view path) const = 0;
};

}  // namespace sl::delta
