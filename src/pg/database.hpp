// Which database sportlake talks to: an external one from the configuration, or the embedded
// cluster.
#pragma once

#include <string>

#include "common/config.hpp"
#include "common/result.hpp"
#include "pg/cluster.hpp"

namespace sl::pg {

// The embedded cluster described by the configuration (<home>/postgres, embedded.port,
// embedded.listen, database.name, passwords in <home>/secrets); not started.
Cluster embedded_cluster(const config::Config& config);

// The conninfo of the configured database:
// - database.url (SPORTLAKE_DB_URL / DATABASE_URL) as is;
// - else database.host/port/name/user/password (DB_HOST, DB_PORT... as in the seed);
// - else the embedded cluster, started when `start_embedded` (first use initialises it), over its
//   private socket as the jobs' role (REPLICATION and rows of the tables, not a superuser).
Result<std::string> resolve_conninfo(const config::Config& config, bool start_embedded = true);

// The same for setup (migrations, publication): the embedded cluster's superuser over its
// private socket; an external database's conninfo is the same as resolve_conninfo's.
Result<std::string> resolve_admin_conninfo(const config::Config& config,
                                           bool start_embedded = true);

}  // namespace sl::pg
