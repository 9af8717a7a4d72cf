// Decimal text of an unscaled integer at a scale: (12345, 2) → "123.45", (-5, 3) → "-0.005".
#pragma once

#include <cstdint>
#include <string>

namespace sl {

std::string decimal_text(int64_t unscaled, int scale);
std::string decimal_text(__int128 unscaled, int scale);  // decimals of 19..38 digits

}  // namespace sl
