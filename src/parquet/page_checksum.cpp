// Page CRC-32 through zlib (the one function that calls it).
#include "parquet/page_checksum.hpp"

#include <fmt/core.h>
#include <zlib.h>

namespace sl::parquet {

uint32_t page_crc(std::string_view stored_page) {
  // crc32_z takes a size_t length (crc32's is 32-bit).
  return static_cast<uint32_t>(crc32_z(crc32_z(0, Z_NULL, 0),
                                       reinterpret_cast<const Bytef*>(stored_page.data()),
                                       stored_page.size()));
}

Status verify_page_crc(const PageHeader& header, std::string_view stored_page) {
  if (!header.crc) return {};
  const uint32_t stored = static_cast<uint32_t>(*header.crc);
  const uint32_t computed = page_crc(stored_page);
  if (stored == computed) return {};
  return make_error(Errc::corrupt,
                    fmt::format("page checksum mismatch: the header says crc {:08x}, the {} bytes "
                                "of the page give {:08x} (the page is damaged)",
                                stored, stored_page.size(), computed));
}

}  // namespace sl::parquet
