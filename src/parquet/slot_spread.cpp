// Spreading present values over their slots, in place from the back.
#include "parquet/slot_spread.hpp"

#include <cstring>
#include <vector>

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

// values[first..first + present) spread over [first, first + n). From the last slot back, a value
// moves only to a slot at or after its own, which is not read again; no second vector
// (allocated, zeroed, then copied into). The load is unconditional (at most `p`, in bounds once
// values has a slot per entry) and a null zeroes the value's bits by a mask (valid is 0 or 1), so
// the loop has no branch: 10 % of nulls at random positions would mispredict often, and with a
// select GCC branched on doubles.
template <class T>
void spread(std::vector<T>& values, size_t first, const uint8_t* is_valid, size_t n) {
  using Bits = typename BitsOf<sizeof(T)>::type;
  size_t p = values.size() - first;
  values.resize(first + n);
  T* out = values.data() + first;
  for (size_t i = n; i-- > 0;) {
    p -= is_valid[i];
    Bits v;
    std::memcpy(&v, &out[p], sizeof(T));
    v &= Bits{0} - Bits{is_valid[i]};
    std::memcpy(&out[i], &v, sizeof(T));
  }
}

}  // namespace

void spread_tail(Column& column, size_t first, const uint8_t* valid, size_t n) {
  switch (column.type.id) {
    case TypeId::boolean:
      spread(column.bools, first, valid, n);
      break;
    case TypeId::int32:
    case TypeId::date32:
      spread(column.i32, first, valid, n);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(column.type)) {
        spread(column.i128, first, valid, n);
      } else {
        spread(column.i64, first, valid, n);
      }
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      spread(column.i64, first, valid, n);
      break;
    case TypeId::float32:
      spread(column.f32, first, valid, n);
      break;
    case TypeId::float64:
      spread(column.f64, first, valid, n);
      break;
    case TypeId::string:
    case TypeId::binary: {
      // offsets[first + k + 1] ends present value k, in the same bytes: slot i ends where the
      // last present value at or before it ends. In place from the back, as spread().
      size_t p = column.offsets.size() - 1 - first;  // present values
      column.offsets.resize(first + n + 1);
      uint32_t* offsets = column.offsets.data() + first;
      for (size_t i = n; i-- > 0;) {
        offsets[i + 1] = offsets[p];
        p -= valid[i];
      }
      break;
    }
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // leaves are primitive
  }
  column.length = first + n;
}

}  // namespace sl::parquet
