// SlotChangeSource: replication stream + pgoutput decoding + event building + reconnection.
#include "cdc/slot_change_source.hpp"

#include <spdlog/spdlog.h>

#include "pg/pgoutput_decoder.hpp"

namespace sl::cdc {

SlotChangeSource::SlotChangeSource(SlotSourceOptions options, pg::ReplicationStream stream,
                                   std::string database,
                                   std::map<std::string, std::vector<std::string>> keys,
                                   std::map<std::string, std::vector<std::string>> not_null,
                                   pg::Connection catalog)
    : options_(std::move(options)),
      stream_(std::move(stream)),
      database_(std::move(database)),
      keys_(std::move(keys)),
      not_null_(std::move(not_null)),
      catalog_(std::move(catalog)) {
  builder_ = new_builder(stream_.confirmed());
}

std::unique_ptr<EventBuilder> SlotChangeSource::new_builder(pg::Lsn start) {
  auto builder = std::make_unique<EventBuilder>(database_);
  builder->set_primary_keys(keys_);
  builder->set_not_null_columns(not_null_);
  builder->set_last_commit_end(start);
  builder->set_catalog_lookup([this](const std::string& schema, const std::string& table) {
    return table_catalog(schema, table);
  });
  return builder;
}

Result<EventBuilder::TableCatalog> SlotChangeSource::table_catalog(const std::string& schema,
                                                                   const std::string& table) {
  auto catalog = read_table_catalog(catalog_, schema, table);
  if (catalog || catalog.error().code != Errc::unavailable) return catalog;
  SL_ASSIGN_OR_RETURN(catalog_, pg::Connection::open(options_.conninfo));
  return read_table_catalog(catalog_, schema, table);
}

Result<std::unique_ptr<SlotChangeSource>> SlotChangeSource::open(pg::Connection& sql,
                                                                 SlotSourceOptions options,
                                                                 pg::Lsn from) {
  SL_ASSIGN_OR_RETURN(auto keys, read_primary_keys(sql));
  SL_ASSIGN_OR_RETURN(auto not_null, read_not_null_columns(sql));
  SL_ASSIGN_OR_RETURN(auto database, sql.exec("SELECT current_database()"));
  SL_ASSIGN_OR_RETURN(auto catalog, pg::Connection::open(options.conninfo));
  SL_ASSIGN_OR_RETURN(auto stream, pg::start_replication(options.conninfo, options.slot, from,
                                                         options.publication, false));
  pg::Lsn start = from;
  if (start.value == 0) {
    // The slot's confirmed position: the end of the last commit a consumer acknowledged.
    SL_ASSIGN_OR_RETURN(auto slot, sql.exec_params("SELECT confirmed_flush_lsn FROM "
                                                   "pg_replication_slots WHERE slot_name = $1",
                                                   {options.slot}));
    if (slot.rows() == 1 && !slot.is_null(0, 0))
      start = pg::Lsn::parse(slot.value(0, 0)).value_or(pg::Lsn{});
  }
  auto source = std::unique_ptr<SlotChangeSource>(
      new SlotChangeSource(std::move(options), std::move(stream), std::string(database.value(0, 0)),
                           std::move(keys), std::move(not_null), std::move(catalog)));
  source->builder_->set_last_commit_end(start);
  return source;
}

Result<bool> SlotChangeSource::poll(std::chrono::milliseconds timeout,
                                    const ChangeHandler& handler) {
  auto data = stream_.next(timeout);
  if (!data && data.error().code == Errc::unavailable) {
    spdlog::warn("{}: {}; reconnecting", options_.slot, data.error().to_string());
    if (handler.on_reset) handler.on_reset();
    const pg::Lsn resume = stream_.confirmed();
    builder_ = new_builder(resume);
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
