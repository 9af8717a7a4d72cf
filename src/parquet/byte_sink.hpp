// ByteSink: where a Parquet file's bytes go — a local file or memory (Delta checkpoints, tests).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sl::parquet {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(std::string_view bytes) = 0;
  // Bytes written so far (file offsets in the metadata are positions).
  virtual uint64_t position() const = 0;
  // Flushes and, for files, fsyncs: after close() returns ok the bytes are durable.
  virtual Status close() = 0;
};

class MemorySink final : public ByteSink {
 public:
  Status write(std::string_view bytes) override {
    data_.append(bytes);
    return {};
  }
  uint64_t position() const override { return data_.size(); }
  Status close() override { return {}; }
  const std::string& data() const { return data_; }
  std::string take() { return std::move(data_); }

 private:
  std::string data_;
};

// Buffered writes to a new file (O_EXCL: never overwrites), fsync on close.
class FileSink final : public ByteSink {
 public:
  static Result<std::unique_ptr<FileSink>> create(const std::filesystem::path& path);
  ~FileSink() override;
  Status write(std::string_view bytes) override;
  uint64_t position() const override { return position_; }
  Status close() override;

 private:
  FileSink(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  Status flush();
  int fd_;
  std::filesystem::path path_;
  std::string buffer_;
  uint64_t position_ = 0;
};

}  // namespace sl::parquet
