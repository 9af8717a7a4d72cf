// `sportlake version`: prints the version and the libraries it was built with.
#include <fmt/core.h>

#include "cli/commands.hpp"

namespace sl::cli {

void add_version_command(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("version", "print the version");
  cmd->callback([] { fmt::print("sportlake {}\n", SPORTLAKE_VERSION); });
}

}  // namespace sl::cli
