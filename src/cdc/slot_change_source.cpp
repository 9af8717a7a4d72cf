// SlotChangeSource: replication stream + pgoutput decoding + event building + reconnection.
#include "cdc/slot_change_source.hpp"

#include <spdlog/spdlog.h>

#include "pg/pgoutput_decoder.hpp"

namespace sl::cdc {

SlotChangeSource::SlotChangeSource(SlotSourceOptions options, pg::ReplicationStream stream,
                                   std::string database,
                                   std::map<std::string, std::vector<std::string>> keys,
                                   std::map<std::string, std::vector<std::string>> not_null)
    : options_(std::move(options)),
      stream_(std::move(stream)),
      database_(std::move(database)),
      keys_(std::move(keys)),
      not_null_(std::move(not_null)),
      builder_(new_builder()) {}

std::unique_ptr<EventBuilder> SlotChangeSource::new_builder() const {
  auto builder = std::make_unique<EventBuilder>(database_);
  builder->set_primary_keys(keys_);
  builder->set_not_null_columns(not_null_);
  return builder;
}

Result<std::unique_ptr<SlotChangeSource>> SlotChangeSource::open(pg::Connection& sql,
                                                                 SlotSourceOptions options,
                                                                 pg::Lsn from) {
  SL_ASSIGN_OR_RETURN(auto keys, read_primary_keys(sql));
  SL_ASSIGN_OR_RETURN(auto not_null, read_not_null_columns(sql));
  SL_ASSIGN_OR_RETURN(auto database, sql.exec("SELECT current_database()"));
  SL_ASSIGN_OR_RETURN(auto stream, pg::start_replication(options.conninfo, options.slot, from,
                                                         options.publication, false));
  return std::unique_ptr<SlotChangeSource>(
      new SlotChangeSource(std::move(options), std::move(stream), std::string(database.value(0, 0)),
                           std::move(keys), std::move(not_null)));
}

Result<bool> SlotChangeSource::poll(std::chrono::milliseconds timeout,
                                    const ChangeHandler& handler) {
  auto data = stream_.next(timeout);
  if (!data && data.error().code == Errc::unavailable) {
    spdlog::warn("{}: {}; reconnecting", options_.slot, data.error().to_string());
    if (handler.on_reset) handler.on_reset();
    builder_ = new_builder();
    const pg::Lsn resume = stream_.confirmed();
    SL_ASSIGN_OR_RETURN(stream_,
                        pg::start_replication(options_.conninfo, options_.slot, resume,
                                              options_.publication, true, options_.stop_requested));
    spdlog::warn("{}: reconnected at {}", options_.slot, resume.to_string());
    return false;
  }
  if (!data) return data.error().with_context(options_.slot);
  if (!*data) return false;
  auto message = pg::decode_pgoutput((*data)->payload);
  if (!message)
    return message.error().with_context(options_.slot + " at " + (*data)->wal_start.to_string());
  SL_TRY(builder_->feed(**data, std::move(*message), handler.on_event,
                        [&handler](const pg::Commit& commit) -> Status {
                          return handler.on_transaction_end
                                     ? handler.on_transaction_end({commit.end_lsn})
                                     : Status{};
                        }));
  return true;
}

}  // namespace sl::cdc
