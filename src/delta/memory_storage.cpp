// MemoryStorage: the Storage contract over a mutex-protected map.
#include "delta/memory_storage.hpp"

namespace sl::delta {

namespace {
bool directly_under(std::string_view path, std::string_view dir) {
  if (dir.empty()) return path.find('/') == std::string_view::npos;
  return path.size() > dir.size() + 1 && path.substr(0, dir.size()) == dir &&
         path[dir.size()] == '/' && path.find('/', dir.size() + 1) == std::string_view::npos;
}
bool below(std::string_view path, std::string_view dir) {
  return dir.empty() ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}
}  // namespace

Result<std::string> MemoryStorage::read(std::string_view path) const {
  std::lock_guard lock(mutex_);
  auto it = files_.find(path);
  if (it == files_.end()) return make_error(Errc::not_found, "no file " + describe(path));
  return it->second.bytes;
}

Result<FileInfo> MemoryStorage::stat(std::string_view path) const {
  std::lock_guard lock(mutex_);
  auto it = files_.find(path);
  if (it == files_.end()) return make_error(Errc::not_found, "no file " + describe(path));
  return FileInfo{it->first, it->second.bytes.size(), it->second.modification_time_ms};
}

Result<std::vector<FileInfo>> MemoryStorage::list_from(std::string_view dir,
                                                       std::string_view first_name) const {
  std::lock_guard lock(mutex_);
  std::vector<FileInfo> out;
  for (const auto& [path, entry] : files_) {
    if (directly_under(path, dir) &&
        std::string_view(path).substr(path.rfind('/') + 1) >= first_name)
      out.push_back({path, entry.bytes.size(), entry.modification_time_ms});
  }
  return out;
}

Result<std::vector<FileInfo>> MemoryStorage::list_recursive(std::string_view dir) const {
  std::lock_guard lock(mutex_);
  std::vector<FileInfo> out;
  for (const auto& [path, entry] : files_) {
    if (below(path, dir)) out.push_back({path, entry.bytes.size(), entry.modification_time_ms});
  }
  return out;
}

Result<PutOutcome> MemoryStorage::put_if_absent(std::string_view path, std::string_view bytes) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = files_.try_emplace(std::string(path));
  if (!inserted) return PutOutcome::already_exists;
  it->second = {std::string(bytes), clock_ms_++};
  return PutOutcome::created;
}

Status MemoryStorage::put(std::string_view path, std::string_view bytes) {
  std::lock_guard lock(mutex_);
  files_[std::string(path)] = {std::string(bytes), clock_ms_++};
  return {};
}

Status MemoryStorage::remove(std::string_view path) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(path);
  if (it != files_.end()) files_.erase(it);
  return {};
}

void MemoryStorage::set_clock_ms(int64_t now_ms) {
  std::lock_guard lock(mutex_);
  clock_ms_ = now_ms;
}

void MemoryStorage::set_modification_time(std::string_view path, int64_t time_ms) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(path);
  if (it != files_.end()) it->second.modification_time_ms = time_ms;
}

}  // namespace sl::delta
