// Configuration: `sportlake.toml`, then `.env`, then the environment (later wins), then typed
// accessors with defaults.
//
// Keys are dotted TOML paths ("database.host"). Each key may also be set by environment variables:
// the seed's names (DB_HOST, API_KEY_MAPS, SLACK_WEBHOOK_URL, ...) and SPORTLAKE_* names; see
// `known_keys()` for the table. A `.env` file (KEY=VALUE lines, `#` comments, optional quotes) in
// the working directory fills variables the environment does not set, as docker-compose did.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sl::config {

struct KeyInfo {
  std::string_view key;                     // dotted TOML path
  std::vector<std::string_view> env_names;  // in priority order (first set wins)
  std::string_view default_value;           // "" when none
  std::string_view help;
  bool secret = false;  // masked by `sportlake config`
};

// Every key the product knows, with its environment names and default.
const std::vector<KeyInfo>& known_keys();

struct Setting {
  std::string value;
  std::string source;  // "default", "sportlake.toml", ".env", "environment", "override"
};

class Config {
 public:
  // Value of `key` or its default from known_keys(); nullopt when neither exists.
  std::optional<std::string> get(std::string_view key) const;
  std::string get_string(std::string_view key, std::string_view fallback = "") const;
  Result<int64_t> get_int(std::string_view key, int64_t fallback) const;
  Result<double> get_double(std::string_view key, double fallback) const;
  // The number `key` is set to, else its default from known_keys(); nullopt when both are empty.
  // Readers use these so that a default is written only in the key table.
  Result<std::optional<int64_t>> find_int(std::string_view key) const;
  Result<std::optional<double>> find_double(std::string_view key) const;
  bool get_bool(std::string_view key, bool fallback) const;
  bool is_set(std::string_view key) const { return values_.count(std::string(key)) > 0; }
  const Setting* setting(std::string_view key) const;

  void set(std::string key, std::string value, std::string source = "override");

  // $SPORTLAKE_HOME (default ./var), absolute.
  std::filesystem::path home() const;
  // Lake root: lake.root (absolute; a URI such as s3://bucket/prefix as written) or <home>/delta.
  std::filesystem::path lake_root() const;
  // True when no external database is configured (no database.url nor database.host).
  bool embedded_database() const;

  const std::map<std::string, Setting>& values() const { return values_; }

 private:
  std::map<std::string, Setting> values_;
};

struct LoadOptions {
  std::string toml_path;  // "" = ./sportlake.toml if present
  std::string dotenv_path = ".env";
  bool read_environment = true;
};

Result<Config> load(const LoadOptions& options);

// Parses .env text into (name, value) pairs; errors name the line.
Result<std::vector<std::pair<std::string, std::string>>> parse_dotenv(std::string_view text,
                                                                      std::string_view origin);

}  // namespace sl::config
