// Resolution of the configured database: external DSN, DB_* variables, or the embedded cluster.
#include "pg/database.hpp"

#include <optional>

namespace sl::pg {

namespace {
// Quotes a libpq keyword/value (single quotes, backslash escapes).
std::string conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// The external database's conninfo, or nullopt when none is configured.
std::optional<std::string> external_conninfo(const config::Config& config) {
  if (auto url = config.get_string("database.url"); !url.empty()) return url;
  if (auto host = config.get_string("database.host"); !host.empty()) {
    std::string out = "host=" + conninfo_value(host);
    out += " port=" + conninfo_value(config.get_string("database.port"));
    out += " dbname=" + conninfo_value(config.get_string("database.name"));
    if (auto user = config.get_string("database.user"); !user.empty())
      out += " user=" + conninfo_value(user);
    if (auto pw = config.get_string("database.password"); !pw.empty())
      out += " password=" + conninfo_value(pw);
    return out;
  }
  return std::nullopt;
}

}  // namespace

Cluster embedded_cluster(const config::Config& config) {
  ClusterOptions options;
  options.dir = config.home() / "postgres";
  options.port = static_cast<int>(config.get_int("embedded.port", 0).value_or(0));
  options.database = config.get_string("database.name");
  options.listen = config.get_string("embedded.listen");
  options.secrets_dir = config.home() / "secrets";
  return Cluster(options);
}

Result<std::string> resolve_conninfo(const config::Config& config, bool start_embedded) {
  if (auto external = external_conninfo(config)) return *external;
  Cluster cluster = embedded_cluster(config);
  if (start_embedded) SL_TRY(cluster.start());
  return cluster.conninfo(cluster.options().database, cluster.options().jobs_role);
}

Result<std::string> resolve_admin_conninfo(const config::Config& config, bool start_embedded) {
  if (auto external = external_conninfo(config)) return *external;
  Cluster cluster = embedded_cluster(config);
  if (start_embedded) SL_TRY(cluster.start());
  return cluster.conninfo(cluster.options().database);
}

}  // namespace sl::pg
