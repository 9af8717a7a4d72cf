// FileSink: a buffered, fsynced file writer.
#include "parquet/byte_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sl::parquet {

namespace {
constexpr size_t k_buffer_size = 1 << 20;
}

Result<std::unique_ptr<FileSink>> FileSink::create(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(errno == EEXIST ? Errc::already_exists : Errc::io,
                      "parquet: cannot create '" + path.string() + "': " + std::strerror(errno));
  }
  return std::unique_ptr<FileSink>(new FileSink(fd, path));
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileSink::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io,
                        "parquet: cannot write '" + path_.string() + "': " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return {};
}

Status FileSink::write(std::string_view bytes) {
  position_ += bytes.size();
  if (buffer_.size() + bytes.size() > k_buffer_size) SL_TRY(flush());
  if (bytes.size() >= k_buffer_size) {
    buffer_.assign(bytes);
    return flush();
  }
  buffer_.append(bytes);
  return {};
}

Status FileSink::close() {
  if (fd_ < 0) return {};
  SL_TRY(flush());
  if (::fsync(fd_) != 0)
    return make_error(Errc::io,
                      "parquet: cannot fsync '" + path_.string() + "': " + std::strerror(errno));
  ::close(fd_);
  fd_ = -1;
  return {};
}

}  // namespace sl::parquet
