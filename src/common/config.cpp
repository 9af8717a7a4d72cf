// Configuration loading: TOML file, .env, environment, with the seed's variable names.
#include "common/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>

#include "common/fs.hpp"

namespace sl::config {

const std::vector<KeyInfo>& known_keys() {
  static const std::vector<KeyInfo> keys = {
      {"home", {"SPORTLAKE_HOME"}, "./var", "folder holding all state (database, lake, logs)"},
      {"database.url",
       {"SPORTLAKE_DB_URL", "DATABASE_URL"},
       "",
       "libpq URL/DSN of an external database",
       true},
      {"database.host", {"DB_HOST", "SPORTLAKE_DB_HOST"}, "", "external database host"},
      {"database.port", {"DB_PORT", "SPORTLAKE_DB_PORT"}, "5432", "external database port"},
      {"database.name", {"DB_NAME", "SPORTLAKE_DB_NAME"}, "rh_sport", "database name"},
      {"database.user", {"DB_USER", "SPORTLAKE_DB_USER"}, "", "database user"},
      {"database.password",
       {"DB_PASSWORD", "SPORTLAKE_DB_PASSWORD"},
       "",
       "database password",
       true},
      {"embedded.port",
       {"SPORTLAKE_PG_PORT"},
       "0",
       "port of the embedded cluster (0 = pick a free one)"},
      {"embedded.listen",
       {"SPORTLAKE_PG_LISTEN"},
       "",
       "TCP addresses of the embedded cluster, e.g. 127.0.0.1 (empty = its private socket only)"},
      {"lake.root", {"SPORTLAKE_LAKE_ROOT"}, "", "Delta lake root (default <home>/delta)"},
      {"lake.s3.endpoint",
       {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"},
       "",
       "S3 endpoint URL (empty: AWS, https://s3.<region>.amazonaws.com)"},
      {"lake.s3.region",
       {"AWS_REGION", "AWS_DEFAULT_REGION"},
       "",
       "S3 region (empty: the profile's, else us-east-1)"},
      {"lake.s3.path_style",
       {"AWS_S3_FORCE_PATH_STYLE"},
       "",
       "S3 path-style URLs: true/false (empty: true when an endpoint is set)"},
      {"lake.s3.profile",
       {"AWS_PROFILE"},
       "",
       "profile of ~/.aws/credentials and ~/.aws/config (empty: default)"},
      {"lake.s3.access_key_id", {"AWS_ACCESS_KEY_ID"}, "", "S3 access key id", true},
      {"lake.s3.secret_access_key", {"AWS_SECRET_ACCESS_KEY"}, "", "S3 secret access key", true},
      {"lake.s3.session_token", {"AWS_SESSION_TOKEN"}, "", "S3 session token", true},
      {"lake.s3.single_writer",
       {"SPORTLAKE_S3_SINGLE_WRITER"},
       "false",
       "commit without conditional PUT (one writer only; stores ignoring If-None-Match)"},
      {"lake.s3.max_parallel_reads",
       {"SPORTLAKE_S3_MAX_PARALLEL_READS"},
       "8",
       "ranged GETs a scan keeps in flight"},
      {"lake.s3.multipart_mb",
       {"SPORTLAKE_S3_MULTIPART_MB"},
       "",
       "files of at least N MiB go up in N MiB parts (empty: 64 MiB files, 16 MiB parts)"},
      {"maps.api_key", {"API_KEY_MAPS", "SPORTLAKE_MAPS_API_KEY"}, "", "Google Maps API key", true},
      {"maps.destination",
       {"DESTINATION", "SPORTLAKE_DESTINATION"},
       "1362 Av. des Platanes, 34970 Lattes",
       "company address"},
      {"maps.provider",
       {"SPORTLAKE_DISTANCE_PROVIDER"},
       "auto",
       "auto, google-matrix, google-routes or offline"},
      {"maps.base_url",
       {"SPORTLAKE_MAPS_BASE_URL"},
       "https://maps.googleapis.com",
       "Google Maps API base URL (Distance Matrix)"},
      {"maps.routes_base_url",
       {"SPORTLAKE_ROUTES_BASE_URL"},
       "https://routes.googleapis.com",
       "Google Routes API base URL (computeRouteMatrix)"},
      {"maps.detour_factor",
       {"SPORTLAKE_DETOUR_FACTOR"},
       "1.3",
       "offline estimate: road distance / great-circle distance"},
      {"maps.gazetteer",
       {"SPORTLAKE_GAZETTEER"},
       "",
       "offline estimate: the communes file (default: data/geo/france_cities.csv)"},
      {"maps.destination_point",
       {"SPORTLAKE_DESTINATION_POINT"},
       "",
       "offline estimate: the workplace as \"lat,lng\" (empty: its commune's point)"},
      {"kafka.bootstrap_servers",
       {"KAFKA_BOOTSTRAP_SERVERS", "SPORTLAKE_KAFKA_BOOTSTRAP_SERVERS"},
       "",
       "Kafka/Redpanda brokers (empty = embedded mode)"},
      {"kafka.topic_prefix", {"SPORTLAKE_TOPIC_PREFIX"}, "rh_sport", "Debezium topic prefix"},
      {"kafka.group",
       {"SPORTLAKE_KAFKA_GROUP"},
       "sportlake",
       "consumer group prefix: each role reads in the group <prefix>_<role> (bronze, notify...)"},
      {"kafka.partitions",
       {"SPORTLAKE_KAFKA_PARTITIONS"},
       "-1",
       "partitions of the topics the publisher creates (-1: the broker's num.partitions)"},
      {"kafka.replication_factor",
       {"SPORTLAKE_KAFKA_REPLICATION_FACTOR"},
       "-1",
       "replication factor of the topics the publisher creates (-1: the broker's default)"},
      {"slack.webhook_url",
       {"SLACK_WEBHOOK_URL", "SPORTLAKE_SLACK_WEBHOOK_URL"},
       "",
       "Slack incoming webhook (empty = log only)",
       true},
      {"cdc.slot", {"SPORTLAKE_CDC_SLOT"}, "sportlake", "replication slot name prefix"},
      {"cdc.publication",
       {"SPORTLAKE_PUBLICATION"},
       "sportlake_pub",
       "publication of the captured tables"},
      {"cdc.provide_transaction_metadata",
       {"SPORTLAKE_PROVIDE_TRANSACTION_METADATA"},
       "false",
       "the publisher writes BEGIN/END records on <prefix>.transaction and a transaction block "
       "in each event (Debezium's provide.transaction.metadata)"},
      {"cdc.heartbeat_interval_ms",
       {"SPORTLAKE_HEARTBEAT_INTERVAL_MS"},
       "0",
       "the publisher writes a heartbeat record every N ms (0: none; heartbeat.interval.ms)"},
      {"cdc.topic_heartbeat_prefix",
       {"SPORTLAKE_TOPIC_HEARTBEAT_PREFIX"},
       "__debezium-heartbeat",
       "the heartbeats' topic is <prefix>.<kafka.topic_prefix> (topic.heartbeat.prefix)"},
      {"serve.listen", {"SPORTLAKE_LISTEN"}, "127.0.0.1:8080", "dashboard address"},
      {"maintenance.enabled",
       {"SPORTLAKE_MAINTENANCE"},
       "true",
       "`up` compacts, checkpoints and vacuums the lake's tables in the background"},
      {"maintenance.interval",
       {"SPORTLAKE_MAINTENANCE_INTERVAL"},
       "15",
       "seconds between two maintenance passes of `up`"},
      {"maintenance.cleanup_interval",
       {"SPORTLAKE_MAINTENANCE_CLEANUP_INTERVAL"},
       "3600",
       "seconds between two log cleanups + vacuums of `up` (they list every file)"},
      {"maintenance.target_file_mb",
       {"SPORTLAKE_MAINTENANCE_TARGET_FILE_MB"},
       "32",
       "compaction: size of the files written (MiB)"},
      {"maintenance.fan_in",
       {"SPORTLAKE_MAINTENANCE_FAN_IN"},
       "10",
       "compaction: files of one size tier compacted together, at least"},
      {"maintenance.budget_mb",
       {"SPORTLAKE_MAINTENANCE_BUDGET_MB"},
       "256",
       "compaction: MiB read and rewritten per pass, at most (all tables)"},
      {"rules.year", {"SPORTLAKE_YEAR"}, "", "reference year (default: current year)"},
      {"rules.bonus_rate",
       {"SPORTLAKE_BONUS_RATE"},
       "0.05",
       "sport bonus as a fraction of gross salary"},
      {"rules.walk_max_km", {"SPORTLAKE_WALK_MAX_KM"}, "15", "maximum distance for Marche/running"},
      {"rules.bike_max_km",
       {"SPORTLAKE_BIKE_MAX_KM"},
       "25",
       "maximum distance for Vélo/Trottinette/Autres"},
      {"rules.wellbeing_min_activities",
       {"SPORTLAKE_WELLBEING_MIN_ACTIVITIES"},
       "15",
       "activities a year for the well-being days"},
      {"rules.wellbeing_days", {"SPORTLAKE_WELLBEING_DAYS"}, "5", "well-being days granted"},
  };
  return keys;
}

namespace {

std::string format_double(double v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

const KeyInfo* find_key(std::string_view key) {
  for (const auto& info : known_keys()) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

void flatten_toml(const toml::table& table, const std::string& prefix, const std::string& source,
                  std::map<std::string, Setting>& out) {
  for (const auto& [name, node] : table) {
    std::string key =
        prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    if (const auto* sub = node.as_table()) {
      flatten_toml(*sub, key, source, out);
    } else if (const auto* s = node.as_string()) {
      out[key] = {s->get(), source};
    } else if (const auto* i = node.as_integer()) {
      out[key] = {std::to_string(i->get()), source};
    } else if (const auto* d = node.as_floating_point()) {
      out[key] = {format_double(d->get()), source};
    } else if (const auto* b = node.as_boolean()) {
      out[key] = {b->get() ? "true" : "false", source};
    }
  }
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> parse_dotenv(std::string_view text,
                                                                      std::string_view origin) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line.remove_prefix(7);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return make_error(Errc::parse, std::string(origin) + ":" + std::to_string(line_no) +
                                         ": expected NAME=VALUE, got '" + std::string(line) + "'");
    }
    std::string_view name = line.substr(0, eq);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    std::string_view value = line.substr(eq + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (size_t hash = value.find(" #"); hash != std::string_view::npos) {
      value = value.substr(0, hash);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

Result<Config> load(const LoadOptions& options) {
  Config config;
  std::map<std::string, Setting> values;

  std::string toml_path = options.toml_path;
  bool explicit_toml = !toml_path.empty();
  if (!explicit_toml && std::filesystem::exists("sportlake.toml")) toml_path = "sportlake.toml";
  if (!toml_path.empty()) {
    if (explicit_toml && !std::filesystem::exists(toml_path)) {
      return make_error(Errc::not_found, "configuration file '" + toml_path + "' does not exist");
    }
    try {
      toml::table table = toml::parse_file(toml_path);
      flatten_toml(table, "", toml_path, values);
    } catch (const toml::parse_error& e) {
      return make_error(Errc::parse, toml_path + ":" + std::to_string(e.source().begin.line) +
                                         ": " + std::string(e.description()));
    }
  }

  std::map<std::string, std::string> dotenv;
  if (!options.dotenv_path.empty() && std::filesystem::exists(options.dotenv_path)) {
    SL_ASSIGN_OR_RETURN(auto text, fs::read_file(options.dotenv_path));
    SL_ASSIGN_OR_RETURN(auto pairs, parse_dotenv(text, options.dotenv_path));
    for (auto& [name, value] : pairs) dotenv[name] = value;
  }

  for (const auto& info : known_keys()) {
    for (auto env_name : info.env_names) {
      std::string name(env_name);
      const char* env = options.read_environment ? std::getenv(name.c_str()) : nullptr;
      if (env != nullptr && *env != '\0') {
        values[std::string(info.key)] = {env, "environment (" + name + ")"};
        break;
      }
      if (auto it = dotenv.find(name); it != dotenv.end() && !it->second.empty()) {
        values[std::string(info.key)] = {it->second, ".env (" + name + ")"};
        break;
      }
    }
  }
  for (auto& [key, setting] : values) config.set(key, setting.value, setting.source);
  return config;
}

std::optional<std::string> Config::get(std::string_view key) const {
  if (auto it = values_.find(std::string(key)); it != values_.end()) return it->second.value;
  if (const auto* info = find_key(key); info != nullptr && !info->default_value.empty()) {
    return std::string(info->default_value);
  }
  return std::nullopt;
}

std::string Config::get_string(std::string_view key, std::string_view fallback) const {
  auto v = get(key);
  return v ? *v : std::string(fallback);
}

namespace {

Result<int64_t> parse_int(std::string_view key, const std::string& text) {
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return make_error(Errc::invalid_argument,
                      "setting '" + std::string(key) + "' = '" + text + "' is not an integer");
  }
  return out;
}

Result<double> parse_double(std::string_view key, const std::string& text) {
  char* end = nullptr;
  double out = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) {
    return make_error(Errc::invalid_argument,
                      "setting '" + std::string(key) + "' = '" + text + "' is not a number");
  }
  return out;
}

// The value of `key` when set and not empty, else its non-empty default.
std::optional<std::string> value_or_default(const Config& config, std::string_view key) {
  auto v = config.get(key);
  if (v && v->empty()) {
    const auto* info = find_key(key);
    v = info != nullptr && !info->default_value.empty()
            ? std::optional<std::string>(info->default_value)
            : std::nullopt;
  }
  return v;
}

}  // namespace

Result<int64_t> Config::get_int(std::string_view key, int64_t fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  return parse_int(key, *v);
}

Result<double> Config::get_double(std::string_view key, double fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  return parse_double(key, *v);
}

Result<std::optional<int64_t>> Config::find_int(std::string_view key) const {
  auto v = value_or_default(*this, key);
  if (!v) return std::optional<int64_t>{};
  SL_ASSIGN_OR_RETURN(auto n, parse_int(key, *v));
  return std::optional<int64_t>(n);
}

Result<std::optional<double>> Config::find_double(std::string_view key) const {
  auto v = value_or_default(*this, key);
  if (!v) return std::optional<double>{};
  SL_ASSIGN_OR_RETURN(auto n, parse_double(key, *v));
  return std::optional<double>(n);
}

bool Config::get_bool(std::string_view key, bool fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  return *v == "1" || *v == "true" || *v == "yes" || *v == "on";
}

const Setting* Config::setting(std::string_view key) const {
  auto it = values_.find(std::string(key));
  return it == values_.end() ? nullptr : &it->second;
}

void Config::set(std::string key, std::string value, std::string source) {
  values_[std::move(key)] = Setting{std::move(value), std::move(source)};
}

std::filesystem::path Config::home() const {
  return std::filesystem::absolute(get_string("home")).lexically_normal();
}

std::filesystem::path Config::lake_root() const {
  auto root = get_string("lake.root");
  if (root.empty()) return home() / "delta";
  // An object store URI (s3://bucket/prefix) is kept as written: it is no local path.
  if (root.find("://") != std::string::npos) return root;
  return std::filesystem::absolute(root).lexically_normal();
}

bool Config::embedded_database() const {
  return get_string("database.url").empty() && get_string("database.host").empty();
}

}  // namespace sl::config
