// Replication slots: existence, creation with an exported snapshot, open-or-create.
#include "cdc/slot.hpp"

namespace sl::cdc {

Result<bool> slot_exists(pg::Connection& sql, const std::string& name) {
  SL_ASSIGN_OR_RETURN(
      auto rows,
      sql.exec_params("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", {name}));
  return rows.rows() != 0;
}

Result<NewSlot> create_slot(const std::string& conninfo, const std::string& name, bool temporary) {
  SL_ASSIGN_OR_RETURN(auto creator, pg::ReplicationStream::connect(conninfo));
  SL_ASSIGN_OR_RETURN(auto info, creator.create_slot(name, temporary));
  return NewSlot{std::move(creator), std::move(info)};
}

Status drop_slot(pg::Connection& sql, const std::string& name) {
  SL_TRY(sql.exec_params("SELECT pg_drop_replication_slot($1)", {name}));
  return {};
}

Result<SlotStart> open_or_create_slot(pg::Connection& sql, const std::string& conninfo,
                                      const std::string& name) {
  SL_ASSIGN_OR_RETURN(bool exists, slot_exists(sql, name));
  if (exists) return SlotStart{};
  SL_ASSIGN_OR_RETURN(auto created, create_slot(conninfo, name));
  SlotStart start;
  start.from = created.info.consistent_point;
  start.created = std::move(created);
  return start;
}

}  // namespace sl::cdc
