// Logging set-up: spdlog with a human format (TTY-friendly) or one JSON object per line.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

#include "common/result.hpp"

namespace sl::log {

enum class Format { human, json };

struct Options {
  Format format = Format::human;
  spdlog::level::level_enum level = spdlog::level::info;
};

// Parses "human"/"json" and "trace|debug|info|warn|error|off".
Result<Format> parse_format(std::string_view text);
Result<spdlog::level::level_enum> parse_level(std::string_view text);

// The line formatter for `format` (JSON escapes the message so each line is one valid object).
std::unique_ptr<spdlog::formatter> make_formatter(Format format);

// Installs the default logger (to stderr). Call once from the composition root (cli).
void init(const Options& options);

}  // namespace sl::log
