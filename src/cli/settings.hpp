// Settings: the configuration as typed fields, read once at start-up from common/config (whose key
// table holds every default); the commands read these fields, never the configuration keys.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.hpp"
#include "common/result.hpp"
#include "rewards/rules.hpp"

namespace sl::cli {

// The value of a Result field before Settings::read (a programmer error to use).
Error settings_not_read();

// What the publisher writes besides the changes, under Debezium's option names: `cdc --sink
// kafka` (whose flags override them) and the publish role of `up --kafka`.
struct PublisherSettings {
  bool transaction_metadata = false;  // cdc.provide_transaction_metadata: BEGIN/END records
  long heartbeat_interval_ms = 0;     // cdc.heartbeat_interval_ms (0: no heartbeats)
  std::string heartbeat_prefix;       // cdc.topic_heartbeat_prefix
};

struct CdcSettings {
  std::string slot_prefix;   // cdc.slot: each job streams from the slot <prefix>_<job>
  std::string publication;   // cdc.publication
  std::string topic_prefix;  // kafka.topic_prefix: Debezium topics <prefix>.<schema>.<table>
  Result<PublisherSettings> publisher = settings_not_read();
};

// The publisher's settings read and checked from `config` (errors name the key); the one reading
// of them, also for `cdc`'s flags, which it sets over the configuration's values.
Result<PublisherSettings> read_publisher_settings(const config::Config& config);

// Kafka / Redpanda (scale-out mode). Every other `kafka.*` key (SASL, TLS, compression...) is a
// librdkafka property passed through; its values may be secrets and are never printed.
struct KafkaSettings {
  std::string bootstrap_servers;  // kafka.bootstrap_servers (KAFKA_BOOTSTRAP_SERVERS)
  std::string group_prefix;       // kafka.group: each role's consumer group is <prefix>_<role>
  Result<int> partitions = settings_not_read();          // kafka.partitions (-1: broker's)
  Result<int> replication_factor = settings_not_read();  // kafka.replication_factor (-1: broker's)
  std::vector<std::pair<std::string, std::string>> properties;  // librdkafka name, value
};

// The settings behind a value that does not parse are kept as that error: only the commands that
// use them fail (a bad maps.detour_factor must not stop `sportlake ingest` or `sportlake config`).
struct MapsSettings {
  std::string api_key;          // maps.api_key (API_KEY_MAPS); empty: no Google provider
  std::string provider;         // maps.provider: auto, google-matrix, google-routes or offline
  std::string destination;      // maps.destination: the workplace's address
  std::string base_url;         // maps.base_url (Distance Matrix)
  std::string routes_base_url;  // maps.routes_base_url (computeRouteMatrix)
  std::filesystem::path
      gazetteer;  // maps.gazetteer, else data/geo/france_cities.csv of the install
  // The offline estimate: road distance / great-circle distance, and the workplace's point
  // (nullopt: its commune's point).
  Result<double> detour_factor = settings_not_read();
  Result<std::optional<std::pair<double, double>>> destination_point = settings_not_read();
};

// The S3 client of a lake on object storage (lake.s3.*, or the usual AWS variables). Empty strings
// are "not set": the AWS profile files, then the defaults, fill them (cli/lake_storage).
struct S3Settings {
  std::string endpoint;           // lake.s3.endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL)
  std::string region;             // lake.s3.region (AWS_REGION, AWS_DEFAULT_REGION)
  std::string path_style;         // lake.s3.path_style (AWS_S3_FORCE_PATH_STYLE): true/false/empty
  std::string profile;            // lake.s3.profile (AWS_PROFILE)
  std::string access_key_id;      // lake.s3.access_key_id (AWS_ACCESS_KEY_ID)
  std::string secret_access_key;  // lake.s3.secret_access_key (AWS_SECRET_ACCESS_KEY), secret
  std::string session_token;      // lake.s3.session_token (AWS_SESSION_TOKEN), secret
  bool single_writer = false;     // lake.s3.single_writer (SPORTLAKE_S3_SINGLE_WRITER)
  Result<int> max_parallel_reads = settings_not_read();  // lake.s3.max_parallel_reads
  Result<std::optional<int>> multipart_mb = settings_not_read();  // lake.s3.multipart_mb
};

// maintenance.*: the table maintenance `up` runs and `lake maintain` defaults to.
struct MaintenanceSettings {
  bool enabled = true;                                      // maintenance.enabled
  Result<double> interval_s = settings_not_read();          // maintenance.interval
  Result<double> cleanup_interval_s = settings_not_read();  // maintenance.cleanup_interval
  Result<int> target_file_mb = settings_not_read();         // maintenance.target_file_mb
  Result<int> fan_in = settings_not_read();                 // maintenance.fan_in
  Result<int> budget_mb = settings_not_read();              // maintenance.budget_mb
};

struct Settings {
  std::filesystem::path home;       // home ($SPORTLAKE_HOME), absolute
  std::filesystem::path lake_root;  // lake.root, else <home>/delta
  S3Settings s3;                    // when lake.root (or a table named) is s3://...
  bool embedded_database = true;    // neither database.url nor database.host is set
  CdcSettings cdc;
  KafkaSettings kafka;
  MapsSettings maps;
  std::string slack_webhook_url;  // slack.webhook_url; empty: notifications go to the log
  std::string serve_listen;       // serve.listen, "host:port"
  MaintenanceSettings maintenance;
  // rules.*: checked (rate within [0, 1], positive thresholds...); errors name the key.
  Result<rewards::RewardRules> rules = settings_not_read();
  Result<std::optional<int>> year = settings_not_read();  // rules.year, when set

  // The replication slot of `job` ("bronze", "notify"...): cdc.slot + "_" + job.
  std::string slot(std::string_view job) const;
  // The consumer group of a role reading Kafka (`bronze`, `notify`, `distances`): kafka.group
  // + "_" + role.
  std::string consumer_group(std::string_view role) const;
  // rules.year, else the current year (asked at each call: a long-running `up` crosses years).
  Result<int> reference_year() const;

  static Settings read(const config::Config& config);
};

}  // namespace sl::cli
