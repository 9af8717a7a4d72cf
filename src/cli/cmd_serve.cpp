// `sportlake serve`: the dashboard and its JSON/CSV API over the Gold tables (serve/dashboard.hpp).
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/dashboard_server.hpp"
#include "cli/stop_signal.hpp"

namespace sl::cli {

void add_serve_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "serve",
      "the dashboard (French HTML) and its JSON/CSV API over the Gold tables; reads the lake, "
      "never writes");
  static std::string listen;
  cmd->add_option("--listen", listen,
                  "host:port (default serve.listen, 127.0.0.1:8080; port 0: "
                  "any free port)");
  cmd->callback([&ctx] {
    if (auto st = run_dashboard(ctx, listen, stop_on_signals()); !st) {
      fmt::print(stderr, "sportlake serve: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
