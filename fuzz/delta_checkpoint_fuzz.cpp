// Fuzz target: a checkpoint file (Parquet bytes) read as the one part of a checkpoint must decode
// or fail cleanly; so must the same bytes as a `_last_checkpoint` hint.
#include <cstdint>
#include <string>
#include <string_view>

#include "delta/checkpoint_reader.hpp"
#include "delta/last_checkpoint.hpp"
#include "delta/log_segment.hpp"
#include "delta/memory_storage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sl::delta::MemoryStorage storage;
  std::string path = sl::delta::checkpoint_path(10);
  if (!storage.put(path, bytes).ok()) return 0;
  auto info = storage.stat(path);
  if (info.ok()) (void)sl::delta::read_checkpoint(storage, {*info});
  (void)sl::delta::parse_last_checkpoint(bytes, "_last_checkpoint");
  return 0;
}
