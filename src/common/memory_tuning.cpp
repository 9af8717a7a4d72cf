// tune_memory_allocator: glibc mallopt settings (a no-op elsewhere).
#include "common/memory_tuning.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sl {

void tune_memory_allocator(MemoryProfile profile) {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, 1);  // one heap for all threads: thread arenas are capped at 64 MiB heaps
  if (profile == MemoryProfile::batch) {
    constexpr int k_keep_free = 256 << 20;  // free heap top kept before trimming
    mallopt(M_MMAP_MAX, 0);                 // every block from the heap, none mapped per block
    mallopt(M_TRIM_THRESHOLD, k_keep_free);
    mallopt(M_TOP_PAD, 64 << 20);
    return;
  }
  mallopt(M_MMAP_MAX, 1 << 16);            // glibc's default count
  mallopt(M_MMAP_THRESHOLD, 4 << 20);      // fixed: no longer raised by the frees that follow
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
  mallopt(M_TOP_PAD, 1 << 20);
#else
  (void)profile;
#endif
}

void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace sl
