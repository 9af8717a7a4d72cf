// KafkaChangeSource: consumer group, seeks to the sink's positions on assignment, Debezium
// decoding, repeats dropped by source order, offsets committed after the sink's commit.
#include "bus/kafka_change_source.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <tuple>

#include "bus/fetch_waker.hpp"
#include "bus/kafka_conf.hpp"
#include "cdc/debezium_decoder.hpp"

namespace sl::bus {

namespace {

using PartitionKey = std::pair<std::string, int32_t>;

std::string partition_name(const PartitionKey& key) {
  return key.first + ":" + std::to_string(key.second);
}

std::string regex_literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) out += '\\';
    out += c;
  }
  return out;
}

// librdkafka's subscription regex for the tables' topics `<prefix>.<schema>.<table>`, or only
// those of `tables` (a regex subscription, unlike a topic name, waits quietly for a topic not
// created yet). Debezium's `<prefix>.transaction` (provide.transaction.metadata) has no schema
// part and is not followed; its heartbeats live under another prefix.
std::string topic_pattern(const std::string& prefix, const std::vector<std::string>& tables) {
  if (tables.empty()) return "^" + regex_literal(prefix) + "\\.[^.]+\\..+";
  std::string names;
  for (const auto& table : tables) names += (names.empty() ? "" : "|") + regex_literal(table);
  return "^" + regex_literal(prefix) + "\\.[^.]+\\.(" + names + ")$";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> topic_table(const std::string& prefix,
                                                               const std::string& topic) {
  if (topic.size() <= prefix.size() + 1 || !topic.starts_with(prefix) ||
      topic[prefix.size()] != '.')
    return std::nullopt;
  const std::string rest = topic.substr(prefix.size() + 1);
  const auto dot = rest.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == rest.size()) return std::nullopt;
  return std::make_pair(rest.substr(0, dot), rest.substr(dot + 1));
}

struct KafkaChangeSource::Impl {
  struct Partition {
    int64_t durable = -1;  // next offset confirmed durable downstream (-1: none yet)
    bool dirty = false;    // durable changed since the last offset commit
    bool has_order = false;
    int64_t order_commit = 0;
    int64_t order_change = 0;
    bool paused = false;   // restarting from the sink: its records are not delivered meanwhile
    int64_t next = -1;     // the offset after the last record delivered (or where it starts)
  };
  struct Delivered {
    uint64_t sequence;
    Partition* partition;
    int64_t next_offset;
  };

  KafkaSourceOptions options;
  rd_kafka_t* rk = nullptr;
  std::map<PartitionKey, Partition> partitions;  // the current assignment
  std::deque<Delivered> delivered;               // not yet confirmed
  uint64_t next_sequence = 1;
  cdc::SourcePosition confirmed;
  std::optional<Error> failure;
  bool reset_due = false;
  bool restart_pending = false;  // restart_from_sink's seek not done yet (retried at each poll)
  size_t repeats = 0;
  size_t tombstones = 0;
  size_t rejected = 0;
  std::chrono::steady_clock::time_point last_commit = std::chrono::steady_clock::now();
  // Schemaless JSON carries no types: every column is text, the value as PostgreSQL prints it
  // (see DecodeOptions). The decoder keeps each topic's schema and relation between records.
  cdc::DebeziumDecoder decoder;
  std::unique_ptr<FetchWaker> waker;  // holds the consumer's queue: released before rk
  // The partition of the last message delivered (null: not assigned), looked up in the map only
  // when a message's partition differs (messages come in runs per partition); forgotten whenever
  // the assignment changes.
  struct Run {
    std::string topic;
    int32_t partition = -1;
    Partition* part = nullptr;
  } run;
  cdc::SourcePosition end;  // each record's end, reused: its topic's buffer is kept

  ~Impl() {
    if (rk == nullptr) return;
    // The last confirmed offsets, synchronously (an asynchronous commit may still be in flight).
    commit_offsets(false, /*wait=*/true);
    if (waker) spdlog::debug("kafka: fetchers woken {} times", waker->wakes());
    waker.reset();
    rd_kafka_consumer_close(rk);  // leaves the group: its partitions go to the others at once
    rd_kafka_destroy(rk);
  }

