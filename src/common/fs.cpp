// Filesystem helpers: whole-file reads, atomic replacement, directory fsync, scratch folders.
#include "common/fs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

namespace sl::fs {

namespace {
Error io_error(const stdfs::path& path, std::string_view what) {
  return make_error(Errc::io,
                    std::string(what) + " '" + path.string() + "': " + std::strerror(errno));
}
}  // namespace

Result<std::string> read_file(const stdfs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such file '" + path.string() + "'");
    return io_error(path, "cannot open");
  }
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = io_error(path, "cannot read");
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status fsync_directory(const stdfs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(path, "cannot open directory");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error(path, "cannot fsync directory");
  return {};
}

Status write_file_atomic(const stdfs::path& path, std::string_view content, unsigned mode) {
  stdfs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  // A temporary file left by a crashed writer may carry wider permissions: start afresh, so the
  // file is created with `mode` (a private file is never readable by others, even for a moment).
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return io_error(tmp, "cannot create");
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = io_error(tmp, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto err = io_error(tmp, "cannot fsync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = io_error(path, "cannot rename into");
    ::unlink(tmp.c_str());
    return err;
  }
  auto parent = path.parent_path();
  return fsync_directory(parent.empty() ? stdfs::path(".") : parent);
}

Status ensure_directory(const stdfs::path& path) {
  std::error_code ec;
  stdfs::create_directories(path, ec);
  if (ec)
    return make_error(Errc::io, "cannot create directory '" + path.string() + "': " + ec.message());
  return {};
}

TempDir::TempDir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/" + std::string(prefix) + ".XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory: " +
                             std::string(std::strerror(errno)));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  stdfs::remove_all(path_, ec);
}

}  // namespace sl::fs
