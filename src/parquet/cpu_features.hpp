// Run-time choice of the decoders' AVX-512 loops: the build targets baseline x86-64 (no -mavx2,
// -mavx512*), so a loop compiled for AVX-512 (`__attribute__((target(...)))`) runs only after
// the CPU said it has the instructions; every such loop keeps its portable twin.
#pragma once

namespace sl::parquet {

// Which loop a decoder runs: the fastest this CPU has, or the portable one (tests compare them).
enum class SimdPath { fastest, baseline };

// AVX512F, BW and VL (expands, byte masks, 128/256-bit forms) and POPCNT.
bool cpu_has_avx512();
// The above and AVX512_VBMI2 (byte expands).
bool cpu_has_avx512_vbmi2();
// cpu_has_avx512 and AVX512_VBMI (byte permutes across the register).
bool cpu_has_avx512_vbmi();

}  // namespace sl::parquet
