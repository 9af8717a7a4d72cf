// `sportlake config`: shows every setting, its value (secrets masked) and where it came from.
#include <fmt/core.h>

#include "cli/commands.hpp"

namespace sl::cli {

void add_config_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "config", "show the effective configuration and where each value comes from");
  cmd->callback([&ctx] {
    fmt::print("{:<32} {:<40} {}\n", "key", "value", "source");
    for (const auto& info : sl::config::known_keys()) {
      const auto* setting = ctx.config.setting(info.key);
      std::string value = ctx.config.get_string(info.key);
      if (info.secret && !value.empty()) value = "********";
      fmt::print("{:<32} {:<40} {}\n", info.key, value, setting ? setting->source : "default");
    }
    fmt::print("\nhome: {}\nlake: {}\ndatabase: {}\n", ctx.settings.home.string(),
               ctx.settings.lake_root.string(),
               ctx.settings.embedded_database ? "embedded" : "external");
  });
}

}  // namespace sl::cli
