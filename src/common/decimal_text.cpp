// decimal_text: digits built from the right (INT64_MIN included, through unsigned arithmetic).
#include "common/decimal_text.hpp"

namespace sl {

std::string decimal_text(int64_t unscaled, int scale) {
  bool negative = unscaled < 0;
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  char buffer[48];
  char* p = buffer + sizeof buffer;
  int written = 0;
  do {
    if (scale > 0 && written == scale) *--p = '.';
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
    ++written;
  } while (magnitude > 0 || written <= scale);
  if (negative) *--p = '-';
  return std::string(p, static_cast<size_t>(buffer + sizeof buffer - p));
}

}  // namespace sl
