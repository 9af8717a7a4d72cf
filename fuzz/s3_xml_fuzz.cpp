// libFuzzer target: the S3 reply parser (ListObjectsV2 pages, Error documents) on arbitrary
// bytes — what any endpoint, or a man in the middle on plain HTTP, may answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "delta/s3_xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto page = sl::delta::parse_list_objects_v2(text);
  // A truncated page always says where to continue.
  if (page.ok() && page->truncated && page->next_continuation_token.empty()) std::abort();
  const auto error = sl::delta::parse_s3_error(text);
  if (error.code.size() > 128 || error.message.size() > 512) std::abort();
  (void)sl::delta::parse_s3_time(text);
  return 0;
}
