// random_uuid: 122 random bits in the RFC 4122 version-4 layout.
#include "common/uuid.hpp"

#include <random>

namespace sl {

std::string random_uuid() {
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  uint64_t high = generator();
  uint64_t low = generator();
  high = (high & ~0xF000ULL) | 0x4000ULL;                       // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10xx
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto put = [&](uint64_t value, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out += k_hex[(value >> (4 * i)) & 0xF];
  };
  put(high >> 32, 8);
  out += '-';
  put(high >> 16, 4);
  out += '-';
  put(high, 4);
  out += '-';
  put(low >> 48, 4);
  out += '-';
  put(low, 12);
  return out;
}

}  // namespace sl