  // Commits the durable offsets of the assigned partitions (all, or the changed ones) to the
  // group: monitoring only, never read back.
  void commit_offsets(bool changed_only, bool wait) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(4);
    for (auto& [key, part] : partitions) {
      if (part.durable < 0 || (changed_only && !part.dirty)) continue;
      rd_kafka_topic_partition_list_add(list, key.first.c_str(), key.second)->offset = part.durable;
      part.dirty = false;
    }
    if (list->cnt > 0) {
      auto err = rd_kafka_commit(rk, list, wait ? 0 : 1);  // async errors: on_commit
      if (wait && err != RD_KAFKA_RESP_ERR_NO_ERROR)
        spdlog::debug("kafka: offset commit (monitoring only): {}", rd_kafka_err2str(err));
    }
    rd_kafka_topic_partition_list_destroy(list);
  }

  void fail(Error error) {
    if (!failure) failure = std::move(error);
  }

  // Sets `tp.offset` where the partition resumes (the sink's position, else its beginning; the
  // group's committed offset without `start`) and returns its state to match. Errors: fail().
  Partition resume(rd_kafka_topic_partition_t& tp) {
    Partition part;
    tp.offset = options.start ? RD_KAFKA_OFFSET_BEGINNING : RD_KAFKA_OFFSET_STORED;
    if (!options.start) return part;
    auto table = topic_table(options.topic_prefix, tp.topic);
    if (!table) {
      fail(make_error(Errc::invalid_argument,
                      std::string("kafka: topic ") + tp.topic + " is not <prefix>.<schema>.<table>"));
      return part;
    }
    auto start = options.start(tp.topic, table->first, table->second, tp.partition);
    if (!start) {
      fail(start.error().with_context(std::string("kafka: where ") + tp.topic + ":" +
                                      std::to_string(tp.partition) + " resumes"));
      return part;
    }
    if (*start) {
      tp.offset = (*start)->next_offset;
      part.durable = (*start)->next_offset;
      part.has_order = true;
      part.order_commit = (*start)->order_commit;
      part.order_change = (*start)->order_change;
    }
    return part;
  }

  // The partitions that start from their beginning (the sink has no position) get its offset,
  // asked of their leaders now: librdkafka 2.0 resolves a logical BEGINNING of a partition
  // whose leader it has not mapped yet (every partition of a new assignment, at times) only on a
  // 500 ms retry timer, and fetches nothing meanwhile. Any failure leaves BEGINNING as it is.
  void resolve_beginnings(rd_kafka_topic_partition_list_t* list) {
    rd_kafka_topic_partition_list_t* query = rd_kafka_topic_partition_list_new(list->cnt);
    for (int i = 0; i < list->cnt; ++i) {
      if (list->elems[i].offset == RD_KAFKA_OFFSET_BEGINNING)
        rd_kafka_topic_partition_list_add(query, list->elems[i].topic, list->elems[i].partition)
            ->offset = RD_KAFKA_OFFSET_BEGINNING;  // ListOffsets' "earliest" timestamp
    }
    if (query->cnt > 0) {
      if (auto err = rd_kafka_offsets_for_times(rk, query, 5000); err != RD_KAFKA_RESP_ERR_NO_ERROR)
        spdlog::debug("kafka: the partitions' first offsets: {}", rd_kafka_err2str(err));
      for (int i = 0; i < query->cnt; ++i) {
        const auto& found = query->elems[i];
        if (found.err != RD_KAFKA_RESP_ERR_NO_ERROR || found.offset < 0) continue;
        rd_kafka_topic_partition_t* tp =
            rd_kafka_topic_partition_list_find(list, found.topic, found.partition);
        if (tp != nullptr) tp->offset = found.offset;
      }
    }
    rd_kafka_topic_partition_list_destroy(query);
  }

  void assign(rd_kafka_topic_partition_list_t* list) {
    std::vector<Partition> parts;
    for (int i = 0; i < list->cnt; ++i) parts.push_back(resume(list->elems[i]));
    resolve_beginnings(list);
    for (int i = 0; i < list->cnt; ++i) {
      auto& tp = list->elems[i];
      const Partition& part = parts[static_cast<size_t>(i)];
      spdlog::info("kafka: assigned {}:{} from {}", tp.topic, tp.partition,
                   tp.offset >= 0 ? std::to_string(tp.offset)
                                  : (options.start ? "the beginning" : "the committed offset"));
      partitions[{tp.topic, tp.partition}] = part;
      partitions[{tp.topic, tp.partition}].next = tp.offset;
    }
    run = {};
    restart_pending = false;  // every partition starts from the sink anyway
    if (auto err = rd_kafka_assign(rk, list); err != RD_KAFKA_RESP_ERR_NO_ERROR)
      fail(make_error(Errc::unavailable, std::string("kafka: assign: ") + rd_kafka_err2str(err)));
  }

  // restart_from_sink's seek of every assigned partition to the sink's position. A seek that
  // cannot finish now (the group is rejoining: the conflict often comes with a lost session) is
  // retried at the next poll, the partitions' records held back meanwhile; the assignment that
  // ends a rejoin seeks from the sink anyway.
  Status seek_to_sink() {
    rd_kafka_topic_partition_list_t* list =
        rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
    std::vector<Partition> resumed;
    for (auto& [key, part] : partitions)
      resumed.push_back(resume(*rd_kafka_topic_partition_list_add(list, key.first.c_str(), key.second)));
    if (failure) {
      rd_kafka_topic_partition_list_destroy(list);
      return *failure;
    }
    rd_kafka_error_t* error = list->cnt > 0 ? rd_kafka_seek_partitions(rk, list, 2000) : nullptr;
    bool sought = error == nullptr;
    for (int i = 0; sought && i < list->cnt; ++i) sought = list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (error != nullptr) {
      spdlog::warn("kafka: seek to Bronze's positions: {} (retried)", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
    if (sought) {
      size_t i = 0;
      for (auto& [key, part] : partitions) {
        part = resumed[i];
        spdlog::info("kafka: {} restarts from {}", partition_name(key),
                     list->elems[i].offset >= 0 ? std::to_string(list->elems[i].offset)
                                                : "the beginning");
        ++i;
      }
      restart_pending = false;
    }
    rd_kafka_topic_partition_list_destroy(list);
    return {};
  }

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* list, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self->assign(list);
      return;
    }
    // Revoked (or an error): what was read and not made durable may be another process's now.
    spdlog::info("kafka: partitions revoked ({} assigned)", self->partitions.size());
    self->partitions.clear();
    self->run = {};
    self->delivered.clear();
    self->reset_due = true;
    self->restart_pending = false;
    rd_kafka_assign(rk, nullptr);
  }

  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      std::array<char, 512> text{};
      rd_kafka_fatal_error(rk, text.data(), text.size());
      self->fail(make_error(Errc::unavailable, std::string("kafka: fatal consumer error: ") + text.data()));
      return;
    }
    spdlog::warn("kafka: {}", reason);  // brokers down...: librdkafka reconnects
  }

  static void on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*,
                        void*) {
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
      spdlog::debug("kafka: offset commit (monitoring only): {}", rd_kafka_err2str(err));
  }

  // The partition of a message, null when it is not assigned.
  Partition* partition_of(const rd_kafka_message_t& m) {
    const char* topic = rd_kafka_topic_name(m.rkt);
    if (m.partition != run.partition || run.topic != topic) {
      auto it = partitions.find({topic, m.partition});
      run = {topic, m.partition, it == partitions.end() ? nullptr : &it->second};
    }
    return run.part;
  }

  Status deliver(const rd_kafka_message_t& m, const cdc::ChangeHandler& handler) {
    Partition* found = partition_of(m);
    if (found == nullptr || found->paused)  // fetched before a revocation or a restart
      return {};
    Partition& part = *found;
    const std::string_view topic = rd_kafka_topic_name(m.rkt);
    std::optional<std::string_view> key, value;
    if (m.key != nullptr) key = std::string_view(static_cast<const char*>(m.key), m.key_len);
    if (m.payload != nullptr)
      value = std::string_view(static_cast<const char*>(m.payload), m.len);
    auto decoded = decoder.decode(key, value);
    const auto where = [&] {
      return "kafka: " + std::string(topic) + ":" + std::to_string(m.partition) + " offset " +
             std::to_string(m.offset);
    };
    if (!decoded && decoded.error().code != Errc::unsupported) {
      // A poison record: reported and skipped, its offset advances as any record's (a bad row
      // never stops the job nor changes another row's result).
      ++rejected;
      cdc::RejectedRecord record{.at = {.topic = std::string(topic),
                                        .partition = m.partition,
                                        .next_offset = m.offset + 1,
                                        .order_commit = part.order_commit,
                                        .order_change = part.order_change},
                                 .offset = m.offset,
                                 .reason = decoded.error().to_string()};
      spdlog::warn("{}: skipped, not a readable Debezium record: {}", where(), record.reason);
      if (handler.on_rejected) SL_TRY(handler.on_rejected(record));
    } else if (!decoded || decoded->tombstone) {
      ++tombstones;
    } else {
      const cdc::ChangeEvent& e = decoded->event;
      // Snapshot rows have no lsn_commit: their position is the snapshot's point (their lsn).
      const auto commit = static_cast<int64_t>(
          (e.source.commit_lsn.value != 0 ? e.source.commit_lsn : e.source.lsn).value);
      const auto change =
          static_cast<int64_t>(e.source.lsn.value) * 2 + (e.op == cdc::Op::delete_ ? 0 : 1);
      const bool later = !part.has_order || std::tie(commit, change) >
                                                std::tie(part.order_commit, part.order_change);
      if (e.op != cdc::Op::read && !later) {
        ++repeats;
      } else {
        if (later) {
          part.has_order = true;
          part.order_commit = commit;
          part.order_change = change;
        }
        if (auto st = handler.on_event(e); !st) return st.error().with_context(where());
      }
    }
    if (!end.log) end.log.emplace();
    end.log->topic.assign(topic);
    end.log->partition = m.partition;
    end.log->next_offset = m.offset + 1;
    end.log->order_commit = part.order_commit;
    end.log->order_change = part.order_change;
    end.sequence = next_sequence++;
    part.next = m.offset + 1;
    delivered.push_back({end.sequence, &part, m.offset + 1});
    return handler.on_transaction_end(end);
  }
};

