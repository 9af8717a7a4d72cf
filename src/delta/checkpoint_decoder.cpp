// decode_checkpoint: resolve every field we read by name and check its type once per file, then
// read rows without further checks.
#include "delta/checkpoint_decoder.hpp"

#include "delta/stats.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

namespace sl::delta {

namespace {

using columnar::Column;
using columnar::Field;
using columnar::TypeId;

enum class Kind { string, integer, boolean, structure, string_map, string_list };

// A field of the checkpoint (possibly absent: then every value is null) and its values.
class Ref {
 public:
  Ref() = default;
  Ref(const Field* field, const Column* column, std::string path)
      : field_(field), column_(column), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  bool present(size_t row) const { return column_ && column_->is_valid(row); }

  Ref child(std::string_view name) const {
    std::string path = path_ + "." + std::string(name);
    if (!field_ || field_->type.id != TypeId::struct_) return Ref{nullptr, nullptr, path};
    for (size_t i = 0; i < field_->children.size(); ++i) {
      if (field_->children[i].name == name) {
        return Ref{&field_->children[i], &column_->children[i], std::move(path)};
      }
    }
    return Ref{nullptr, nullptr, std::move(path)};
  }

  Status expect(Kind kind) const {
    if (!field_) return {};
    TypeId id = field_->type.id;
    bool ok = false;
    switch (kind) {
      case Kind::string:
        ok = id == TypeId::string || id == TypeId::binary;
        break;
      case Kind::integer:
        ok = id == TypeId::int32 || id == TypeId::int64;
        break;
      case Kind::boolean:
        ok = id == TypeId::boolean;
        break;
      case Kind::structure:
        ok = id == TypeId::struct_;
        break;
      case Kind::string_map:
        ok = id == TypeId::map && field_->children.size() == 2 && is_string(field_->children[0]) &&
             is_string(field_->children[1]);
        break;
      case Kind::string_list:
        ok = id == TypeId::list && field_->children.size() == 1 && is_string(field_->children[0]);
        break;
    }
    if (ok) return {};
    return make_error(Errc::corrupt, "column " + path_ + " has the unexpected type " +
                                         std::string(columnar::type_name(id)));
  }

  // The stats JSON of a `stats_parsed` struct (delta/stats.hpp), if present at `row`.
  std::optional<std::string> stats_json(size_t row) const {
    if (!present(row)) return std::nullopt;
    return stats_json_from_parsed(*field_, *column_, row);
  }

  // The string at a row known to be present.
  std::string_view view(size_t row) const { return column_->string_at(row); }
  std::optional<std::string> string(size_t row) const {
    if (!present(row)) return std::nullopt;
    return std::string(column_->string_at(row));
  }
  std::optional<int64_t> integer(size_t row) const {
    if (!present(row)) return std::nullopt;
    return column_->type.id == TypeId::int32 ? column_->i32[row] : column_->i64[row];
  }
  std::optional<bool> boolean(size_t row) const {
    if (!present(row)) return std::nullopt;
    return column_->bools[row] != 0;
  }
  // A map<string,string>: calls fn(key, optional value) per entry.
  template <typename Fn>
  void for_each_entry(size_t row, Fn&& fn) const {
    if (!present(row)) return;
    const Column& keys = column_->children[0];
    const Column& values = column_->children[1];
    for (uint32_t i = column_->offsets[row]; i < column_->offsets[row + 1]; ++i) {
      std::optional<std::string> value;
      if (values.is_valid(i)) value = std::string(values.string_at(i));
      fn(std::string(keys.string_at(i)), std::move(value));
    }
  }
  std::optional<std::vector<std::string>> strings(size_t row) const {
    if (!present(row)) return std::nullopt;
    const Column& elements = column_->children[0];
    std::vector<std::string> out;
    for (uint32_t i = column_->offsets[row]; i < column_->offsets[row + 1]; ++i) {
      if (elements.is_valid(i)) out.emplace_back(elements.string_at(i));
    }
    return out;
  }

