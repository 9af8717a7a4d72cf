// ChangeFeed: the change events of one replication slot, for a job that makes each transaction
// durable in its own sink and only then confirms it (Bronze ingest, the Slack outbox).
//
// Order of use: open(), then poll() in a loop; it feeds decoded events and transaction ends to
// the callbacks. confirm(end LSN) once the sink holds a transaction durably. A lost connection
// is re-established with backoff from the last confirmed position; `on_reset` is called first,
// so the sink drops what it had not made durable (the server sends it again). Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "cdc/event_builder.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"
#include "pg/replication_stream.hpp"

namespace sl::lakehouse {

struct ChangeFeedOptions {
  std::string conninfo;
  std::string slot;
  std::string publication;
  std::function<bool()> stop_requested;  // ends the backoff of a reconnection
};

class ChangeFeed {
 public:
  // `sql`: a normal connection to the source database (keys and NOT NULL columns are read from
  // its catalog). `from` 0/0 starts at the slot's confirmed position.
  static Result<ChangeFeed> open(pg::Connection& sql, ChangeFeedOptions options, pg::Lsn from);

  // Waits up to `timeout` for one message and feeds it; returns whether one came.
  Result<bool> poll(std::chrono::milliseconds timeout, const cdc::EventBuilder::EventSink& on_event,
                    const cdc::EventBuilder::CommitSink& on_commit,
                    const std::function<void()>& on_reset);

  void confirm(pg::Lsn lsn) { stream_.confirm(lsn); }
  Status send_status() { return stream_.send_status(); }
  pg::Lsn confirmed() const { return stream_.confirmed(); }

 private:
  ChangeFeed(ChangeFeedOptions options, pg::ReplicationStream stream, std::string database,
             std::map<std::string, std::vector<std::string>> keys,
             std::map<std::string, std::vector<std::string>> not_null);
  std::unique_ptr<cdc::EventBuilder> new_builder() const;

  ChangeFeedOptions options_;
  pg::ReplicationStream stream_;
  std::string database_;
  std::map<std::string, std::vector<std::string>> keys_;
  std::map<std::string, std::vector<std::string>> not_null_;
  std::unique_ptr<cdc::EventBuilder> builder_;
};

}  // namespace sl::lakehouse
