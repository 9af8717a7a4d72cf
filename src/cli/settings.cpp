// Reading the typed settings from the configuration.
#include "cli/settings.hpp"

#include <chrono>
#include <cstdio>

#include "bus/kafka_sink.hpp"

namespace sl::cli {

namespace {

// A number of the key table, whose every number key but rules.year has a default.
template <class T>
Result<T> with_default(Result<std::optional<T>> found, std::string_view key) {
  if (!found) return found.error();
  if (!*found)
    return make_error(Errc::internal, "setting '" + std::string(key) + "' has no default");
  return **found;
}

Result<double> number(const config::Config& config, std::string_view key) {
  return with_default(config.find_double(key), key);
}

Result<int> integer(const config::Config& config, std::string_view key) {
  SL_ASSIGN_OR_RETURN(auto value, with_default(config.find_int(key), key));
  return static_cast<int>(value);
}

template <class T>
Result<T> positive(Result<T> value, std::string_view key) {
  if (value && *value <= 0)
    return make_error(Errc::invalid_argument, std::string(key) + " must be positive");
  return value;
}

Result<rewards::RewardRules> read_rules(const config::Config& config) {
  rewards::RewardRules r;
  SL_ASSIGN_OR_RETURN(r.bonus_rate, number(config, "rules.bonus_rate"));
  SL_ASSIGN_OR_RETURN(r.walk_max_km, number(config, "rules.walk_max_km"));
  SL_ASSIGN_OR_RETURN(r.bike_max_km, number(config, "rules.bike_max_km"));
  SL_ASSIGN_OR_RETURN(r.wellbeing_min_activities,
                      integer(config, "rules.wellbeing_min_activities"));
  SL_ASSIGN_OR_RETURN(r.wellbeing_days, integer(config, "rules.wellbeing_days"));
  if (r.bonus_rate < 0 || r.bonus_rate > 1 || r.walk_max_km <= 0 || r.bike_max_km <= 0 ||
      r.wellbeing_min_activities < 0 || r.wellbeing_days < 0)
    return make_error(Errc::invalid_argument,
                      "rules: the bonus rate must be within [0, 1], thresholds positive, the "
                      "well-being minimum and days not negative");
  return r;
}

Result<std::optional<int>> read_year(const config::Config& config) {
  SL_ASSIGN_OR_RETURN(auto year, config.find_int("rules.year"));
  if (!year) return std::optional<int>{};
  if (*year < 1900 || *year > 9999)
    return make_error(Errc::invalid_argument,
                      "rules.year " + std::to_string(*year) + " is not a year");
  return std::optional<int>(static_cast<int>(*year));
}

// "43.5803,3.9415" → (lat, lng); empty → nullopt.
Result<std::optional<std::pair<double, double>>> read_point(const config::Config& config) {
  const std::string text = config.get_string("maps.destination_point");
  if (text.empty()) return std::optional<std::pair<double, double>>{};
  double lat = 0, lng = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf", &lat, &lng) != 2)
    return make_error(Errc::invalid_argument,
                      "maps.destination_point '" + text + "' is not \"lat,lng\"");
  return std::optional<std::pair<double, double>>(std::pair{lat, lng});
}

}  // namespace

Result<PublisherSettings> read_publisher_settings(const config::Config& config) {
  PublisherSettings p;
  const std::string metadata = config.get_string("cdc.provide_transaction_metadata");
  if (metadata != "true" && metadata != "false")
    return make_error(Errc::invalid_argument, "cdc.provide_transaction_metadata '" + metadata +
                                                  "': true or false");
  p.transaction_metadata = metadata == "true";
  SL_ASSIGN_OR_RETURN(auto interval, with_default(config.find_int("cdc.heartbeat_interval_ms"),
                                                  "cdc.heartbeat_interval_ms"));
  if (interval < 0)
    return make_error(Errc::invalid_argument, "cdc.heartbeat_interval_ms: 0 (off) or more");
  p.heartbeat_interval_ms = interval;
  p.heartbeat_prefix = config.get_string("cdc.topic_heartbeat_prefix");
  if (p.heartbeat_prefix.empty())
    return make_error(Errc::invalid_argument, "cdc.topic_heartbeat_prefix: empty");
  return p;
}

Error settings_not_read() {
  return make_error(Errc::internal, "settings used before the configuration was read");
}

std::string Settings::slot(std::string_view job) const {
  return cdc.slot_prefix + "_" + std::string(job);
}

std::string Settings::consumer_group(std::string_view role) const {
  return kafka.group_prefix + "_" + std::string(role);
}

Result<int> Settings::reference_year() const {
  if (!year) return year.error();
  if (*year) return **year;
  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  return static_cast<int>(today.year());
}

Settings Settings::read(const config::Config& config) {
  Settings s;
  s.home = config.home();
  s.lake_root = config.lake_root();
  s.embedded_database = config.embedded_database();
  s.s3.endpoint = config.get_string("lake.s3.endpoint");
  s.s3.region = config.get_string("lake.s3.region");
  s.s3.path_style = config.get_string("lake.s3.path_style");
  s.s3.profile = config.get_string("lake.s3.profile");
  s.s3.access_key_id = config.get_string("lake.s3.access_key_id");
  s.s3.secret_access_key = config.get_string("lake.s3.secret_access_key");
  s.s3.session_token = config.get_string("lake.s3.session_token");
  s.s3.single_writer = config.get_bool("lake.s3.single_writer", false);
  s.s3.max_parallel_reads = integer(config, "lake.s3.max_parallel_reads");
  s.s3.multipart_mb = [&]() -> Result<std::optional<int>> {
    SL_ASSIGN_OR_RETURN(auto mb, config.find_int("lake.s3.multipart_mb"));
    if (!mb) return std::optional<int>();
    if (*mb < 5)  // S3's minimum part size
      return make_error(Errc::invalid_argument, "lake.s3.multipart_mb = " +
                                                    std::to_string(*mb) + ": S3 parts are >= 5 MiB");
    return std::optional<int>(static_cast<int>(*mb));
  }();
  s.cdc.slot_prefix = config.get_string("cdc.slot");
  s.cdc.publication = config.get_string("cdc.publication");
  s.cdc.topic_prefix = config.get_string("kafka.topic_prefix");
  s.cdc.publisher = read_publisher_settings(config);
  s.kafka.bootstrap_servers = config.get_string("kafka.bootstrap_servers");
  s.kafka.group_prefix = config.get_string("kafka.group");
  s.kafka.partitions = integer(config, "kafka.partitions");
  s.kafka.replication_factor = integer(config, "kafka.replication_factor");
  for (const auto& [key, setting] : config.values())
    if (auto property = bus::librdkafka_property(key))
      s.kafka.properties.emplace_back(*property, setting.value);
  s.maps.api_key = config.get_string("maps.api_key");
  s.maps.provider = config.get_string("maps.provider");
  s.maps.destination = config.get_string("maps.destination");
  s.maps.base_url = config.get_string("maps.base_url");
  s.maps.routes_base_url = config.get_string("maps.routes_base_url");
  s.maps.gazetteer = config.get_string("maps.gazetteer");
  // The communes file ships with the sources; its install path is known only at build time.
  if (s.maps.gazetteer.empty())
    s.maps.gazetteer = std::filesystem::path(SPORTLAKE_SOURCE_DIR) / "data/geo/france_cities.csv";
  s.maps.detour_factor = number(config, "maps.detour_factor");
  s.maps.destination_point = read_point(config);
  s.slack_webhook_url = config.get_string("slack.webhook_url");
  s.serve_listen = config.get_string("serve.listen");
  s.maintenance.enabled = config.get_bool("maintenance.enabled", true);
  s.maintenance.interval_s = positive(number(config, "maintenance.interval"), "maintenance.interval");
  s.maintenance.cleanup_interval_s =
      positive(number(config, "maintenance.cleanup_interval"), "maintenance.cleanup_interval");
  s.maintenance.target_file_mb =
      positive(integer(config, "maintenance.target_file_mb"), "maintenance.target_file_mb");
  s.maintenance.fan_in = positive(integer(config, "maintenance.fan_in"), "maintenance.fan_in");
  if (s.maintenance.fan_in && *s.maintenance.fan_in < 2)
    s.maintenance.fan_in = make_error(Errc::invalid_argument, "maintenance.fan_in must be at least 2");
  s.maintenance.budget_mb =
      positive(integer(config, "maintenance.budget_mb"), "maintenance.budget_mb");
  s.rules = read_rules(config);
  s.year = read_year(config);
  return s;
}

}  // namespace sl::cli
