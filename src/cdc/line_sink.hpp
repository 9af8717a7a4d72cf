// LineSink: where `sportlake cdc` writes its event lines — stdout or an append-only file, made
// durable before each acknowledgement.
//
// Lines are buffered and written out past 1 MiB (a 1M-row transaction does not sit in memory);
// durable() writes the rest and fsyncs, and is the only thing an acknowledgement may follow.
// rollback() forgets what was written since the last durable() (the file is cut back), for a
// transaction the server will send again. As a RecordSink, each transaction end is made durable
// at once (write + fsync), so take_durable() returns it.
#pragma once

#include <sys/types.h>

#include <string>

#include "cdc/record_sink.hpp"
#include "common/result.hpp"

namespace sl::cdc {

class LineSink final : public RecordSink {
 public:
  // "stdout" or "jsonl:FILE" (appended; /dev/null is neither fsynced nor truncated).
  static Result<LineSink> open(const std::string& spec);
  LineSink(LineSink&& other) noexcept;
  LineSink& operator=(LineSink&&) = delete;
  ~LineSink() override;

  // RecordSink: one line {"topic":...,"key":...,"value":...} per record.
  Status write(std::string_view topic, std::optional<std::string_view> key,
               std::optional<std::string_view> value) override;
  Status end_transaction(const SourcePosition& end) override;
  Result<std::optional<SourcePosition>> take_durable() override;

  std::string& buffer() { return buffer_; }
  // Call after appending a line to buffer().
  Status maybe_write() { return buffer_.size() >= k_write_threshold ? write_out() : Status{}; }
  Status durable() override;
  // Drops the lines of an unfinished transaction. On stdout, lines already written stay (a
  // consumer drops repeats by source.lsn).
  Status rollback() override;

 private:
  static constexpr size_t k_write_threshold = 1 << 20;
  LineSink(int fd, bool owned, bool fsync, bool truncatable)
      : fd_(fd), owned_(owned), fsync_(fsync), truncatable_(truncatable) {}
  Status write_out();

  int fd_;
  bool owned_;
  bool fsync_;
  bool truncatable_;
  off_t durable_size_ = 0;
  std::string buffer_;
  std::optional<SourcePosition> durable_end_;
};

}  // namespace sl::cdc
