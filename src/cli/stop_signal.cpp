// SIGINT/SIGTERM → the one stop flag of the process.
#include "cli/stop_signal.hpp"

#include <csignal>

namespace sl::cli {

namespace {

// A signal handler may only touch a lock-free atomic; this is the process's one such flag.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void request_stop(int) {
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

const std::atomic<bool>& stop_on_signals() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return g_stop;
}

bool stop_requested() {
  return g_stop.load(std::memory_order_relaxed);
}

}  // namespace sl::cli
