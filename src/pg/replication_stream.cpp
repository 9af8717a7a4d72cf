// Streaming replication over libpq's CopyBoth mode: XLogData, keepalives, status updates.
#include "pg/replication_stream.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cstring>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/byte_cursor.hpp"
#include "common/clock.hpp"

namespace sl::pg {

namespace {

// Microseconds since 2000-01-01, the protocol's clock.
int64_t pg_now() {
  return unix_now_us() - 946684800000000LL;
}

void put_be64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

constexpr auto k_status_interval = std::chrono::seconds(10);

}  // namespace

void ReplicationStream::CopyBufferDeleter::operator()(char* buffer) const {
  PQfreemem(buffer);
}

Result<ReplicationStream> ReplicationStream::connect(const std::string& conninfo) {
  // Keyword form works for both URLs and key=value strings: libpq merges them.
  std::string info = conninfo.find("://") != std::string::npos
                         ? conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") +
                               "replication=database"
                         : conninfo + " replication=database";
  SL_ASSIGN_OR_RETURN(auto conn, Connection::open(info));
  return ReplicationStream(std::move(conn));
}

Result<SystemIdentity> ReplicationStream::identify_system() {
  SL_ASSIGN_OR_RETURN(auto r, conn_.exec("IDENTIFY_SYSTEM"));
  if (r.rows() != 1 || r.columns() < 4)
    return make_error(Errc::corrupt, "pg: unexpected IDENTIFY_SYSTEM result");
  SystemIdentity id;
  id.system_id = std::string(r.value(0, 0));
  id.timeline = std::atoi(std::string(r.value(0, 1)).c_str());
  id.xlog_position = Lsn::parse(r.value(0, 2)).value_or(Lsn{});
  id.database = std::string(r.value(0, 3));
  return id;
}

Result<SlotInfo> ReplicationStream::create_slot(const std::string& name, bool temporary) {
  SL_ASSIGN_OR_RETURN(
      auto r, conn_.exec("CREATE_REPLICATION_SLOT " + quote_identifier(name) +
                         (temporary ? " TEMPORARY" : "") + " LOGICAL pgoutput EXPORT_SNAPSHOT"));
  if (r.rows() != 1 || r.columns() < 3)
    return make_error(Errc::corrupt, "pg: unexpected CREATE_REPLICATION_SLOT result");
  SlotInfo slot;
  slot.name = std::string(r.value(0, 0));
  auto lsn = Lsn::parse(r.value(0, 1));
  if (!lsn)
    return make_error(Errc::corrupt, "pg: slot consistent point '" + std::string(r.value(0, 1)) +
                                         "' is not an LSN");
  slot.consistent_point = *lsn;
  slot.snapshot_name = r.optional_value(0, 2).value_or("");
  return slot;
}

Status ReplicationStream::drop_slot(const std::string& name) {
  SL_TRY(conn_.exec("DROP_REPLICATION_SLOT " + quote_identifier(name)));
  return {};
}

Status ReplicationStream::start(const std::string& slot, Lsn from, const std::string& publication) {
  // publication_names is a string literal holding a list of identifiers.
  std::string sql = "START_REPLICATION SLOT " + quote_identifier(slot) + " LOGICAL " +
                    from.to_string() + " (proto_version '1', publication_names " +
                    quote_literal(quote_identifier(publication)) + ")";
  PGresult* result = PQexec(conn_.native(), sql.c_str());
  auto status = PQresultStatus(result);
  std::string error = PQresultErrorMessage(result);
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state ? state : "";
  PQclear(result);
  if (status != PGRES_COPY_BOTH) {
    while (!error.empty() && error.back() == '\n') error.pop_back();
    // A missing slot (42704) or a bad option is final; a slot still held by a walsender that is
    // going away (55006), a lost connection or a shutting-down server may pass: retryable.
    Errc code = Errc::invalid_argument;
    if (sqlstate == "42704")
      code = Errc::not_found;
    else if (sqlstate.empty() || sqlstate == "55006" || sqlstate.starts_with("08") ||
             sqlstate.starts_with("57") || sqlstate.starts_with("53"))
      code = Errc::unavailable;
    return make_error(code, "pg: START_REPLICATION of slot " + slot + " failed: " + error);
  }
  confirmed_ = from;
  reported_ = from;
  last_received_ = from;
  last_status_ = std::chrono::steady_clock::now();
  return {};
}

void ReplicationStream::confirm(Lsn lsn) {
  if (lsn > confirmed_) confirmed_ = lsn;
}

Lsn ReplicationStream::position_to_report() const {
  // Nothing received is awaiting confirmation: the server's WAL end is safe to report, since
  // any transaction committing later has a larger commit LSN and will still be sent.
  if (confirmed_ >= last_received_ && server_wal_end_ > confirmed_) return server_wal_end_;
  return confirmed_;
}

Status ReplicationStream::send_status(bool reply_requested) {
  Lsn flushed = position_to_report();
  std::string message = "r";
  put_be64(message, flushed.value);  // written
  put_be64(message, flushed.value);  // flushed: what the slot's confirmed_flush_lsn follows
  put_be64(message, flushed.value);  // applied
  put_be64(message, static_cast<uint64_t>(pg_now()));
  message.push_back(reply_requested ? 1 : 0);
  if (PQputCopyData(conn_.native(), message.data(), static_cast<int>(message.size())) != 1 ||
      PQflush(conn_.native()) != 0) {
    return make_error(Errc::unavailable, std::string("pg: cannot send standby status: ") +
                                             PQerrorMessage(conn_.native()));
  }
  reported_ = flushed;
  last_status_ = std::chrono::steady_clock::now();
  return {};
}

Status ReplicationStream::handle_keepalive(std::string_view message) {
  // 'k' Int64 walEnd, Int64 sendTime, Byte1 replyRequested
  ByteCursor in(message.substr(1));
  uint64_t wal_end = in.fixed_be<uint64_t>("keepalive.walEnd");
  in.fixed_be<int64_t>("keepalive.sendTime");
  bool reply = in.u8("keepalive.replyRequested") != 0;
  if (!in.ok()) return make_error(Errc::parse, "pg: malformed keepalive: " + in.error());
  if (Lsn{wal_end} > server_wal_end_) server_wal_end_ = Lsn{wal_end};
  if (reply || position_to_report() != reported_) return send_status(false);
  return {};
}

Result<std::optional<XLogData>> ReplicationStream::next(std::chrono::milliseconds timeout) {
  PGconn* conn = conn_.native();
  copy_buffer_.reset();  // the previous XLogData's payload ends here
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool read_after_deadline = false;
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_status_ >= k_status_interval || position_to_report() > reported_)
      SL_TRY(send_status());
    char* buffer = nullptr;
    int n = PQgetCopyData(conn, &buffer, 1);
    if (n > 0) {
      std::string_view message(buffer, static_cast<size_t>(n));
      if (message[0] == 'w') {
        // 'w' Int64 dataStart, Int64 walEnd, Int64 sendTime, Byte[n] payload
        ByteCursor in(message.substr(1));
        XLogData data;
        data.wal_start = Lsn{in.fixed_be<uint64_t>("XLogData.dataStart")};
        data.wal_end = Lsn{in.fixed_be<uint64_t>("XLogData.walEnd")};
        in.fixed_be<int64_t>("XLogData.sendTime");
        if (!in.ok()) {
          PQfreemem(buffer);
          return make_error(Errc::parse, "pg: malformed XLogData: " + in.error());
        }
        auto rest = in.rest();
        data.payload = std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size());
        copy_buffer_.reset(buffer);
        if (data.wal_start > last_received_) last_received_ = data.wal_start;
        if (data.wal_end > server_wal_end_) server_wal_end_ = data.wal_end;
        return std::optional<XLogData>(std::move(data));
      }
      if (message[0] == 'k') {
        auto st = handle_keepalive(message);
        PQfreemem(buffer);
        SL_TRY(st);
        continue;
      }
      char tag = message[0];
      PQfreemem(buffer);
      return make_error(Errc::parse, std::string("pg: unknown replication message '") + tag + "'");
    }
    if (n == -1)
      return make_error(Errc::unavailable, "pg: the server ended the replication stream");
    if (n == -2)
      return make_error(Errc::unavailable,
                        std::string("pg: replication stream broken: ") + PQerrorMessage(conn));
    // No complete message buffered: wait for the socket, bounded by the deadline and the next
    // status update. Past the deadline the socket is still read once without waiting, so a
    // zero timeout polls instead of never reading.
    now = std::chrono::steady_clock::now();
    if (now >= deadline && read_after_deadline) return std::optional<XLogData>();
    int ms = 0;
    if (now < deadline) {
      auto wait = std::min(deadline - now, k_status_interval - (now - last_status_));
      ms =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) + 1;
    } else {
      read_after_deadline = true;
    }
    pollfd pfd{PQsocket(conn), POLLIN, 0};
    if (::poll(&pfd, 1, ms) < 0 && errno != EINTR) return make_error(Errc::io, "pg: poll failed");
    if (PQconsumeInput(conn) != 1) {
      return make_error(Errc::unavailable,
                        std::string("pg: replication connection lost: ") + PQerrorMessage(conn));
    }
  }
}

Result<ReplicationStream> start_replication(const std::string& conninfo, const std::string& slot,
                                            Lsn from, const std::string& publication, bool retry,
                                            const std::function<bool()>& stop_requested) {
  auto delay = std::chrono::milliseconds(500);
  for (;;) {
    auto attempt = [&]() -> Result<ReplicationStream> {
      SL_ASSIGN_OR_RETURN(auto stream, ReplicationStream::connect(conninfo));
      SL_TRY(stream.start(slot, from, publication));
      return stream;
    }();
    if (attempt || !retry || !retryable(attempt.error().code) ||
        (stop_requested && stop_requested()))
      return attempt;
    spdlog::warn("replication: {}; retrying in {} ms", attempt.error().to_string(), delay.count());
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(30000));
  }
}

}  // namespace sl::pg
