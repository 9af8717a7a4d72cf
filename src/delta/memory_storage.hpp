// MemoryStorage: Storage in a map, for tests (thread-safe; modification times from a counter
// or set explicitly, so time travel and retention are testable without sleeping).
#pragma once

#include <map>
#include <mutex>

#include "delta/storage.hpp"

namespace sl::delta {

class MemoryStorage final : public Storage {
 public:
  Result<std::string> read(std::string_view path) const override;
  Result<FileInfo> stat(std::string_view path) const override;
  Result<std::vector<FileInfo>> list_from(std::string_view dir,
                                          std::string_view first_name) const override;
  Result<std::vector<FileInfo>> list_recursive(std::string_view dir) const override;
  Result<PutOutcome> put_if_absent(std::string_view path, std::string_view bytes) override;
  Status put(std::string_view path, std::string_view bytes) override;
  Status remove(std::string_view path) override;
  std::string describe(std::string_view path) const override {
    return "memory:" + std::string(path);
  }

  // The modification time given to the next file written (ms); advances by 1 per write.
  void set_clock_ms(int64_t now_ms);
  void set_modification_time(std::string_view path, int64_t time_ms);

 private:
  struct Entry {
    std::string bytes;
    int64_t modification_time_ms = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> files_;
  int64_t clock_ms_ = 1'700'000'000'000;
};

}  // namespace sl::delta
