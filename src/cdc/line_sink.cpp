// LineSink: buffered, durable, rollback-able event lines on stdout or in a file.
#include "cdc/line_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <cstring>

#include "common/json_writer.hpp"

namespace sl::cdc {

Result<LineSink> LineSink::open(const std::string& spec) {
  if (spec == "stdout") return LineSink(STDOUT_FILENO, false, false, false);
  if (spec.starts_with("jsonl:")) {
    std::string path = spec.substr(6);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
      return make_error(Errc::io, "cdc: cannot open '" + path + "': " + std::strerror(errno));
    const bool regular = path != "/dev/null";
    LineSink sink(fd, true, regular, regular);
    if (regular) sink.durable_size_ = ::lseek(fd, 0, SEEK_END);
    return sink;
  }
  return make_error(Errc::invalid_argument, "cdc: sink '" + spec + "' is not stdout or jsonl:FILE");
}

LineSink::LineSink(LineSink&& other) noexcept
    : fd_(other.fd_),
      owned_(other.owned_),
      fsync_(other.fsync_),
      truncatable_(other.truncatable_),
      durable_size_(other.durable_size_),
      buffer_(std::move(other.buffer_)) {
  other.owned_ = false;
}

LineSink::~LineSink() {
  if (owned_) ::close(fd_);
}

Status LineSink::write(std::string_view topic, std::optional<std::string_view> key,
                       std::optional<std::string_view> value) {
  buffer_ += "{\"topic\":";
  append_json_string(buffer_, topic);
  buffer_ += ",\"key\":";
  buffer_ += key ? *key : std::string_view("null");
  buffer_ += ",\"value\":";
  buffer_ += value ? *value : std::string_view("null");
  buffer_ += "}\n";
  return maybe_write();
}

Status LineSink::end_transaction(const SourcePosition& end) {
  SL_TRY(durable());
  durable_end_ = end;
  return {};
}

Result<std::optional<SourcePosition>> LineSink::take_durable() {
  return std::exchange(durable_end_, std::nullopt);
}

Status LineSink::durable() {
  SL_TRY(write_out());
  if (fsync_ && ::fsync(fd_) != 0)
    return make_error(Errc::io, std::string("cdc: fsync failed: ") + std::strerror(errno));
  if (truncatable_) durable_size_ = ::lseek(fd_, 0, SEEK_END);
  return {};
}

Status LineSink::rollback() {
  buffer_.clear();
  if (truncatable_ && ::ftruncate(fd_, durable_size_) != 0)
    return make_error(Errc::io, std::string("cdc: truncate failed: ") + std::strerror(errno));
  return {};
}

Status LineSink::write_out() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return make_error(Errc::io, std::string("cdc: write failed: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return {};
}

}  // namespace sl::cdc
