// Rows of a flat batch spilled to an unnamed temporary file (see row_spill.hpp).
#include "serve/row_spill.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sl::serve {

namespace {

using columnar::TypeId;

constexpr size_t k_flush_bytes = 1u << 20;

Error io_error(const std::string& what) {
  return make_error(Errc::io, "row spill: " + what + ": " + std::strerror(errno));
}

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// The value bytes of a fixed-width column's row.
size_t fixed_width(const columnar::DataType& t) {
  switch (t.id) {
    case TypeId::boolean: return 1;
    case TypeId::int32:
    case TypeId::date32:
    case TypeId::float32: return 4;
    case TypeId::int64:
    case TypeId::timestamp_us:
    case TypeId::float64: return 8;
    case TypeId::decimal: return columnar::is_wide_decimal(t) ? 16 : 8;
    default: return 0;  // string, binary: a length first
  }
}

void put_value(std::string& out, const columnar::Column& c, size_t row) {
  switch (c.type.id) {
    case TypeId::boolean: out.push_back(static_cast<char>(c.bools[row])); break;
    case TypeId::int32:
    case TypeId::date32: put(out, c.i32[row]); break;
    case TypeId::float32: put(out, c.f32[row]); break;
    case TypeId::float64: put(out, c.f64[row]); break;
    case TypeId::decimal:
      if (columnar::is_wide_decimal(c.type)) {
        put(out, c.i128[row]);
        break;
      }
      [[fallthrough]];
    case TypeId::int64:
    case TypeId::timestamp_us: put(out, c.i64[row]); break;
    default: {  // string, binary
      const auto v = c.string_at(row);
      put(out, static_cast<uint32_t>(v.size()));
      out.append(v);
    }
  }
}

template <typename T>
T get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

bool RowSpill::supports(const std::vector<columnar::Field>& schema) {
  for (const auto& f : schema)
    if (f.type.id == TypeId::struct_ || f.type.id == TypeId::list || f.type.id == TypeId::map)
      return false;
  return true;
}

Result<RowSpill> RowSpill::create(const std::string& dir) {
  std::string where = dir;
  if (where.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    where = tmp && *tmp ? tmp : "/tmp";
  }
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string name = where + "/sportlake-serve-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
  }
  if (fd < 0) return io_error("a temporary file in " + where);
  return RowSpill(fd);
}

RowSpill::RowSpill(RowSpill&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      written_(other.written_),
      buffer_(std::move(other.buffer_)) {}

RowSpill& RowSpill::operator=(RowSpill&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    written_ = other.written_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

RowSpill::~RowSpill() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t RowSpill::append(const columnar::RecordBatch& batch, const uint32_t* rows,
                          size_t count) {
  const uint64_t start = size();
  for (size_t i = 0; i < count; ++i)
    for (const auto& c : batch.columns) {
      const bool valid = c.is_valid(rows[i]);
      buffer_.push_back(valid ? 1 : 0);
      if (valid) put_value(buffer_, c, rows[i]);
    }
  if (buffer_.size() >= k_flush_bytes) (void)flush();  // an error shows again in finish()
  return start;
}

uint64_t RowSpill::append_bytes(std::string_view rows) {
  const uint64_t start = size();
  buffer_.append(rows);
  if (buffer_.size() >= k_flush_bytes) (void)flush();  // an error shows again in finish()
  return start;
}

Status RowSpill::read_bytes(uint64_t offset, size_t size, std::string& out) const {
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n =
        ::pread(fd_, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("read");
    done += static_cast<size_t>(n);
  }
  return {};
}

Status RowSpill::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                               static_cast<off_t>(written_ + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write");
    }
    done += static_cast<size_t>(n);
  }
  written_ += done;
  buffer_.clear();
  return {};
}

Status RowSpill::finish() {
  SL_TRY(flush());
  buffer_.shrink_to_fit();
  return {};
}

Result<columnar::RecordBatch> RowSpill::read(const std::vector<columnar::Field>& schema,
                                             uint64_t offset, uint64_t end, size_t count) const {
  std::string bytes;
  SL_TRY(read_bytes(offset, end - offset, bytes));
  columnar::RecordBatch batch;
  batch.schema = schema;
  for (const auto& f : schema) batch.columns.push_back(columnar::Column::for_field(f));
  const char* p = bytes.data();
  const char* const stop = p + bytes.size();
  const auto damaged = [] { return make_error(Errc::corrupt, "row spill: rows cut short"); };
  for (size_t r = 0; r < count; ++r)
    for (auto& c : batch.columns) {
      if (p >= stop) return damaged();
      if (*p++ == 0) {
        c.append_null();
        continue;
      }
      size_t width = fixed_width(c.type);
      if (width == 0) {  // string, binary
        if (stop - p < 4) return damaged();
        width = get<uint32_t>(p);
        p += 4;
        if (static_cast<size_t>(stop - p) < width) return damaged();
        c.append_string(std::string_view(p, width));
        p += width;
        continue;
      }
      if (static_cast<size_t>(stop - p) < width) return damaged();
      switch (c.type.id) {
        case TypeId::boolean: c.append_bool(*p != 0); break;
        case TypeId::int32:
        case TypeId::date32: c.append_i32(get<int32_t>(p)); break;
        case TypeId::float32: c.append_f32(get<float>(p)); break;
        case TypeId::float64: c.append_f64(get<double>(p)); break;
        default:
          if (width == 16)
            c.append_i128(get<__int128>(p));
          else
            c.append_i64(get<int64_t>(p));
      }
      p += width;
    }
  if (p != stop) return damaged();
  batch.num_rows = count;
  return batch;
}

}  // namespace sl::serve
