// LocalStorage: POSIX implementation of the Storage contract (see local_storage.hpp).
#include "delta/local_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/fault_point.hpp"
#include "common/fs.hpp"
#include "common/uuid.hpp"

namespace sl::delta {

namespace stdfs = std::filesystem;

namespace {

Error os_error(std::string_view what, const stdfs::path& path, int err) {
  return make_error(err == ENOENT ? Errc::not_found : Errc::io,
                    std::string(what) + " '" + path.string() + "': " + std::strerror(err));
}

int64_t mtime_ms(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

bool is_hidden_temporary(const std::string& name) {
  return !name.empty() && name[0] == '.';
}

Status write_all(int fd, std::string_view bytes, const stdfs::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Result<std::string> LocalStorage::read(std::string_view path) const {
  return fs::read_file(full(path));
}

Result<FileInfo> LocalStorage::stat(std::string_view path) const {
  struct stat st {};
  auto p = full(path);
  if (::stat(p.c_str(), &st) != 0) return os_error("stat", p, errno);
  return FileInfo{std::string(path), static_cast<uint64_t>(st.st_size), mtime_ms(st)};
}

Result<std::vector<FileInfo>> LocalStorage::list_from(std::string_view dir,
                                                      std::string_view first_name) const {
  std::vector<FileInfo> out;
  auto base = full(dir);
  std::error_code ec;
  stdfs::directory_iterator it(base, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return out;
    return make_error(Errc::io, "list '" + base.string() + "': " + ec.message());
  }
  std::string prefix = dir.empty() ? "" : std::string(dir) + "/";
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    if (is_hidden_temporary(name) || name < first_name) continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0) {
      if (errno == ENOENT) continue;  // removed while listing
      return os_error("stat", entry.path(), errno);
    }
    if (!S_ISREG(st.st_mode)) continue;
    out.push_back({prefix + name, static_cast<uint64_t>(st.st_size), mtime_ms(st)});
  }
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Result<std::vector<FileInfo>> LocalStorage::list_recursive(std::string_view dir) const {
  std::vector<FileInfo> out;
  auto base = full(dir);
  std::error_code ec;
  stdfs::recursive_directory_iterator it(base, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return out;
    return make_error(Errc::io, "list '" + base.string() + "': " + ec.message());
  }
  for (auto end = stdfs::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) return make_error(Errc::io, "list '" + base.string() + "': " + ec.message());
    if (!it->is_regular_file(ec)) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    out.push_back({stdfs::relative(it->path(), root_).generic_string(),
                   static_cast<uint64_t>(st.st_size), mtime_ms(st)});
  }
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Result<stdfs::path> LocalStorage::write_temporary(const stdfs::path& target,
                                                  std::string_view bytes) const {
  SL_TRY(fs::ensure_directory(target.parent_path()));
  auto temporary =
      target.parent_path() / ("." + target.filename().string() + "." + random_uuid() + ".tmp");
  int fd = ::open(temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return os_error("create", temporary, errno);
  Status written = write_all(fd, bytes, temporary);
  if (written.ok() && ::fsync(fd) != 0) written = os_error("fsync", temporary, errno);
  ::close(fd);
  if (!written.ok()) {
    ::unlink(temporary.c_str());
    return written.error();
  }
  return temporary;
}

Result<PutOutcome> LocalStorage::put_if_absent(std::string_view path, std::string_view bytes) {
  auto target = full(path);
  SL_ASSIGN_OR_RETURN(auto temporary, write_temporary(target, bytes));
  // link(2) publishes the complete file under its final name, or fails if the name is taken.
  int rc = ::link(temporary.c_str(), target.c_str());
  int err = errno;
  ::unlink(temporary.c_str());
  if (rc != 0) {
    if (err == EEXIST) return PutOutcome::already_exists;
    return os_error("link", target, err);
  }
  SL_TRY(fs::fsync_directory(target.parent_path()));
  return PutOutcome::created;
}

Status LocalStorage::put(std::string_view path, std::string_view bytes) {
  auto target = full(path);
  SL_ASSIGN_OR_RETURN(auto temporary, write_temporary(target, bytes));
  fault_point("storage.put.before_rename", path);
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    int err = errno;
    ::unlink(temporary.c_str());
    return os_error("rename", target, err);
  }
  return fs::fsync_directory(target.parent_path());
}

Status LocalStorage::remove(std::string_view path) {
  auto target = full(path);
  if (::unlink(target.c_str()) != 0 && errno != ENOENT) return os_error("remove", target, errno);
  return {};
}

std::string LocalStorage::describe(std::string_view path) const {
  return path.empty() ? root_.string() : full(path).string();
}

}  // namespace sl::delta
