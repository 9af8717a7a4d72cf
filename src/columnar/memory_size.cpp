// memory_bytes: the capacities of a column's vectors, children included.
#include "columnar/memory_size.hpp"

namespace sl::columnar {

size_t memory_bytes(const Column& c) {
  size_t total = c.validity.capacity() + c.bools.capacity() + c.i32.capacity() * 4 +
                 c.i64.capacity() * 8 + c.i128.capacity() * 16 + c.f32.capacity() * 4 +
                 c.f64.capacity() * 8 + c.offsets.capacity() * 4 + c.bytes.capacity();
  for (const auto& child : c.children) total += memory_bytes(child);
  return total;
}

size_t memory_bytes(const RecordBatch& batch) {
  size_t total = 0;
  for (const auto& c : batch.columns) total += memory_bytes(c);
  return total;
}

}  // namespace sl::columnar
