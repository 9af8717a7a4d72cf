// Replication slots: the one place that asks whether a slot exists, creates one (with the
// snapshot it exports) and opens an existing one, for `sportlake cdc` and every job's own slot.
#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "pg/connection.hpp"
#include "pg/replication_stream.hpp"

namespace sl::cdc {

// A slot just created, with the replication connection that created it: the exported snapshot
// (`info.snapshot_name`) stays usable while this object lives and its connection stays idle.
// Reading the snapshot and then streaming from `info.consistent_point` sees every row once.
struct NewSlot {
  pg::ReplicationStream creator;
  pg::SlotInfo info;
};

Result<bool> slot_exists(pg::Connection& sql, const std::string& name);

// CREATE_REPLICATION_SLOT on a new replication connection. A temporary slot is dropped when the
// NewSlot goes away: used only for its snapshot and consistent point.
Result<NewSlot> create_slot(const std::string& conninfo, const std::string& name,
                            bool temporary = false);

Status drop_slot(pg::Connection& sql, const std::string& name);

// Where to start streaming a slot that may not exist yet.
struct SlotStart {
  // 0/0 for an existing slot (the server resumes at its confirmed position), the consistent
  // point of a slot created now.
  pg::Lsn from;
  std::optional<NewSlot> created;  // set when the slot was created by this call
};

// Opens slot `name`, creating it when missing. A caller that wants the rows present before the
// slot reads them under `created->info.snapshot_name` before streaming.
Result<SlotStart> open_or_create_slot(pg::Connection& sql, const std::string& conninfo,
                                      const std::string& name);

}  // namespace sl::cdc
