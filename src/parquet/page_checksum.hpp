// Page checksums (parquet.thrift PageHeader field 4 `crc`): the standard CRC-32 (polynomial
// 0x04C11DB7 reflected, as zlib's crc32() and gzip compute it) of the page's bytes after its
// header, exactly as stored: the compressed body of a v1 or dictionary page; for a v2 page the
// uncompressed level sections followed by the (possibly compressed) values. The header itself is
// not covered. Stored as the i32 with the same bits.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::parquet {

uint32_t page_crc(std::string_view stored_page);

// A page whose header carries a crc must match it (Errc::corrupt, giving both values); a page
// without one (most writers do not write them) passes.
Status verify_page_crc(const PageHeader& header, std::string_view stored_page);

}  // namespace sl::parquet