 private:
  static bool is_string(const Field& f) {
    return f.type.id == TypeId::string || f.type.id == TypeId::binary;
  }
  const Field* field_ = nullptr;
  const Column* column_ = nullptr;
  std::string path_;
};

struct Typed {
  std::string_view name;
  Kind kind;
};

// Resolves the named children of `parent`, checking their types.
template <size_t N>
Result<std::array<Ref, N>> resolve(const Ref& parent, const std::array<Typed, N>& fields) {
  std::array<Ref, N> out;
  for (size_t i = 0; i < N; ++i) {
    out[i] = parent.child(fields[i].name);
    SL_TRY(out[i].expect(fields[i].kind));
  }
  return out;
}

Error null_required(std::string_view file, size_t row, const Ref& ref) {
  return make_error(Errc::corrupt, std::string(file) + ": row " + std::to_string(row) + ": " +
                                       ref.path() + " is null");
}

PartitionValues partition_values(const Ref& ref, size_t row) {
  PartitionValues out;
  ref.for_each_entry(row, [&](std::string key, std::optional<std::string> value) {
    if (value && value->empty()) value.reset();  // "" means null (PROTOCOL.md)
    out.emplace(std::move(key), std::move(value));
  });
  return out;
}

StringMap string_map(const Ref& ref, size_t row) {
  StringMap out;
  ref.for_each_entry(row, [&](std::string key, std::optional<std::string> value) {
    out.emplace(std::move(key), value.value_or(""));
  });
  return out;
}

constexpr std::array<Typed, 5> k_dv_fields{{{"storageType", Kind::string},
                                            {"pathOrInlineDv", Kind::string},
                                            {"offset", Kind::integer},
                                            {"sizeInBytes", Kind::integer},
                                            {"cardinality", Kind::integer}}};

std::optional<DeletionVector> deletion_vector(const Ref& ref, const std::array<Ref, 5>& f,
                                              size_t row) {
  if (!ref.present(row)) return std::nullopt;
  DeletionVector dv;
  dv.storage_type = f[0].string(row).value_or("");
  dv.path_or_inline_dv = f[1].string(row).value_or("");
  if (auto offset = f[2].integer(row)) dv.offset = static_cast<int32_t>(*offset);
  dv.size_in_bytes = static_cast<int32_t>(f[3].integer(row).value_or(0));
  dv.cardinality = f[4].integer(row).value_or(0);
  return dv;
}

// Where decoded actions go: adds into the next of their slots, the others appended.
struct ActionSink {
  std::span<Add> adds;
  size_t next_add = 0;
  std::vector<Action>& others;
};

// One decoder per action column; each reads the rows where its column is non-null.
class ColumnDecoder {
 public:
  virtual ~ColumnDecoder() = default;
  virtual bool present(size_t row) const = 0;
  // Puts the action of `row` into `out`.
  virtual Status decode(size_t row, std::string_view file, ActionSink& out) const = 0;
};

// The decoders of the other actions build one and hand it over.
class ActionDecoder : public ColumnDecoder {
 public:
  Status decode(size_t row, std::string_view file, ActionSink& out) const final {
    SL_ASSIGN_OR_RETURN(auto action, decode_action(row, file));
    out.others.push_back(std::move(action));
    return {};
  }

 private:
  virtual Result<Action> decode_action(size_t row, std::string_view file) const = 0;
};

class AddDecoder final : public ColumnDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref add) {
    auto d = std::unique_ptr<AddDecoder>(new AddDecoder(std::move(add)));
    SL_ASSIGN_OR_RETURN(d->f_, resolve<9>(d->add_, {{{"path", Kind::string},
                                                     {"partitionValues", Kind::string_map},
                                                     {"size", Kind::integer},
                                                     {"modificationTime", Kind::integer},
                                                     {"dataChange", Kind::boolean},
                                                     {"stats", Kind::string},
                                                     {"tags", Kind::string_map},
                                                     {"baseRowId", Kind::integer},
                                                     {"defaultRowCommitVersion", Kind::integer}}}));
    d->dv_ = d->add_.child("deletionVector");
    SL_TRY(d->dv_.expect(Kind::structure));
    SL_ASSIGN_OR_RETURN(d->dv_fields_, resolve(d->dv_, k_dv_fields));
    d->clustering_ = d->add_.child("clusteringProvider");
    SL_TRY(d->clustering_.expect(Kind::string));
    // The typed stats, read by checkpoint_reader only when the file has no JSON `stats`.
    d->stats_parsed_ = d->add_.child("stats_parsed");
    SL_TRY(d->stats_parsed_.expect(Kind::structure));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return add_.present(row); }
  Status decode(size_t row, std::string_view file, ActionSink& out) const override {
    if (!f_[0].present(row)) return null_required(file, row, f_[0]);
    auto size = f_[2].integer(row);
    if (!size) return null_required(file, row, f_[2]);
    if (out.next_add == out.adds.size()) {
      return make_error(Errc::internal, std::string(file) + ": more adds than counted");
    }
    Add& a = out.adds[out.next_add++];
    a.path = f_[0].view(row);
    a.partition_values = partition_values(f_[1], row);
    a.size = *size;
    a.modification_time = f_[3].integer(row).value_or(0);
    a.data_change = f_[4].boolean(row).value_or(false);
    if (f_[5].present(row)) a.stats.emplace(f_[5].view(row));
    if (!a.stats) a.stats = stats_parsed_.stats_json(row);
    a.tags = string_map(f_[6], row);
    a.deletion_vector = deletion_vector(dv_, dv_fields_, row);
    a.base_row_id = f_[7].integer(row);
    a.default_row_commit_version = f_[8].integer(row);
    a.clustering_provider = clustering_.string(row);
    return {};
  }

