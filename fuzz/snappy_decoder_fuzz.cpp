// libFuzzer target: our Snappy decoder against libsnappy on arbitrary bytes. Both must agree on
// whether the block is valid and, when it is, on every output byte; ours must never touch memory
// outside its input and output (ASan).
#include <snappy.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "parquet/snappy_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* in = reinterpret_cast<const char*>(data);
  size_t length = 0;
  if (!snappy::GetUncompressedLength(in, size, &length)) {
    char out[16];  // no length preamble: ours refuses whatever size is expected
    if (sl::parquet::snappy_decompress({in, size}, out, sizeof out)) __builtin_trap();
    return 0;
  }
  if (length > (size_t{1} << 24)) return 0;
  // Exactly `length` bytes, so that ASan sees any write past the end.
  std::unique_ptr<char[]> ours(new char[length]);
  const bool ours_ok = sl::parquet::snappy_decompress({in, size}, ours.get(), length);
  std::string theirs;
  const bool theirs_ok = snappy::Uncompress(in, size, &theirs);
  if (ours_ok != theirs_ok) __builtin_trap();
  if (ours_ok && (theirs.size() != length || std::memcmp(ours.get(), theirs.data(), length) != 0))
    __builtin_trap();
  return 0;
}
