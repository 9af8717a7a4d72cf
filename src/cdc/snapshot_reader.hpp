// SnapshotReader: the initial snapshot of a publication's tables, read under the snapshot a
// replication slot exported when it was created, as `op` "r" events.
//
// Why this lines up with the stream: everything committed before the slot's consistent point is
// visible in the exported snapshot, everything committed after it is streamed from that point
// (reference/postgres-cdc.md §2.1). So a row inserted while the snapshot runs appears exactly once:
// in the snapshot if it committed before the slot was created, in the stream otherwise.
//
// Order of use:
// 1. ReplicationStream::create_slot(name) on the replication connection → consistent point and
//    snapshot name. That connection must stay idle (no other command) until step 2 has run,
//    or the exported snapshot is gone;
// 2. read_snapshot(conn, options, on_event) on a second, normal connection: BEGIN REPEATABLE
//    READ, SET TRANSACTION SNAPSHOT, then each published table in (schema, table) order through a
//    cursor (`fetch_rows` at a time, so memory does not grow with the table), COMMIT;
// 3. make the sink durable, then ReplicationStream::start(slot, consistent_point, publication).
// Steps 1-2 cannot overlap; several readers could import the same snapshot in parallel (one table
// each), which this reader does not do.
//
// `source.snapshot` follows Debezium (RelationalSnapshotChangeEventSource.setSnapshotMarker):
// "last" for the last row of the snapshot, else "first" for its first row, else
// "last_in_data_collection" / "first_in_data_collection" for the last / first row of a table,
// "true" otherwise. Empty tables are skipped, so "last" is the last row actually read.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "cdc/change_event.hpp"
#include "cdc/event_builder.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::cdc {

struct SnapshotOptions {
  std::string publication;
  std::string snapshot_name;  // from SlotInfo; empty: read the current state (no exported snapshot)
  pg::Lsn consistent_point;   // source.lsn of every snapshot row (Debezium does the same)
  // Only these tables ("schema.table"); empty: every table of the publication.
  std::vector<std::string> tables;
  size_t fetch_rows = 10000;
  // Called with the clock for source.ts_* (the read time); a parameter so tests are deterministic.
  std::function<int64_t()> now_us;
};

struct SnapshotStats {
  size_t tables = 0;
  size_t rows = 0;
};

// The publication's tables with the columns pgoutput sends for them (no dropped or generated
// columns) and key flags from the primary key (else the replica-identity index), by (schema,
// table).
Result<std::vector<pg::Relation>> published_tables(pg::Connection& conn,
                                                   const std::string& publication);

// Reads every table of the publication under the exported snapshot; `on_event` receives one
// `op` "r" event per row. Errors name the table.
Result<SnapshotStats> read_snapshot(pg::Connection& conn, const SnapshotOptions& options,
                                    const EventBuilder::EventSink& on_event);

}  // namespace sl::cdc