 private:
  explicit AddDecoder(Ref add) : add_(std::move(add)) {}
  Ref add_, dv_, clustering_, stats_parsed_;
  std::array<Ref, 9> f_;
  std::array<Ref, 5> dv_fields_;
};

class RemoveDecoder final : public ActionDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref remove) {
    auto d = std::unique_ptr<RemoveDecoder>(new RemoveDecoder(std::move(remove)));
    SL_ASSIGN_OR_RETURN(d->f_,
                        resolve<10>(d->remove_, {{{"path", Kind::string},
                                                  {"deletionTimestamp", Kind::integer},
                                                  {"dataChange", Kind::boolean},
                                                  {"extendedFileMetadata", Kind::boolean},
                                                  {"partitionValues", Kind::string_map},
                                                  {"size", Kind::integer},
                                                  {"stats", Kind::string},
                                                  {"tags", Kind::string_map},
                                                  {"baseRowId", Kind::integer},
                                                  {"defaultRowCommitVersion", Kind::integer}}}));
    d->dv_ = d->remove_.child("deletionVector");
    SL_TRY(d->dv_.expect(Kind::structure));
    SL_ASSIGN_OR_RETURN(d->dv_fields_, resolve(d->dv_, k_dv_fields));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return remove_.present(row); }
  Result<Action> decode_action(size_t row, std::string_view file) const override {
    Remove r;
    auto path = f_[0].string(row);
    if (!path) return null_required(file, row, f_[0]);
    r.path = std::move(*path);
    r.deletion_timestamp = f_[1].integer(row);
    r.data_change = f_[2].boolean(row).value_or(false);
    r.extended_file_metadata = f_[3].boolean(row);
    if (f_[4].present(row)) r.partition_values = partition_values(f_[4], row);
    r.size = f_[5].integer(row);
    r.stats = f_[6].string(row);
    r.tags = string_map(f_[7], row);
    r.deletion_vector = deletion_vector(dv_, dv_fields_, row);
    r.base_row_id = f_[8].integer(row);
    r.default_row_commit_version = f_[9].integer(row);
    return Action{std::move(r)};
  }

 private:
  explicit RemoveDecoder(Ref remove) : remove_(std::move(remove)) {}
  Ref remove_, dv_;
  std::array<Ref, 10> f_;
  std::array<Ref, 5> dv_fields_;
};

class MetadataDecoder final : public ActionDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref metadata) {
    auto d = std::unique_ptr<MetadataDecoder>(new MetadataDecoder(std::move(metadata)));
    SL_ASSIGN_OR_RETURN(d->f_, resolve<7>(d->metadata_, {{{"id", Kind::string},
                                                          {"name", Kind::string},
                                                          {"description", Kind::string},
                                                          {"schemaString", Kind::string},
                                                          {"partitionColumns", Kind::string_list},
                                                          {"configuration", Kind::string_map},
                                                          {"createdTime", Kind::integer}}}));
    Ref format = d->metadata_.child("format");
    SL_TRY(format.expect(Kind::structure));
    SL_ASSIGN_OR_RETURN(
        d->format_,
        resolve<2>(format, {{{"provider", Kind::string}, {"options", Kind::string_map}}}));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return metadata_.present(row); }
  Result<Action> decode_action(size_t row, std::string_view file) const override {
    Metadata m;
    auto id = f_[0].string(row);
    if (!id) return null_required(file, row, f_[0]);
    m.id = std::move(*id);
    m.name = f_[1].string(row);
    m.description = f_[2].string(row);
    auto schema = f_[3].string(row);
    if (!schema) return null_required(file, row, f_[3]);
    m.schema_string = std::move(*schema);
    m.partition_columns = f_[4].strings(row).value_or(std::vector<std::string>{});
    m.configuration = string_map(f_[5], row);
    m.created_time = f_[6].integer(row);
    m.format.provider = format_[0].string(row).value_or("parquet");
    m.format.options = string_map(format_[1], row);
    return Action{std::move(m)};
  }

 private:
  explicit MetadataDecoder(Ref metadata) : metadata_(std::move(metadata)) {}
  Ref metadata_;
  std::array<Ref, 7> f_;
  std::array<Ref, 2> format_;
};