Result<std::unique_ptr<KafkaChangeSource>> KafkaChangeSource::open(KafkaSourceOptions options) {
  if (options.bootstrap_servers.empty())
    return make_error(Errc::invalid_argument,
                      "kafka: no brokers (set KAFKA_BOOTSTRAP_SERVERS or kafka.bootstrap_servers)");
  if (options.group.empty())
    return make_error(Errc::invalid_argument, "kafka: no consumer group (kafka.group)");
  auto impl = std::make_unique<Impl>();
  KafkaProperties all = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"group.id", options.group},
      {"client.id", options.client_id},
      {"auto.offset.reset", "earliest"},
      // A consumer killed without leaving the group holds its partitions this long (Kafka's
      // 45 s default stalls them longer than a restart takes).
      {"session.timeout.ms", "10000"},
      // New topics (a table added to the publication) are found within seconds.
      {"topic.metadata.refresh.interval.ms", "5000"},
      // A prefetch queue of 16 MiB, not librdkafka's 64: with the fetch waker (fetch_waker.hpp)
      // a backlog is fetched as fast, for less CPU and memory (bench/kafka_ingest.py with
      // schemas, 100,000 records: 0.60 vs 0.66 s CPU, peak RSS 136 vs 206 MB; 8 MiB: no better).
      {"queued.max.messages.kbytes", "16384"},
  };
  for (const auto& [name, value] : options.properties) {
    if (name == "partition.assignment.strategy" && value.find("cooperative") != std::string::npos)
      return make_error(Errc::invalid_argument,
                        "kafka.partition.assignment.strategy: the consumer needs an eager "
                        "assignor (range, roundrobin)");
    all.emplace_back(name, value);
  }
  // Positions live in the sink; offsets are committed by hand after it, never on their own.
  all.emplace_back("enable.auto.commit", "false");
  all.emplace_back("enable.auto.offset.store", "false");
  all.emplace_back("group.id", options.group);
  SL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, new_kafka_conf(all));
  rd_kafka_conf_set_opaque(conf, impl.get());
  rd_kafka_conf_set_rebalance_cb(conf, &Impl::on_rebalance);
  rd_kafka_conf_set_error_cb(conf, &Impl::on_error);
  rd_kafka_conf_set_offset_commit_cb(conf, &Impl::on_commit);
  std::array<char, 512> errstr{};
  impl->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr.data(), errstr.size());
  if (impl->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return make_error(Errc::invalid_argument,
                      std::string("kafka: cannot create the consumer: ") + errstr.data());
  }
  rd_kafka_poll_set_consumer(impl->rk);
  impl->waker = std::make_unique<FetchWaker>(impl->rk);
  const std::string pattern = topic_pattern(options.topic_prefix, options.tables);
  impl->decoder = cdc::DebeziumDecoder({.schemaless_as_text = true,
                                        .key_text = false,
                                        .binary_values = options.binary_values});
  impl->options = std::move(options);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, pattern.c_str(), RD_KAFKA_PARTITION_UA);
  auto err = rd_kafka_subscribe(impl->rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return make_error(Errc::unavailable,
                      std::string("kafka: subscribe to ") + pattern + ": " + rd_kafka_err2str(err));
  spdlog::info("kafka: consumer group {} following topics {}", impl->options.group, pattern);
  return std::unique_ptr<KafkaChangeSource>(new KafkaChangeSource(std::move(impl)));
}

