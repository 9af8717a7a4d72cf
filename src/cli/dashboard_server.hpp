// The dashboard's HTTP server, for `sportlake serve` and `sportlake up`.
#pragma once

#include <atomic>
#include <string>

#include "cli/context.hpp"
#include "common/result.hpp"

namespace sl::cli {

// Serves the dashboard on serve.listen (or `listen` when not empty, "host:port") until `stop`
// becomes true. Prints the URL once listening.
Status run_dashboard(const Context& ctx, const std::string& listen, const std::atomic<bool>& stop);

}  // namespace sl::cli