class ProtocolDecoder final : public ActionDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref protocol) {
    auto d = std::unique_ptr<ProtocolDecoder>(new ProtocolDecoder(std::move(protocol)));
    SL_ASSIGN_OR_RETURN(d->f_, resolve<4>(d->protocol_, {{{"minReaderVersion", Kind::integer},
                                                          {"minWriterVersion", Kind::integer},
                                                          {"readerFeatures", Kind::string_list},
                                                          {"writerFeatures", Kind::string_list}}}));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return protocol_.present(row); }
  Result<Action> decode_action(size_t row, std::string_view file) const override {
    Protocol p;
    auto reader = f_[0].integer(row);
    if (!reader) return null_required(file, row, f_[0]);
    auto writer = f_[1].integer(row);
    if (!writer) return null_required(file, row, f_[1]);
    p.min_reader_version = static_cast<int32_t>(*reader);
    p.min_writer_version = static_cast<int32_t>(*writer);
    p.reader_features = f_[2].strings(row);
    p.writer_features = f_[3].strings(row);
    return Action{std::move(p)};
  }

 private:
  explicit ProtocolDecoder(Ref protocol) : protocol_(std::move(protocol)) {}
  Ref protocol_;
  std::array<Ref, 4> f_;
};

class TxnDecoder final : public ActionDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref txn) {
    auto d = std::unique_ptr<TxnDecoder>(new TxnDecoder(std::move(txn)));
    SL_ASSIGN_OR_RETURN(d->f_, resolve<3>(d->txn_, {{{"appId", Kind::string},
                                                     {"version", Kind::integer},
                                                     {"lastUpdated", Kind::integer}}}));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return txn_.present(row); }
  Result<Action> decode_action(size_t row, std::string_view file) const override {
    Txn t;
    auto app = f_[0].string(row);
    if (!app) return null_required(file, row, f_[0]);
    auto version = f_[1].integer(row);
    if (!version) return null_required(file, row, f_[1]);
    t.app_id = std::move(*app);
    t.version = *version;
    t.last_updated = f_[2].integer(row);
    return Action{std::move(t)};
  }

 private:
  explicit TxnDecoder(Ref txn) : txn_(std::move(txn)) {}
  Ref txn_;
  std::array<Ref, 3> f_;
};

class DomainDecoder final : public ActionDecoder {
 public:
  static Result<std::unique_ptr<ColumnDecoder>> make(Ref domain) {
    auto d = std::unique_ptr<DomainDecoder>(new DomainDecoder(std::move(domain)));
    SL_ASSIGN_OR_RETURN(d->f_, resolve<3>(d->domain_, {{{"domain", Kind::string},
                                                        {"configuration", Kind::string},
                                                        {"removed", Kind::boolean}}}));
    return std::unique_ptr<ColumnDecoder>(std::move(d));
  }
  bool present(size_t row) const override { return domain_.present(row); }
  Result<Action> decode_action(size_t row, std::string_view file) const override {
    DomainMetadata m;
    auto name = f_[0].string(row);
    if (!name) return null_required(file, row, f_[0]);
    m.domain = std::move(*name);
    m.configuration = f_[1].string(row).value_or("");
    m.removed = f_[2].boolean(row).value_or(false);
    return Action{std::move(m)};
  }

 private:
  explicit DomainDecoder(Ref domain) : domain_(std::move(domain)) {}
  Ref domain_;
  std::array<Ref, 3> f_;
};

using Factory = Result<std::unique_ptr<ColumnDecoder>> (*)(Ref);

struct KnownColumn {
  std::string_view name;
  Factory make;
};

