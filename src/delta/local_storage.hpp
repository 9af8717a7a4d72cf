// LocalStorage: Storage on a local POSIX filesystem, rooted at a directory.
//
// put_if_absent: write `.<name>.<uuid>.tmp` beside the target (O_CREAT|O_EXCL), fsync, link(2)
// it to the target (fails with EEXIST if the target exists: atomic put-if-absent, safe across
// processes), unlink the temporary, fsync the directory. put: the same with rename(2).
// Temporary names start with '.', so listings (which skip dot files) never show them, and a
// crash leaves at most an invisible temporary behind.
#pragma once

#include <filesystem>

#include "delta/storage.hpp"

namespace sl::delta {

class LocalStorage final : public Storage {
 public:
  explicit LocalStorage(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }

  Result<std::string> read(std::string_view path) const override;
  Result<FileInfo> stat(std::string_view path) const override;
  Result<std::vector<FileInfo>> list_from(std::string_view dir,
                                          std::string_view first_name) const override;
  Result<std::vector<FileInfo>> list_recursive(std::string_view dir) const override;
  Result<PutOutcome> put_if_absent(std::string_view path, std::string_view bytes) override;
  Status put(std::string_view path, std::string_view bytes) override;
  Status remove(std::string_view path) override;
  std::string describe(std::string_view path) const override;
  std::string local_file(std::string_view path) const override { return full(path).string(); }

 private:
  std::filesystem::path full(std::string_view path) const { return root_ / path; }
  // Writes `bytes` to a fresh temporary beside `target`, fsynced; returns its path.
  Result<std::filesystem::path> write_temporary(const std::filesystem::path& target,
                                                std::string_view bytes) const;

  std::filesystem::path root_;
};

}  // namespace sl::delta
