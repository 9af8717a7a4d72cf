// BYTE_STREAM_SPLIT decoding (see the header).
#include "parquet/byte_stream_split.hpp"

namespace sl::parquet {

Status byte_stream_split_to_plain(std::string_view section, size_t count, size_t width,
                                  std::string& plain) {
  if (width == 0) return make_error(Errc::corrupt, "BYTE_STREAM_SPLIT of zero-width values");
  if (section.size() % width != 0) {
    return make_error(Errc::corrupt, "BYTE_STREAM_SPLIT section of " +
                                         std::to_string(section.size()) +
                                         " bytes is not a whole number of " +
                                         std::to_string(width) + "-byte values");
  }
  const size_t stride = section.size() / width;
  if (count > stride) {
    return make_error(Errc::corrupt, "BYTE_STREAM_SPLIT section holds " + std::to_string(stride) +
                                         " values, the levels ask for " + std::to_string(count));
  }
  plain.resize(count * width);
  // Stream by stream: each source stream is read sequentially (the destination stride is small).
  for (size_t k = 0; k < width; ++k) {
    const char* stream = section.data() + k * stride;
    char* dst = plain.data() + k;
    for (size_t i = 0; i < count; ++i) dst[i * width] = stream[i];
  }
  return {};
}

}  // namespace sl::parquet
