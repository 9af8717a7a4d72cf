// The CPU's features, asked once.
#include "parquet/cpu_features.hpp"

namespace sl::parquet {

namespace {

bool ask_avx512() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

bool ask_avx512_vbmi2() {
#if defined(__x86_64__)
  return ask_avx512() && __builtin_cpu_supports("avx512vbmi2");
#else
  return false;
#endif
}

bool ask_avx512_vbmi() {
#if defined(__x86_64__)
  return ask_avx512() && __builtin_cpu_supports("avx512vbmi");
#else
  return false;
#endif
}

}  // namespace

bool cpu_has_avx512() {
  static const bool has = ask_avx512();
  return has;
}

bool cpu_has_avx512_vbmi2() {
  static const bool has = ask_avx512_vbmi2();
  return has;
}

bool cpu_has_avx512_vbmi() {
  static const bool has = ask_avx512_vbmi();
  return has;
}

}  // namespace sl::parquet
