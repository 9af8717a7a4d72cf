// SlotChangeSource: the ChangeSource of a PostgreSQL replication slot — the one replication loop
// (stream → pgoutput decoding → change events) shared by `sportlake cdc` and every job.
//
// Order of use: open() (the slot exists: see cdc/slot.hpp), then poll() in a loop, confirm() the
// end of each transaction once it is durable downstream. A lost connection (server restart,
// walsender terminated) is re-established with backoff from the last confirmed position;
// `on_reset` is called first, so the job drops what it had not made durable (the server sends it
// again whole). Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cdc/change_source.hpp"
#include "cdc/event_builder.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"
#include "pg/replication_stream.hpp"

namespace sl::cdc {

struct SlotSourceOptions {
  std::string conninfo;
  std::string slot;
  std::string publication;
  std::function<bool()> stop_requested;  // ends the backoff of a reconnection
};

class SlotChangeSource final : public ChangeSource {
 public:
  // `sql`: a normal connection to the source database (keys and NOT NULL columns are read from
  // its catalog). `from` 0/0 starts at the slot's confirmed position.
  static Result<std::unique_ptr<SlotChangeSource>> open(pg::Connection& sql,
                                                        SlotSourceOptions options, pg::Lsn from);

  // Feeds at most one replication message per call.
  Result<bool> poll(std::chrono::milliseconds timeout, const ChangeHandler& handler) override;
  void confirm(const SourcePosition& position) override { stream_.confirm(position.lsn); }
  Status flush_confirmed() override { return stream_.send_status(); }
  SourcePosition confirmed() const override { return {stream_.confirmed()}; }

  // The position last reported to the server as flushed.
  pg::Lsn reported() const { return stream_.reported(); }

 private:
  SlotChangeSource(SlotSourceOptions options, pg::ReplicationStream stream, std::string database,
                   std::map<std::string, std::vector<std::string>> keys,
                   std::map<std::string, std::vector<std::string>> not_null,
                   pg::Connection catalog);
  // A builder that starts after the commit ending at `start`.
  std::unique_ptr<EventBuilder> new_builder(pg::Lsn start);
  Result<EventBuilder::TableCatalog> table_catalog(const std::string& schema,
                                                   const std::string& table);

  SlotSourceOptions options_;
  pg::ReplicationStream stream_;
  std::string database_;
  std::map<std::string, std::vector<std::string>> keys_;
  std::map<std::string, std::vector<std::string>> not_null_;
  // A normal connection of our own for the catalog of tables seen mid-stream (reopened once when
  // lost).
  pg::Connection catalog_;
  std::unique_ptr<EventBuilder> builder_;
};

}  // namespace sl::cdc
