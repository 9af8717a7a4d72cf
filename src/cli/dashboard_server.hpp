// The dashboard's HTTP server, for `sportlake serve` and `sportlake up`.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "cli/context.hpp"
#include "common/result.hpp"
#include "serve/access.hpp"

namespace sl::cli {

struct DashboardOptions {
  std::string listen;    // "host:port" or "[v6]:port"; empty: serve.listen
  bool no_auth = false;  // no token asked (loopback only, with a warning)
};

// Where the dashboard's tokens are: <home>/serve/{viewer,hr}.token.
std::filesystem::path dashboard_token_dir(const Settings& settings);

// Serves the dashboard until `stop` becomes true. Prints the URL once listening, and where the
// tokens are (never a token). Refuses --no-auth beyond loopback.
Status run_dashboard(const Context& ctx, const DashboardOptions& options,
                     const std::atomic<bool>& stop);

}  // namespace sl::cli
