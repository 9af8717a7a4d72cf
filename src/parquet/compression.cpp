// Codec dispatch over libsnappy (compression only: snappy_decoder.hpp decompresses), zlib,
// libzstd, liblz4 (block format) and libbrotli.
#include "parquet/compression.hpp"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "parquet/snappy_decoder.hpp"

namespace sl::parquet {

Result<Codec> parse_codec(std::string_view name) {
  if (name == "snappy") return Codec::snappy;
  if (name == "zstd") return Codec::zstd;
  if (name == "gzip") return Codec::gzip;
  if (name == "lz4_raw" || name == "lz4") return Codec::lz4_raw;
  if (name == "brotli") return Codec::brotli;
  if (name == "none" || name == "uncompressed") return Codec::uncompressed;
  return make_error(Errc::invalid_argument,
                    "parquet: codec '" + std::string(name) +
                        "' is not one of snappy, zstd, gzip, lz4_raw, brotli, none");
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

Status gzip_decompress(std::string_view input, char* out, size_t size) {
  size_t produced = 0;
  // Several concatenated gzip members are allowed (multi-member gzip).
  while (!input.empty() && produced <= size) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
      return make_error(Errc::internal, "parquet: gzip inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    zs.avail_in = static_cast<uInt>(input.size());
    zs.next_out = reinterpret_cast<Bytef*>(out + produced);
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

// Brotli quality of Arrow's and parquet-java's default (8 of 0..11): most of the ratio of the
// slow levels at a fraction of their time.
constexpr int k_brotli_quality = 8;

Status brotli_compress(std::string_view input, std::string& out) {
  size_t n = BrotliEncoderMaxCompressedSize(input.size());
  if (n == 0) return make_error(Errc::internal, "parquet: page too large for brotli");
  out.resize(n);
  if (!BrotliEncoderCompress(k_brotli_quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                             input.size(), reinterpret_cast<const uint8_t*>(input.data()), &n,
                             reinterpret_cast<uint8_t*>(out.data()))) {
    return make_error(Errc::internal, "parquet: brotli compression failed");
  }
  out.resize(n);
  return {};
}

Status brotli_decompress(std::string_view input, char* out, size_t size) {
  size_t produced = size;
  auto rc = BrotliDecoderDecompress(input.size(), reinterpret_cast<const uint8_t*>(input.data()),
                                    &produced, reinterpret_cast<uint8_t*>(out));
  if (rc != BROTLI_DECODER_RESULT_SUCCESS || produced != size)
    return make_error(Errc::corrupt, "parquet: brotli data is corrupt or longer than declared");
  return {};
}

bool lz4_block(std::string_view input, char* out, size_t size) {
  if (input.size() > INT32_MAX || size > INT32_MAX) return false;
  int n = LZ4_decompress_safe(input.data(), out, static_cast<int>(input.size()),
                              static_cast<int>(size));
  return n >= 0 && static_cast<size_t>(n) == size;
}

uint32_t big_endian_u32(const char* p) {
  return (uint32_t{static_cast<uint8_t>(p[0])} << 24) |
         (uint32_t{static_cast<uint8_t>(p[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(p[2])} << 8) | uint32_t{static_cast<uint8_t>(p[3])};
}

// The deprecated LZ4 codec, as parquet-java (Hadoop's Lz4Codec) writes it:
//   frame := (u32be uncompressed size, u32be compressed size, LZ4 block)+
// Older parquet-cpp wrote a bare LZ4 block under the same label; like Arrow, a body that does not
// parse as Hadoop frames is tried as one block.
Status lz4_hadoop_decompress(std::string_view input, char* out, size_t size) {
  std::string_view rest = input;
  size_t produced = 0;
  bool framed = !rest.empty();
  while (framed && !rest.empty()) {
    if (rest.size() < 8) {
      framed = false;
      break;
    }
    uint32_t raw = big_endian_u32(rest.data()), packed = big_endian_u32(rest.data() + 4);
    rest.remove_prefix(8);
    if (packed > rest.size() || raw > size - produced ||
        !lz4_block(rest.substr(0, packed), out + produced, raw)) {
      framed = false;
      break;
    }
    produced += raw;
    rest.remove_prefix(packed);
  }
  if (framed && produced == size) return {};
  if (lz4_block(input, out, size)) return {};
  return make_error(Errc::corrupt,
                    "parquet: LZ4 data is corrupt (neither Hadoop frames nor a block)");
}

// This thread's decompression context, reused from page to page: ZSTD_decompress creates one per
// call (allocated and initialised: ~100 KB), for pages of a few hundred KB. Null if it cannot be
// allocated.
ZSTD_DCtx* thread_zstd_context() {
  thread_local const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(),
                                                                                 &ZSTD_freeDCtx);
  return context.get();
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
    case Codec::brotli:
      return brotli_compress(input, out);
    default:
      return make_error(Errc::unsupported,
                        "parquet: writing " + std::string(codec_name(codec)) + " is not supported");
  }
}

Status decompress(Codec codec, std::string_view input, size_t size, std::string& out) {
  out.resize(size);
  return decompress(codec, input, std::span<char>(out.data(), size));
}

Status decompress(Codec codec, std::string_view input, std::span<char> out) {
  const size_t size = out.size();
  switch (codec) {
    case Codec::uncompressed:
      if (input.size() != size)
        return make_error(Errc::corrupt, "parquet: page size differs from its header");
      if (size > 0) std::memcpy(out.data(), input.data(), size);
      return {};
    case Codec::snappy: {
      size_t n = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &n) || n != size) {
        return make_error(Errc::corrupt,
                          "parquet: snappy block length differs from the page header");
      }
      if (!snappy_decompress(input, out.data(), size)) {  // ours: see snappy_decoder.hpp
        return make_error(Errc::corrupt, "parquet: snappy data is corrupt");
      }
      return {};
    }
    case Codec::zstd: {
      ZSTD_DCtx* context = thread_zstd_context();
      if (context == nullptr)
        return make_error(Errc::internal, "parquet: zstd: no memory for a decompression context");
      size_t n = ZSTD_decompressDCtx(context, out.data(), size, input.data(), input.size());
      if (ZSTD_isError(n) || n != size)
        return make_error(Errc::corrupt, "parquet: zstd data is corrupt");
      return {};
    }
    case Codec::gzip:
      return gzip_decompress(input, out.data(), size);
    case Codec::lz4_raw:
      if (!lz4_block(input, out.data(), size))
        return make_error(Errc::corrupt, "parquet: lz4 data is corrupt");
      return {};
    case Codec::lz4:
      return lz4_hadoop_decompress(input, out.data(), size);
    case Codec::brotli:
      return brotli_decompress(input, out.data(), size);
    default:
      return make_error(Errc::unsupported,
                        "parquet: codec " + std::string(codec_name(codec)) + " is not supported");
  }
}

}  // namespace sl::parquet
