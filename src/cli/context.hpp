// Context: what every subcommand receives — global options, the loaded configuration and its
// typed settings.
#pragma once

#include <string>

#include "cli/settings.hpp"
#include "common/config.hpp"

namespace sl::cli {

struct Context {
  std::string config_file;  // --config, default "sportlake.toml" when present
  std::string log_format = "human";
  std::string log_level = "info";
  sl::config::Config config;  // loaded after option parsing, before any subcommand runs
  Settings settings;          // read from `config` once it is loaded
  int exit_code = 0;
};

}  // namespace sl::cli