// Protocol and metaData first, so that a checkpoint's table-level actions are decoded before its
// files (rows are otherwise kept in file order within each column).
constexpr std::array<KnownColumn, 6> k_known{{{k_protocol, &ProtocolDecoder::make},
                                              {k_metadata, &MetadataDecoder::make},
                                              {k_txn, &TxnDecoder::make},
                                              {k_domain_metadata, &DomainDecoder::make},
                                              {k_add, &AddDecoder::make},
                                              {k_remove, &RemoveDecoder::make}}};

}  // namespace

const std::vector<std::string>& checkpoint_action_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& known : k_known) out.emplace_back(known.name);
    return out;
  }();
  return names;
}

namespace {

// The `add` column of a batch, if it has one (checked to be a struct).
Result<Ref> add_column(const columnar::RecordBatch& batch) {
  for (size_t i = 0; i < batch.schema.size(); ++i) {
    if (batch.schema[i].name != k_add) continue;
    Ref add{&batch.schema[i], &batch.columns[i], std::string(k_add)};
    SL_TRY(add.expect(Kind::structure));
    return add;
  }
  return Ref{};
}

}  // namespace

size_t count_checkpoint_adds(const columnar::RecordBatch& batch, size_t begin, size_t end) {
  end = std::min(end, batch.num_rows);
  for (size_t i = 0; i < batch.schema.size(); ++i) {
    if (batch.schema[i].name != k_add || batch.schema[i].type.id != TypeId::struct_) continue;
    size_t n = 0;
    for (size_t row = begin; row < end; ++row) n += batch.columns[i].is_valid(row) ? 1 : 0;
    return n;
  }
  return 0;
}

Status decode_checkpoint(const columnar::RecordBatch& batch, std::string_view file_name,
                         size_t begin, size_t end, std::span<Add> adds,
                         std::vector<Action>& others) {
  std::vector<std::unique_ptr<ColumnDecoder>> decoders;
  for (const auto& known : k_known) {
    for (size_t i = 0; i < batch.schema.size(); ++i) {
      if (batch.schema[i].name != known.name) continue;
      Ref column{&batch.schema[i], &batch.columns[i], std::string(known.name)};
      if (auto s = column.expect(Kind::structure); !s.ok()) {
        return s.error().with_context(file_name);
      }
      auto decoder = known.make(column);
      if (!decoder.ok()) return decoder.error().with_context(file_name);
      decoders.push_back(std::move(decoder).value());
    }
  }
  end = std::min(end, batch.num_rows);
  ActionSink sink{adds, 0, others};
  for (const auto& decoder : decoders) {
    for (size_t row = begin; row < end; ++row) {
      if (!decoder->present(row)) continue;
      SL_TRY(decoder->decode(row, file_name, sink));
    }
  }
  if (sink.next_add != adds.size()) {
    return make_error(Errc::internal, std::string(file_name) + ": fewer adds than counted");
  }
  return {};
}

Status decode_checkpoint_stats(const columnar::RecordBatch& batch,
                               std::shared_ptr<const columnar::RecordBatch> stats,
                               std::string_view file_name, size_t begin, size_t end,
                               std::span<Add> adds) {
  SL_ASSIGN_OR_RETURN(Ref add, add_column(batch));
  SL_ASSIGN_OR_RETURN(Ref stats_add, add_column(*stats));
  Ref text = stats_add.child("stats");
  Ref parsed = stats_add.child("stats_parsed");
  if (auto s = text.expect(Kind::string); !s.ok()) return s.error().with_context(file_name);
  if (auto s = parsed.expect(Kind::structure); !s.ok()) return s.error().with_context(file_name);
  end = std::min({end, batch.num_rows, stats->num_rows});
  // The adds' stats are views into `stats`; they share it through an owner of this range's own
  // (one more pointer, not one more buffer), so the threads filling other ranges of the same
  // batch do not contend for one reference count.
  std::shared_ptr<const void> owner =
      std::make_shared<std::shared_ptr<const columnar::RecordBatch>>(std::move(stats));
  size_t next = 0;
  for (size_t row = begin; row < end; ++row) {
    if (!add.present(row)) continue;
    if (next == adds.size()) {
      return make_error(Errc::internal, std::string(file_name) + ": more adds than decoded");
    }
    Add& a = adds[next++];
    if (text.present(row)) {
      a.stats.emplace(owner, text.view(row));
    } else {
      a.stats = parsed.stats_json(row);
    }
  }
  return {};
}

}  // namespace sl::delta
