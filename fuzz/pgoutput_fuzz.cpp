// libFuzzer target: the pgoutput decoder on arbitrary messages.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pg/pgoutput_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)sl::pg::decode_pgoutput(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