KafkaChangeSource::KafkaChangeSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaChangeSource::~KafkaChangeSource() = default;

Result<bool> KafkaChangeSource::poll(std::chrono::milliseconds timeout,
                                     const cdc::ChangeHandler& handler) {
  Impl& s = *impl_;
  if (const auto now = std::chrono::steady_clock::now();
      now - s.last_commit >= s.options.commit_interval) {
    s.commit_offsets(true, false);
    s.last_commit = now;
  }
  if (s.restart_pending) SL_TRY(s.seek_to_sink());
  bool got = false;
  for (size_t i = 0; i < s.options.max_batch; ++i) {
    rd_kafka_message_t* m =
        rd_kafka_consumer_poll(s.rk, i == 0 ? static_cast<int>(timeout.count()) : 0);
    std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)> guard(
        m, &rd_kafka_message_destroy);
    if (s.reset_due) {
      s.reset_due = false;
      if (handler.on_reset) handler.on_reset();
    }
    if (s.failure) return *s.failure;
    if (m == nullptr) break;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      spdlog::warn("kafka: {}", rd_kafka_message_errstr(m));
      if (m->err == RD_KAFKA_RESP_ERR__FATAL) return make_error(Errc::unavailable, rd_kafka_message_errstr(m));
      continue;
    }
    got = true;
    s.waker->taken(m->len);
    SL_TRY(s.deliver(*m, handler));
  }
  return got;
}

