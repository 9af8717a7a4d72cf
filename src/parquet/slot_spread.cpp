// Spreading present values over their slots, in place from the back: a portable loop, and
// AVX-512 expands chosen at run time.
#include "parquet/slot_spread.hpp"

#include "parquet/cpu_features.hpp"

#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#define SL_SPREAD_AVX512 1
#endif

namespace sl::parquet {

using columnar::Column;
using columnar::is_wide_decimal;
using columnar::TypeId;

namespace {

// The unsigned integer of a value's size: a null is selected by masking its bits.
template <size_t Size>
struct BitsOf;
template <>
struct BitsOf<1> {
  using type = uint8_t;
};
template <>
struct BitsOf<4> {
  using type = uint32_t;
};
template <>
struct BitsOf<8> {
  using type = uint64_t;
};
template <>
struct BitsOf<16> {
  using type = unsigned __int128;
};

// out[0..p) spread over the slots [0, n). From the last slot back, a value moves only to a slot
// at or after its own, which is not read again; no second vector (allocated, zeroed, then copied
// into). The load is unconditional (at most `p`, in bounds as out has n slots) and a null zeroes
// the value's bits by a mask (valid is 0 or 1), so the loop has no branch: 10 % of nulls at
// random positions would mispredict often, and with a select GCC branched on doubles.
template <class T>
void spread_slots(T* out, size_t p, const uint8_t* is_valid, size_t n) {
  using Bits = typename BitsOf<sizeof(T)>::type;
  for (size_t i = n; i-- > 0;) {
    p -= is_valid[i];
    Bits v;
    std::memcpy(&v, &out[p], sizeof(T));
    v &= Bits{0} - Bits{is_valid[i]};
    std::memcpy(&out[i], &v, sizeof(T));
  }
}

// String offsets: offsets[k + 1] ends present value k (in the same bytes), so slot i ends where
// the last present value at or before it ends: offsets[i + 1] = offsets[p], p the present values
// among slots [0, i]. From the back, as spread_slots.
void spread_offsets(uint32_t* offsets, size_t p, const uint8_t* valid, size_t n) {
  for (size_t i = n; i-- > 0;) {
    offsets[i + 1] = offsets[p];
    p -= valid[i];
  }
}

#ifdef SL_SPREAD_AVX512

#define SL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,popcnt")))

// The validity bytes (0 or 1) of a block of 8 or 16 slots as a mask.
template <size_t Slots>
SL_AVX512 inline uint32_t block_mask(const uint8_t* valid) {
  const __m128i bytes = Slots == 8 ? _mm_loadl_epi64(reinterpret_cast<const __m128i*>(valid))
                                   : _mm_loadu_si128(reinterpret_cast<const __m128i*>(valid));
  return static_cast<uint32_t>(_mm_test_epi8_mask(bytes, _mm_set1_epi8(1))) &
         ((uint32_t{1} << Slots) - 1);
}

// The first values of `dense` to the set lanes of `mask`, zeros elsewhere (8-byte or 4-byte lanes).
template <size_t Size>
SL_AVX512 inline __m512i expand(uint32_t mask, __m512i dense) {
  if constexpr (Size == 8) {
    return _mm512_maskz_expand_epi64(static_cast<__mmask8>(mask), dense);
  } else {
    return _mm512_maskz_expand_epi32(static_cast<__mmask16>(mask), dense);
  }
}

// The AVX-512 spreads take blocks of slots from the back while a whole block is left and return
// the slots left at the front (fewer than a block), `p` updated, for the portable loop. A block
// of B slots [i, i + B): its validity bytes as a mask; its c present values, the first c of the
// B values loaded from p - c (in bounds: p - c, the present values before the block, is at most
// i), expanded to the set lanes with zeros elsewhere and stored over the block. Later blocks
// load below i, so no load reads a slot already stored. Values of 8 or 4 bytes.
template <size_t Size>
SL_AVX512 size_t spread_avx512(void* values, size_t& p, const uint8_t* valid, size_t n) {
  constexpr size_t slots = 64 / Size;
  auto* out = static_cast<char*>(values);
  size_t i = n;
  while (i >= slots) {
    i -= slots;
    const uint32_t mask = block_mask<slots>(valid + i);
    p -= static_cast<size_t>(_mm_popcnt_u32(mask));
    const __m512i dense = _mm512_loadu_si512(out + p * Size);
    _mm512_storeu_si512(out + i * Size, expand<Size>(mask, dense));
  }
  return i;
}

// Bytes (booleans), 64 slots a block, as spread_avx512 (byte expands are VBMI2).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,popcnt"))) size_t spread_avx512_bytes(
    void* values, size_t& p, const uint8_t* valid, size_t n) {
  auto* out = static_cast<uint8_t*>(values);
  size_t i = n;
  while (i >= 64) {
    i -= 64;
    const __mmask64 mask =
        _mm512_test_epi8_mask(_mm512_loadu_si512(valid + i), _mm512_set1_epi8(1));
    p -= static_cast<size_t>(_mm_popcnt_u64(mask));
    const __m512i dense = _mm512_loadu_si512(out + p);
    _mm512_storeu_si512(out + i, _mm512_maskz_expand_epi8(mask, dense));
  }
  return i;
}

// Offsets, 16 slots a block: the block's present values end at offsets[p - c + 1 ..= p]; expanded
// to their lanes, the null lanes holding offsets[p - c] (where the slot before the block ends),
// then each null lane takes the end before it by a running maximum over the lanes (offsets never
// decrease). Stored at offsets[i + 1 ..= i + 16].
SL_AVX512 size_t spread_avx512_offsets(uint32_t* offsets, size_t& p, const uint8_t* valid,
                                       size_t n) {
  size_t i = n;
  while (i >= 16) {
    i -= 16;
    const auto mask = static_cast<__mmask16>(block_mask<16>(valid + i));
    p -= static_cast<size_t>(_mm_popcnt_u32(mask));
    const __m512i before = _mm512_set1_epi32(static_cast<int>(offsets[p]));
    __m512i ends = _mm512_mask_expand_epi32(before, mask, _mm512_loadu_si512(offsets + p + 1));
    // Lane j takes the maximum of lanes [0, j] and `before`: shifted up by 1, 2, 4, 8 lanes.
    // (The maskz forms, all lanes set: GCC 12 warns that the unmasked ones read an
    // uninitialised register.)
    constexpr __mmask16 all = 0xffff;
    ends = _mm512_maskz_max_epu32(all, ends, _mm512_maskz_alignr_epi32(all, ends, before, 15));
    ends = _mm512_maskz_max_epu32(all, ends, _mm512_maskz_alignr_epi32(all, ends, before, 14));
    ends = _mm512_maskz_max_epu32(all, ends, _mm512_maskz_alignr_epi32(all, ends, before, 12));
    ends = _mm512_maskz_max_epu32(all, ends, _mm512_maskz_alignr_epi32(all, ends, before, 8));
    _mm512_storeu_si512(offsets + i + 1, ends);
  }
  return i;
}

// Forward, from a page: blocks of B slots while B page values are left (the load reads B), each
// block's c present values expanded to its set lanes. Returns the slots done, `p` the page
// values taken.
template <size_t Size>
SL_AVX512 size_t spread_plain_avx512(void* values, const char* page, size_t present, size_t& p,
                                     const uint8_t* valid, size_t n) {
  constexpr size_t slots = 64 / Size;
  auto* out = static_cast<char*>(values);
  size_t i = 0;
  while (i + slots <= n && p + slots <= present) {
    const uint32_t mask = block_mask<slots>(valid + i);
    const __m512i dense = _mm512_loadu_si512(page + p * Size);
    _mm512_storeu_si512(out + i * Size, expand<Size>(mask, dense));
    p += static_cast<size_t>(_mm_popcnt_u32(mask));
    i += slots;
  }
  return i;
}

#undef SL_AVX512

#endif

// values[first..first + present) spread over [first, first + n), the AVX-512 expand of the
// value's size taking what it can when the CPU has it.
template <class T>
void spread(std::vector<T>& values, size_t first, const uint8_t* is_valid, size_t n,
            SimdPath path) {
  size_t p = values.size() - first;
  values.resize(first + n);
  T* out = values.data() + first;
  size_t left = n;
#ifdef SL_SPREAD_AVX512
  if (path == SimdPath::fastest) {
    const bool avx512 = cpu_has_avx512();
    const bool vbmi2 = cpu_has_avx512_vbmi2();
    if constexpr (sizeof(T) == 8) {
      if (avx512) left = spread_avx512<8>(out, p, is_valid, n);
    } else if constexpr (sizeof(T) == 4) {
      if (avx512) left = spread_avx512<4>(out, p, is_valid, n);
    } else if constexpr (sizeof(T) == 1) {
      if (vbmi2) left = spread_avx512_bytes(out, p, is_valid, n);
    }
  }
#else
  (void)path;
#endif
  spread_slots(out, p, is_valid, left);
}

void spread_strings(Column& column, size_t first, const uint8_t* valid, size_t n, SimdPath path) {
  size_t p = column.offsets.size() - 1 - first;  // present values
  column.offsets.resize(first + n + 1);
  uint32_t* offsets = column.offsets.data() + first;
  size_t left = n;
#ifdef SL_SPREAD_AVX512
  if (path == SimdPath::fastest && cpu_has_avx512())
    left = spread_avx512_offsets(offsets, p, valid, n);
#else
  (void)path;
#endif
  spread_offsets(offsets, p, valid, left);
}

#ifdef SL_SPREAD_AVX512
// n new slots of `values` from the page's `present` values, a slice of slots at a time: the
// resize zeroes a slice while it fits the L1 cache and the expands overwrite it there (a page's
// slots zeroed at once, ~1 MB, were out of L1 again when the expands came). The slots the expands
// leave (fewer than a block of page values left) one by one, a null left as the resize zeroed it.
template <class T>
void spread_plain_into(std::vector<T>& values, const char* page, size_t present,
                       const uint8_t* valid, size_t n) {
  constexpr size_t k_slice = 2048;  // slots: 16 KB of 8-byte values
  const size_t first = values.size();
  size_t p = 0;
  for (size_t start = 0; start < n; start += k_slice) {
    const size_t length = std::min(k_slice, n - start);
    values.resize(first + start + length);
    T* out = values.data() + first + start;
    const uint8_t* slice_valid = valid + start;
    size_t i = spread_plain_avx512<sizeof(T)>(out, page, present, p, slice_valid, length);
    for (; i < length; ++i) {
      if (slice_valid[i]) std::memcpy(&out[i], page + p++ * sizeof(T), sizeof(T));
    }
  }
}
#endif

}  // namespace

