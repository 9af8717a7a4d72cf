// decimal_text: digits built from the right (the most negative value included, through unsigned
// arithmetic), for 64- and 128-bit unscaled values.
#include "common/decimal_text.hpp"

namespace sl {

namespace {

template <typename Signed, typename Unsigned>
std::string digits(Signed unscaled, int scale) {
  bool negative = unscaled < 0;
  Unsigned magnitude =
      negative ? 0 - static_cast<Unsigned>(unscaled) : static_cast<Unsigned>(unscaled);
  char buffer[96];
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

}  // namespace

std::string decimal_text(int64_t unscaled, int scale) {
  return digits<int64_t, uint64_t>(unscaled, scale);
}

std::string decimal_text(__int128 unscaled, int scale) {
  return digits<__int128, unsigned __int128>(unscaled, scale);
}

}  // namespace sl
