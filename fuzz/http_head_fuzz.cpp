// libFuzzer target: the server front's request-head scan, request path and Cookie field reader on
// arbitrary bytes (what any client may send before it is authenticated).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "serve/http_head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (size_t max : {size_t{16}, size_t{1024}, size_t{16384}}) {
    const auto scan = sl::serve::scan_request_head(text, max);
    // A head found lies within the limit and ends with the empty line.
    if (scan.state == sl::serve::HeadState::complete || scan.state == sl::serve::HeadState::has_body)
      if (scan.length > max || text.substr(scan.length - 4, 4) != "\r\n\r\n") std::abort();
  }
  const auto value = sl::serve::cookie_value(text, "sportlake_session");
  if (!value.empty() && (value.data() < text.data() || value.data() + value.size() > text.data() + size))
    std::abort();
  const auto path = sl::serve::request_path(text);
  if (!path.empty() && (path.data() < text.data() || path.data() + path.size() > text.data() + size))
    std::abort();
  return 0;
}
