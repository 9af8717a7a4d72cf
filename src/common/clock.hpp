// The wall clock as the lake stores time: integers since the Unix epoch (UTC). Jobs take a clock
// function in their options (tests make it deterministic) and default to these.
#pragma once

#include <chrono>
#include <cstdint>

namespace sl {

inline int64_t unix_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline int64_t unix_now_ms() {
  return unix_now_us() / 1000;
}

}  // namespace sl
