// Small filesystem helpers with sl::Result errors that name the path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sl::fs {

namespace stdfs = std::filesystem;

Result<std::string> read_file(const stdfs::path& path);
// Writes `content` to a temporary file beside `path`, fsyncs it, renames it over `path`, and
// fsyncs the directory: readers see the old or the new content, never a mix. `mode` is filtered
// by the process umask (sportlake runs with 077: 0600); 0600 for a secret whatever the umask.
Status write_file_atomic(const stdfs::path& path, std::string_view content, unsigned mode = 0644);
Status ensure_directory(const stdfs::path& path);
// fsync of a directory, so a rename or a new entry in it survives a crash.
Status fsync_directory(const stdfs::path& path);

// A directory removed (recursively) when the object goes out of scope; for tests and scratch work.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "sportlake");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const stdfs::path& path() const { return path_; }

 private:
  stdfs::path path_;
};

}  // namespace sl::fs