void KafkaChangeSource::confirm(const cdc::SourcePosition& position) {
  Impl& s = *impl_;
  while (!s.delivered.empty() && s.delivered.front().sequence <= position.sequence) {
    auto& d = s.delivered.front();
    d.partition->durable = d.next_offset;
    d.partition->dirty = true;
    s.delivered.pop_front();
  }
  s.confirmed = position;
}

Status KafkaChangeSource::flush_confirmed() {
  impl_->commit_offsets(true, false);
  return {};
}

Status KafkaChangeSource::restart_from_sink() {
  Impl& s = *impl_;
  if (!s.options.start)
    return make_error(Errc::unsupported, "kafka: no sink positions to restart from");
  s.delivered.clear();
  for (auto& [key, part] : s.partitions) part.paused = true;
  s.restart_pending = true;
  return s.seek_to_sink();
}

cdc::SourcePosition KafkaChangeSource::confirmed() const { return impl_->confirmed; }

bool KafkaChangeSource::behind() const {
  // A backlog is at least a full poll batch waiting: a live stream's consumer trails by the few
  // records of the last fetch, which must not make the Bronze ingest wait for its ceiling.
  const Impl& s = *impl_;
  const auto backlog = static_cast<int64_t>(std::max<size_t>(s.options.max_batch, 1));
  int64_t waiting = static_cast<int64_t>(s.waker->queued());  // cheap: asked first
  for (auto it = s.partitions.begin(); waiting < backlog && it != s.partitions.end(); ++it) {
    // The high watermark librdkafka cached from the partition's last fetch response.
    int64_t low = 0, high = 0;
    if (it->second.next >= 0 &&
        rd_kafka_get_watermark_offsets(s.rk, it->first.first.c_str(), it->first.second, &low,
                                       &high) == RD_KAFKA_RESP_ERR_NO_ERROR)
      waiting = std::max(waiting, high - it->second.next);
  }
  return waiting >= backlog;
}
size_t KafkaChangeSource::repeats() const { return impl_->repeats; }
size_t KafkaChangeSource::tombstones() const { return impl_->tombstones; }
size_t KafkaChangeSource::rejected() const { return impl_->rejected; }
size_t KafkaChangeSource::fetch_wakes() const { return impl_->waker->wakes(); }

std::vector<std::string> KafkaChangeSource::assignment() const {
  std::vector<std::string> out;
  for (const auto& [key, part] : impl_->partitions) out.push_back(partition_name(key));
  return out;
}

}  // namespace sl::bus
