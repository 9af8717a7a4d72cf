// FNV-1a 64: a short, stable hash of text (not for security): a refused row's item key, a
// settings or file-set fingerprint written to the lake, which must not change between builds or
// runs (std::hash may).
#pragma once

#include <cstdint>
#include <string_view>

namespace sl {

// `h` continues a hash over more text (the default starts one).
constexpr uint64_t fnv1a(std::string_view text, uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace sl
