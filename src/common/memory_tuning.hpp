// Allocator settings for a data-processing process (called first thing in main()).
//
// Why (batch, the default): reading a Delta checkpoint or a Parquet row group allocates and frees
// many large buffers (column values, strings). With glibc's defaults, each buffer over the mmap
// threshold is mapped and unmapped again, and the heap top is trimmed after each free, so every
// snapshot load pays the kernel's page faults anew (measured: 100k-file snapshot 0.33 s → 0.19 s
// with these settings). We keep freed memory in the process instead: large blocks come from the
// heap, and up to 256 MiB of free heap top is kept for the next load. The cost is a higher
// resident size between loads.
//
// A long-lived service (`sportlake up`) is judged on its resident size instead (a memory budget
// it is tested against): `service` maps blocks of 4 MiB and more on their own (a compaction's or
// a refresh's column buffers go back to the system when freed, and cannot pin the heap's top) and
// trims the heap top beyond 8 MiB. Its reads pay the page faults; it reads every few seconds, not
// in a loop.
#pragma once

namespace sl {

enum class MemoryProfile { batch, service };

// May be called again later (a command that turns out to be a service switches to `service`).
void tune_memory_allocator(MemoryProfile profile = MemoryProfile::batch);

// Gives the free pages inside the heap back to the system (glibc's malloc_trim; a no-op
// elsewhere). The `service` profile's trimming only reaches the heap's top: after a refresh,
// a compaction or an index build, the blocks below a live one stay resident. `up` measured (at
// 10,000 rows/s): 43 MB of services before its first refresh, ~100 MB after it for the rest of
// the run though nothing held the difference. Call it when a large piece of work has ended
// (it walks the heap under the allocator's lock: not per request).
void release_free_memory();

}  // namespace sl
