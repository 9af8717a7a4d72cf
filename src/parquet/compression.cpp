// Codec dispatch over libsnappy, zlib, libzstd and liblz4 (block format).
#include "parquet/compression.hpp"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

namespace sl::parquet {

Result<Codec> parse_codec(std::string_view name) {
  if (name == "snappy") return Codec::snappy;
  if (name == "zstd") return Codec::zstd;
  if (name == "gzip") return Codec::gzip;
  if (name == "lz4_raw" || name == "lz4") return Codec::lz4_raw;
  if (name == "none" || name == "uncompressed") return Codec::uncompressed;
  return make_error(
      Errc::invalid_argument,
      "parquet: codec '" + std::string(name) + "' is not one of snappy, zstd, gzip, lz4_raw, none");
}

std::string_view codec_name(Codec codec) {
  switch (codec) {
    case Codec::uncompressed:
      return "UNCOMPRESSED";
    case Codec::snappy:
      return "SNAPPY";
    case Codec::gzip:
      return "GZIP";
    case Codec::lzo:
      return "LZO";
    case Codec::brotli:
      return "BROTLI";
    case Codec::lz4:
      return "LZ4";
    case Codec::zstd:
      return "ZSTD";
    case Codec::lz4_raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

namespace {

Status gzip_compress(std::string_view input, std::string& out) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip member, as the Parquet spec requires for GZIP.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return make_error(Errc::internal, "parquet: gzip deflateInit2 failed");
  }
  out.resize(deflateBound(&zs, input.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return make_error(Errc::internal, "parquet: gzip deflate failed");
  return {};
}

Status gzip_decompress(std::string_view input, size_t size, std::string& out) {
  out.resize(size);
  size_t produced = 0;
  // Several concatenated gzip members are allowed (multi-member gzip).
  while (!input.empty() && produced <= size) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
      return make_error(Errc::internal, "parquet: gzip inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    zs.avail_in = static_cast<uInt>(input.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(size - produced);
    int rc = inflate(&zs, Z_FINISH);
    size_t consumed = zs.total_in;
    produced += zs.total_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
      return make_error(Errc::corrupt, "parquet: gzip data is corrupt or longer than declared");
    input.remove_prefix(consumed);
  }
  if (produced != size)
    return make_error(Errc::corrupt, "parquet: gzip data shorter than declared");
  return {};
}

}  // namespace

Status compress(Codec codec, std::string_view input, std::string& out) {
  switch (codec) {
    case Codec::uncompressed:
      out.assign(input);
      return {};
    case Codec::snappy: {
      out.resize(snappy::MaxCompressedLength(input.size()));
      size_t n = 0;
      snappy::RawCompress(input.data(), input.size(), out.data(), &n);
      out.resize(n);
      return {};
    }
    case Codec::zstd: {
      out.resize(ZSTD_compressBound(input.size()));
      size_t n = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), 1);
      if (ZSTD_isError(n))
        return make_error(Errc::internal, std::string("parquet: zstd: ") + ZSTD_getErrorName(n));
      out.resize(n);
      return {};
    }
    case Codec::gzip:
      return gzip_compress(input, out);
    case Codec::lz4_raw: {
      out.resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(input.size()))));
      int n = LZ4_compress_default(input.data(), out.data(), static_cast<int>(input.size()),
                                   static_cast<int>(out.size()));
      if (n <= 0 && !input.empty())
        return make_error(Errc::internal, "parquet: lz4 compression failed");
      out.resize(static_cast<size_t>(n));
      return {};
    }
    default:
      return make_error(Errc::unsupported,
                        "parquet: writing " + std::string(codec_name(codec)) + " is not supported");
  }
}

Status decompress(Codec codec, std::string_view input, size_t size, std::string& out) {
  switch (codec) {
    case Codec::uncompressed:
      if (input.size() != size)
        return make_error(Errc::corrupt, "parquet: page size differs from its header");
      out.assign(input);
      return {};
    case Codec::snappy: {
      size_t n = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &n) || n != size) {
        return make_error(Errc::corrupt,
                          "parquet: snappy block length differs from the page header");
      }
      out.resize(size);
      if (!snappy::RawUncompress(input.data(), input.size(), out.data())) {
        return make_error(Errc::corrupt, "parquet: snappy data is corrupt");
      }
      return {};
    }
    case Codec::zstd: {
      out.resize(size);
      size_t n = ZSTD_decompress(out.data(), size, input.data(), input.size());
      if (ZSTD_isError(n) || n != size)
        return make_error(Errc::corrupt, "parquet: zstd data is corrupt");
      return {};
    }
    case Codec::gzip:
      return gzip_decompress(input, size, out);
    case Codec::lz4_raw: {
      out.resize(size);
      int n = LZ4_decompress_safe(input.data(), out.data(), static_cast<int>(input.size()),
                                  static_cast<int>(size));
      if (n < 0 || static_cast<size_t>(n) != size)
        return make_error(Errc::corrupt, "parquet: lz4 data is corrupt");
      return {};
    }
    default:
      return make_error(Errc::unsupported,
                        "parquet: codec " + std::string(codec_name(codec)) + " is not supported");
  }
}

}  // namespace sl::parquet
