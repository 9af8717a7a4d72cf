// Which database sportlake talks to: an external one from the configuration, or the embedded
// cluster.
#pragma once

#include <string>

#include "common/config.hpp"
#include "common/result.hpp"
#include "pg/cluster.hpp"

namespace sl::pg {

// The embedded cluster described by the configuration (<home>/postgres, embedded.port,
// database.name); not started.
Cluster embedded_cluster(const config::Config& config);

// The conninfo of the configured database:
// - database.url (SPORTLAKE_DB_URL / DATABASE_URL) as is;
// - else database.host/port/name/user/password (DB_HOST, DB_PORT... as in the seed);
// - else the embedded cluster, started when `start_embedded` (first use initialises it).
Result<std::string> resolve_conninfo(const config::Config& config, bool start_embedded = true);

}  // namespace sl::pg
