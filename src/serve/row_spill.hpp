// RowSpill: rows of a flat RecordBatch written to an unnamed temporary file, read back by range.
//
// Why: the employee page's index (GoldReader::rows_of) used to keep the decoded columns of whole
// tables in memory (~40-60 bytes per Silver activity: ~0.5 GB at 10M activities, twice that
// while a new version was indexed). The rows now wait on local disk, grouped by employee, and
// memory keeps only where each employee's rows start (serve/key_index.hpp). The file has no name
// (O_TMPFILE, else created and unlinked at once): nothing is left behind when the process ends,
// however it ends. Reads are pread(2) of a few KB that the kernel's page cache usually holds.
//
// Format, per row, per column: one byte (1 = a value follows, 0 = null), then the value: bool 1
// byte, int32/date32/float 4, int64/timestamp/decimal ≤ 18 digits/double 8, decimal > 18 digits
// 16, string/binary a 4-byte length and the bytes. Native byte order: the file lives and dies
// with the process. Nested columns (struct, list, map) are not supported (`supports`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::serve {

class RowSpill {
 public:
  // Every column of `schema` can be spilled (no nested type).
  static bool supports(const std::vector<columnar::Field>& schema);
  // A new empty file in `dir` (default: $TMPDIR or /tmp).
  static Result<RowSpill> create(const std::string& dir = {});

  RowSpill(RowSpill&& other) noexcept;
  RowSpill& operator=(RowSpill&& other) noexcept;
  RowSpill(const RowSpill&) = delete;
  RowSpill& operator=(const RowSpill&) = delete;
  ~RowSpill();

  // Appends `batch`'s rows at `rows` (in that order, buffered); returns where they start.
  uint64_t append(const columnar::RecordBatch& batch, const uint32_t* rows, size_t count);
  // Appends rows already in this format (read from another spill by `read_bytes`); returns where
  // they start. How a part is merged from sorted runs without decoding them (key_index.cpp).
  uint64_t append_bytes(std::string_view rows);
  // Writes what is buffered; the file is then read-only.
  Status finish();
  // The `count` rows written at [offset, end) as a batch of `schema`.
  Result<columnar::RecordBatch> read(const std::vector<columnar::Field>& schema, uint64_t offset,
                                     uint64_t end, size_t count) const;
  // The bytes written at [offset, offset + size) into `out` (resized to them).
  Status read_bytes(uint64_t offset, size_t size, std::string& out) const;
  uint64_t size() const { return written_ + buffer_.size(); }

 private:
  explicit RowSpill(int fd) : fd_(fd) {}
  Status flush();

  int fd_ = -1;
  uint64_t written_ = 0;
  std::string buffer_;
};

}  // namespace sl::serve
