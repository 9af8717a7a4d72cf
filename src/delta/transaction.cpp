// Transaction: building the commit, put-if-absent, conflict checks and retries.
#include "delta/transaction.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "common/clock.hpp"
#include "common/uuid.hpp"
#include "delta/actions_json.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

Transaction::Transaction(Storage& storage, std::optional<Snapshot> snapshot,
                         TransactionOptions options)
    : storage_(storage),
      read_snapshot_(std::move(snapshot)),
      options_(std::move(options)),
      txn_id_(random_uuid()) {}

Transaction Transaction::for_snapshot(Storage& storage, const Snapshot& snapshot,
                                      TransactionOptions options) {
  return Transaction(storage, snapshot, std::move(options));
}

Transaction Transaction::for_new_table(Storage& storage, TransactionOptions options) {
  return Transaction(storage, std::nullopt, std::move(options));
}

void Transaction::add_files(std::vector<Add> adds) {
  for (auto& a : adds) adds_.push_back(std::move(a));
}

void Transaction::remove_files(std::vector<Remove> removes) {
  for (auto& r : removes) removes_.push_back(std::move(r));
}

void Transaction::set_app_transaction(std::string app_id, int64_t version) {
  for (auto& t : txns_) {
    if (t.app_id == app_id) {
      t = Txn{std::move(app_id), version, now()};
      return;
    }
  }
  txns_.push_back(Txn{std::move(app_id), version, now()});
}

void Transaction::set_operation(std::string operation, StringMap parameters, StringMap metrics) {
  operation_ = std::move(operation);
  operation_parameters_ = std::move(parameters);
  operation_metrics_ = std::move(metrics);
}

int64_t now_ms(const std::function<int64_t()>& clock) {
  if (clock) return clock();
  return unix_now_ms();
}

int64_t Transaction::now() const {
  return now_ms(options_.now_ms);
}

bool Transaction::is_blind_append() const {
  return !read_whole_table_ && removes_.empty() && !metadata_ && !protocol_;
}

std::vector<Action> Transaction::actions(int64_t version) const {
  std::vector<Action> out;
  CommitInfo info;
  info.timestamp = now();
  info.operation = operation_;
  info.operation_parameters = operation_parameters_;
  if (read_snapshot_) info.read_version = read_snapshot_->version;
  info.isolation_level = "Serializable";
  info.is_blind_append = is_blind_append() && version > 0;
  info.operation_metrics = operation_metrics_;
  info.engine_info = std::string(k_engine_info);
  info.txn_id = txn_id_;
  out.emplace_back(std::move(info));
  if (protocol_) out.emplace_back(*protocol_);
  if (metadata_) out.emplace_back(*metadata_);
  for (const auto& t : txns_) out.emplace_back(t);
  for (const auto& r : removes_) out.emplace_back(r);
  for (const auto& a : adds_) out.emplace_back(a);
  return out;
}

Status Transaction::check_winner(int64_t version, const std::vector<Action>& winner) const {
  auto conflict = [&](const std::string& why) {
    return make_error(Errc::conflict, "commit conflict with version " + std::to_string(version) +
                                          " of " + storage_.describe("") + ": " + why);
  };
  std::unordered_set<std::string> our_removes;
  for (const auto& r : removes_) our_removes.insert(file_key(r.path, r.deletion_vector));
  for (const auto& action : winner) {
    if (std::holds_alternative<Metadata>(action)) return conflict("the table metadata changed");
    if (std::holds_alternative<Protocol>(action)) return conflict("the protocol changed");
    const auto* t = std::get_if<Txn>(&action);
    if (t && std::any_of(txns_.begin(), txns_.end(),
                         [&](const Txn& ours) { return ours.app_id == t->app_id; })) {
      return conflict("a concurrent transaction of application '" + t->app_id + "' (version " +
                      std::to_string(t->version) + ") committed first");
    }
    if (const auto* r = std::get_if<Remove>(&action)) {
      if (our_removes.count(file_key(r->path, r->deletion_vector))) {
        return conflict("file '" + r->path + "' was removed concurrently");
      }
      if (read_whole_table_ && r->data_change) {
        return conflict("file '" + r->path + "' that this transaction read was removed");
      }
    }
    if (const auto* a = std::get_if<Add>(&action); a && read_whole_table_ && a->data_change) {
      return conflict("file '" + a->path + "' was added to data this transaction read");
    }
  }
  return {};
}

Result<CommitResult> Transaction::commit() {
  if (read_snapshot_) {
    const auto& protocol = protocol_ ? *protocol_ : read_snapshot_->protocol;
    const auto& metadata = metadata_ ? *metadata_ : read_snapshot_->metadata;
    if (auto s = check_write_supported(protocol, metadata); !s.ok()) {
      return s.error().with_context(storage_.describe(""));
    }
    if (append_only(metadata)) {
      for (const auto& r : removes_) {
        if (r.data_change) {
          return make_error(Errc::invalid_argument,
                            storage_.describe("") +
                                " is append-only (delta.appendOnly=true): cannot remove '" +
                                r.path + "'");
        }
      }
    }
  } else if (!metadata_ || !protocol_) {
    return make_error(Errc::invalid_argument, "creating a table needs a protocol and a metaData");
  }
  int64_t version = read_snapshot_ ? read_snapshot_->version + 1 : 0;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    std::string body = commit_to_json(actions(version));
    SL_ASSIGN_OR_RETURN(auto outcome, storage_.put_if_absent(commit_path(version), body));
    if (outcome == PutOutcome::created) return CommitResult{version, attempt};
    if (!read_snapshot_) {
      return make_error(Errc::already_exists,
                        "a Delta table already exists at " + storage_.describe(""));
    }
    // Another writer took `version`: check it (and any newer winners, one per attempt).
    SL_ASSIGN_OR_RETURN(auto text, storage_.read(commit_path(version)));
    SL_ASSIGN_OR_RETURN(auto winner, parse_commit(text, storage_.describe(commit_path(version))));
    SL_TRY(check_winner(version, winner));
    ++version;
  }
  return make_error(Errc::conflict, "gave up committing to " + storage_.describe("") + " after " +
                                        std::to_string(options_.max_attempts) + " attempts");
}

}  // namespace sl::delta
