// ChangeFeed: replication stream + pgoutput decoding + event building + reconnection.
#include "lakehouse/change_feed.hpp"

#include <spdlog/spdlog.h>

#include "pg/pgoutput_decoder.hpp"

namespace sl::lakehouse {

ChangeFeed::ChangeFeed(ChangeFeedOptions options, pg::ReplicationStream stream,
                       std::string database, std::map<std::string, std::vector<std::string>> keys,
                       std::map<std::string, std::vector<std::string>> not_null)
    : options_(std::move(options)),
      stream_(std::move(stream)),
      database_(std::move(database)),
      keys_(std::move(keys)),
      not_null_(std::move(not_null)),
      builder_(new_builder()) {}

std::unique_ptr<cdc::EventBuilder> ChangeFeed::new_builder() const {
  auto builder = std::make_unique<cdc::EventBuilder>(database_);
  builder->set_primary_keys(keys_);
  builder->set_not_null_columns(not_null_);
  return builder;
}

Result<ChangeFeed> ChangeFeed::open(pg::Connection& sql, ChangeFeedOptions options, pg::Lsn from) {
  SL_ASSIGN_OR_RETURN(auto keys, cdc::read_primary_keys(sql));
  SL_ASSIGN_OR_RETURN(auto not_null, cdc::read_not_null_columns(sql));
  SL_ASSIGN_OR_RETURN(auto database, sql.exec("SELECT current_database()"));
  SL_ASSIGN_OR_RETURN(auto stream, pg::start_replication(options.conninfo, options.slot, from,
                                                         options.publication, false));
  return ChangeFeed(std::move(options), std::move(stream), std::string(database.value(0, 0)),
                    std::move(keys), std::move(not_null));
}

Result<bool> ChangeFeed::poll(std::chrono::milliseconds timeout,
                              const cdc::EventBuilder::EventSink& on_event,
                              const cdc::EventBuilder::CommitSink& on_commit,
                              const std::function<void()>& on_reset) {
  auto data = stream_.next(timeout);
  if (!data && data.error().code == Errc::unavailable) {
    spdlog::warn("{}: {}; reconnecting", options_.slot, data.error().to_string());
    if (on_reset) on_reset();
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
  SL_TRY(builder_->feed(**data, std::move(*message), on_event, on_commit));
  return true;
}

}  // namespace sl::lakehouse
