// ReplicationStream: a logical replication connection (replication=database) speaking the
// streaming replication protocol with the pgoutput plugin.
//
// Order of use:
// 1. connect(conninfo) — adds replication=database;
// 2. create_slot(name) (once; returns the consistent point and an exported snapshot name that a
//    second, normal connection can SET TRANSACTION SNAPSHOT to, for the initial snapshot) or use
//    an existing slot;
// 3. start(slot, from, publication) — START_REPLICATION ... LOGICAL from (proto_version '1');
// 4. loop: next(timeout) returns XLogData payloads (decode them with decode_pgoutput) or a
//    timeout; keepalives are answered inside next();
// 5. confirm(lsn) after the consumer made everything up to `lsn` durable (a Commit's end_lsn):
//    only confirmed positions are ever reported as flushed, so a crash replays from there.
//    When everything received is confirmed, keepalives move the reported position to the
//    server's WAL end, so an idle slot does not hold WAL back.
// Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "pg/connection.hpp"
#include "pg/lsn.hpp"

namespace sl::pg {

struct SystemIdentity {
  std::string system_id;
  int timeline = 0;
  Lsn xlog_position;
  std::string database;
};

struct SlotInfo {
  std::string name;
  Lsn consistent_point;
  std::string snapshot_name;  // valid until the next command on this connection
};

struct XLogData {
  Lsn wal_start;  // LSN of this message (a change's LSN; a Commit's end LSN)
  Lsn wal_end;
  // One pgoutput message, in libpq's receive buffer: valid until the next call to next() (no
  // copy per message on the hot path).
  std::string_view payload;
};

class ReplicationStream {
 public:
  static Result<ReplicationStream> connect(const std::string& conninfo);

  Result<SystemIdentity> identify_system();
  // CREATE_REPLICATION_SLOT name LOGICAL pgoutput, exporting a snapshot. A temporary slot is
  // dropped by the server when this connection ends: used only for its exported snapshot and
  // consistent point (e.g. to snapshot one more table later, at a known position).
  Result<SlotInfo> create_slot(const std::string& name, bool temporary = false);
  Status drop_slot(const std::string& name);
  Status start(const std::string& slot, Lsn from, const std::string& publication);

  // The next XLogData, or nullopt when `timeout` passed without one (Poll::timeout as a value).
  Result<std::optional<XLogData>> next(std::chrono::milliseconds timeout);
  // Declares everything up to `lsn` durable downstream; reported at the next status update.
  void confirm(Lsn lsn);
  // Sends a standby status update now.
  Status send_status(bool reply_requested = false);

  Lsn confirmed() const { return confirmed_; }
  Lsn reported() const { return reported_; }

 private:
  explicit ReplicationStream(Connection conn) : conn_(std::move(conn)) {}
  Status handle_keepalive(std::string_view message);
  Lsn position_to_report() const;

  struct CopyBufferDeleter {
    void operator()(char* buffer) const;
  };

  Connection conn_;
  std::unique_ptr<char, CopyBufferDeleter> copy_buffer_;  // bytes of the last XLogData
  Lsn last_received_;                                     // wal_end of the last XLogData
  Lsn confirmed_;                                         // what the consumer declared durable
  Lsn server_wal_end_;                                    // from keepalives
  Lsn reported_;                                          // last flush position sent
  std::chrono::steady_clock::time_point last_status_{};
};

// Connects and starts streaming `slot` from `from`. With `retry`, a retryable failure (server
// down, restarting, connection refused) is tried again with exponential backoff (0.5 s doubling
// to 30 s) until it works or `stop_requested` returns true.
Result<ReplicationStream> start_replication(const std::string& conninfo, const std::string& slot,
                                            Lsn from, const std::string& publication, bool retry,
                                            const std::function<bool()>& stop_requested = {});

}  // namespace sl::pg