bool spread_plain(Column& column, std::string_view page_values, size_t width, size_t present,
                  const uint8_t* valid, size_t n, SimdPath path) {
#ifdef SL_SPREAD_AVX512
  if (path != SimdPath::fastest || !cpu_has_avx512() || page_values.size() / width < present)
    return false;
  const char* page = page_values.data();
  switch (column.type.id) {
    case TypeId::int32:
    case TypeId::date32:
      if (width != 4) return false;
      spread_plain_into(column.i32, page, present, valid, n);
      break;
    case TypeId::float32:
      if (width != 4) return false;
      spread_plain_into(column.f32, page, present, valid, n);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      if (width != 8) return false;
      spread_plain_into(column.i64, page, present, valid, n);
      break;
    case TypeId::float64:
      if (width != 8) return false;
      spread_plain_into(column.f64, page, present, valid, n);
      break;
    default:
      return false;
  }
  column.length += n;
  return true;
#else
  (void)column, (void)page_values, (void)width, (void)present, (void)valid, (void)n, (void)path;
  return false;
#endif
}

void spread_tail(Column& column, size_t first, const uint8_t* valid, size_t n, SimdPath path) {
  switch (column.type.id) {
    case TypeId::boolean:
      spread(column.bools, first, valid, n, path);
      break;
    case TypeId::int32:
    case TypeId::date32:
      spread(column.i32, first, valid, n, path);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(column.type)) {
        spread(column.i128, first, valid, n, path);
      } else {
        spread(column.i64, first, valid, n, path);
      }
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      spread(column.i64, first, valid, n, path);
      break;
    case TypeId::float32:
      spread(column.f32, first, valid, n, path);
      break;
    case TypeId::float64:
      spread(column.f64, first, valid, n, path);
      break;
    case TypeId::string:
    case TypeId::binary:
      spread_strings(column, first, valid, n, path);
      break;
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // leaves are primitive
  }
  column.length = first + n;
}

}  // namespace sl::parquet
