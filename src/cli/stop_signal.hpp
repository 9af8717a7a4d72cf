// The stop flag of the long-running commands: SIGINT (Ctrl-C) and SIGTERM set it, jobs poll it.
#pragma once

#include <atomic>

namespace sl::cli {

// Installs the SIGINT and SIGTERM handlers (installing them again is harmless) and returns the
// flag they set. A command installs them only once its start-up is done, so a Ctrl-C during
// start-up still ends the process at once.
const std::atomic<bool>& stop_on_signals();

// True once SIGINT or SIGTERM arrived; the `stop_requested` callback the jobs take.
bool stop_requested();

}  // namespace sl::cli
