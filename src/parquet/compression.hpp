// Page compression codecs: SNAPPY, GZIP, ZSTD, LZ4_RAW, BROTLI or none (and, on read only, the
// deprecated Hadoop-framed LZ4).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::parquet {

// Parses "snappy", "zstd", "gzip", "lz4_raw"/"lz4", "brotli", "none"/"uncompressed".
Result<Codec> parse_codec(std::string_view name);
std::string_view codec_name(Codec codec);

// Compresses `input` into `out` (replacing its content; its capacity is reused across pages).
Status compress(Codec codec, std::string_view input, std::string& out);
// Decompresses into exactly `uncompressed_size` bytes; a size mismatch is Errc::corrupt.
Status decompress(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out);
// The same into `out`, which the caller sized (a reused buffer is then neither resized nor
// zeroed).
Status decompress(Codec codec, std::string_view input, std::span<char> out);

}  // namespace sl::parquet
