// Delta actions ⇄ JSON log lines (simdjson DOM to read, JsonWriter to write).
#include "delta/actions_json.hpp"

#include "common/json_writer.hpp"
#include "delta/json_access.hpp"

namespace sl::delta {

std::string file_key(std::string_view path, const std::optional<DeletionVector>& dv) {
  std::string key(path);
  if (dv) key += "\x1f" + dv->unique_id();
  return key;
}

namespace {

using json::Object;

Result<PartitionValues> partition_values(Object o, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto map, json::string_map(o, "partitionValues", where));
  return PartitionValues(map.begin(), map.end());
}

Result<StringMap> strings_only(Object o, std::string_view key, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto map, json::string_map(o, key, where));
  StringMap out;
  for (auto& [k, v] : map) out.emplace(k, v.value_or(""));
  return out;
}

// A map whose values may be any JSON (commitInfo's operationParameters from some writers):
// strings are kept, other values are re-encoded as JSON text.
StringMap any_map(Object o, std::string_view key) {
  StringMap out;
  Object m;
  if (o.at_key(key).get(m) != simdjson::SUCCESS) return out;
  for (auto [k, v] : m) {
    std::string_view s;
    if (v.get(s) == simdjson::SUCCESS) {
      out.emplace(std::string(k), std::string(s));
    } else {
      out.emplace(std::string(k), json::to_json(v));
    }
  }
  return out;
}

Result<std::optional<DeletionVector>> deletion_vector(Object o, std::string_view where) {
  json::Element e;
  if (o.at_key("deletionVector").get(e) != simdjson::SUCCESS || e.is_null()) {
    return std::optional<DeletionVector>{};
  }
  std::string dv_where = std::string(where) + ".deletionVector";
  SL_ASSIGN_OR_RETURN(auto d, json::object_of(e, dv_where));
  DeletionVector dv;
  SL_ASSIGN_OR_RETURN(dv.storage_type, json::required_string(d, "storageType", dv_where));
  SL_ASSIGN_OR_RETURN(dv.path_or_inline_dv, json::required_string(d, "pathOrInlineDv", dv_where));
  SL_ASSIGN_OR_RETURN(auto offset, json::optional_int(d, "offset", dv_where));
  if (offset) dv.offset = static_cast<int32_t>(*offset);
  SL_ASSIGN_OR_RETURN(auto size, json::required_int(d, "sizeInBytes", dv_where));
  dv.size_in_bytes = static_cast<int32_t>(size);
  SL_ASSIGN_OR_RETURN(dv.cardinality, json::required_int(d, "cardinality", dv_where));
  return std::optional<DeletionVector>(std::move(dv));
}

Result<Action> parse_add(Object o, std::string_view where) {
  Add a;
  SL_ASSIGN_OR_RETURN(a.path, json::required_string(o, "path", where));
  SL_ASSIGN_OR_RETURN(a.partition_values, partition_values(o, where));
  SL_ASSIGN_OR_RETURN(a.size, json::required_int(o, "size", where));
  SL_ASSIGN_OR_RETURN(a.modification_time, json::required_int(o, "modificationTime", where));
  SL_ASSIGN_OR_RETURN(a.data_change, json::required_bool(o, "dataChange", where));
  SL_ASSIGN_OR_RETURN(a.stats, json::optional_string(o, "stats", where));
  SL_ASSIGN_OR_RETURN(a.tags, strings_only(o, "tags", where));
  SL_ASSIGN_OR_RETURN(a.deletion_vector, deletion_vector(o, where));
  SL_ASSIGN_OR_RETURN(a.base_row_id, json::optional_int(o, "baseRowId", where));
  SL_ASSIGN_OR_RETURN(a.default_row_commit_version,
                      json::optional_int(o, "defaultRowCommitVersion", where));
  SL_ASSIGN_OR_RETURN(a.clustering_provider, json::optional_string(o, "clusteringProvider", where));
  return a;
}

Result<Action> parse_remove(Object o, std::string_view where) {
  Remove r;
  SL_ASSIGN_OR_RETURN(r.path, json::required_string(o, "path", where));
  SL_ASSIGN_OR_RETURN(r.deletion_timestamp, json::optional_int(o, "deletionTimestamp", where));
  SL_ASSIGN_OR_RETURN(r.data_change, json::required_bool(o, "dataChange", where));
  SL_ASSIGN_OR_RETURN(r.extended_file_metadata,
                      json::optional_bool(o, "extendedFileMetadata", where));
  json::Element pv;
  if (o.at_key("partitionValues").get(pv) == simdjson::SUCCESS && !pv.is_null()) {
    SL_ASSIGN_OR_RETURN(r.partition_values, partition_values(o, where));
  }
  SL_ASSIGN_OR_RETURN(r.size, json::optional_int(o, "size", where));
  SL_ASSIGN_OR_RETURN(r.stats, json::optional_string(o, "stats", where));
  SL_ASSIGN_OR_RETURN(r.tags, strings_only(o, "tags", where));
  SL_ASSIGN_OR_RETURN(r.deletion_vector, deletion_vector(o, where));
  SL_ASSIGN_OR_RETURN(r.base_row_id, json::optional_int(o, "baseRowId", where));
  SL_ASSIGN_OR_RETURN(r.default_row_commit_version,
                      json::optional_int(o, "defaultRowCommitVersion", where));
  return r;
}

Result<Action> parse_metadata(Object o, std::string_view where) {
  Metadata m;
  SL_ASSIGN_OR_RETURN(m.id, json::required_string(o, "id", where));
  SL_ASSIGN_OR_RETURN(m.name, json::optional_string(o, "name", where));
  SL_ASSIGN_OR_RETURN(m.description, json::optional_string(o, "description", where));
  json::Element format;
  if (o.at_key("format").get(format) == simdjson::SUCCESS && !format.is_null()) {
    std::string format_where = std::string(where) + ".format";
    SL_ASSIGN_OR_RETURN(auto f, json::object_of(format, format_where));
    SL_ASSIGN_OR_RETURN(m.format.provider, json::required_string(f, "provider", format_where));
    SL_ASSIGN_OR_RETURN(m.format.options, strings_only(f, "options", format_where));
  }
  SL_ASSIGN_OR_RETURN(m.schema_string, json::required_string(o, "schemaString", where));
  SL_ASSIGN_OR_RETURN(auto partition_columns, json::string_list(o, "partitionColumns", where));
  if (!partition_columns) {
    return make_error(Errc::parse, std::string(where) + ": missing 'partitionColumns'");
  }
  m.partition_columns = std::move(*partition_columns);
  SL_ASSIGN_OR_RETURN(m.configuration, strings_only(o, "configuration", where));
  SL_ASSIGN_OR_RETURN(m.created_time, json::optional_int(o, "createdTime", where));
  return m;
}

Result<Action> parse_protocol(Object o, std::string_view where) {
  Protocol p;
  SL_ASSIGN_OR_RETURN(auto reader, json::required_int(o, "minReaderVersion", where));
  SL_ASSIGN_OR_RETURN(auto writer, json::required_int(o, "minWriterVersion", where));
  p.min_reader_version = static_cast<int32_t>(reader);
  p.min_writer_version = static_cast<int32_t>(writer);
  SL_ASSIGN_OR_RETURN(p.reader_features, json::string_list(o, "readerFeatures", where));
  SL_ASSIGN_OR_RETURN(p.writer_features, json::string_list(o, "writerFeatures", where));
  return p;
}

Result<Action> parse_txn(Object o, std::string_view where) {
  Txn t;
  SL_ASSIGN_OR_RETURN(t.app_id, json::required_string(o, "appId", where));
  SL_ASSIGN_OR_RETURN(t.version, json::required_int(o, "version", where));
  SL_ASSIGN_OR_RETURN(t.last_updated, json::optional_int(o, "lastUpdated", where));
  return t;
}

Result<Action> parse_commit_info(Object o, std::string_view where) {
  CommitInfo c;
  // commitInfo is free-form: a field of an unexpected type is ignored, never an error.
  if (auto v = json::optional_int(o, "timestamp", where); v.ok()) c.timestamp = *v;
  if (auto v = json::optional_string(o, "operation", where); v.ok()) c.operation = *v;
  c.operation_parameters = any_map(o, "operationParameters");
  if (auto v = json::optional_int(o, "readVersion", where); v.ok()) c.read_version = *v;
  if (auto v = json::optional_string(o, "isolationLevel", where); v.ok()) c.isolation_level = *v;
  if (auto v = json::optional_bool(o, "isBlindAppend", where); v.ok()) c.is_blind_append = *v;
  c.operation_metrics = any_map(o, "operationMetrics");
  if (auto v = json::optional_string(o, "engineInfo", where); v.ok()) c.engine_info = *v;
  if (auto v = json::optional_string(o, "txnId", where); v.ok()) c.txn_id = *v;
  c.json = json::to_json(o);
  return c;
}

Result<Action> parse_domain_metadata(Object o, std::string_view where) {
  DomainMetadata d;
  SL_ASSIGN_OR_RETURN(d.domain, json::required_string(o, "domain", where));
  SL_ASSIGN_OR_RETURN(d.configuration, json::required_string(o, "configuration", where));
  SL_ASSIGN_OR_RETURN(d.removed, json::required_bool(o, "removed", where));
  return d;
}

Result<Action> parse_cdc(Object o, std::string_view where) {
  Cdc c;
  SL_ASSIGN_OR_RETURN(c.path, json::required_string(o, "path", where));
  SL_ASSIGN_OR_RETURN(c.partition_values, partition_values(o, where));
  SL_ASSIGN_OR_RETURN(c.size, json::required_int(o, "size", where));
  SL_ASSIGN_OR_RETURN(auto data_change, json::optional_bool(o, "dataChange", where));
  c.data_change = data_change.value_or(false);
  return c;
}

// ---- writing ----

void write_string_map(JsonWriter& w, std::string_view key, const StringMap& map) {
  w.key(key).begin_object();
  for (const auto& [k, v] : map) w.field(k, v);
  w.end_object();
}

void write_partition_values(JsonWriter& w, const PartitionValues& values) {
  w.key("partitionValues").begin_object();
  for (const auto& [k, v] : values) {
    w.key(k);
    if (v) {
      w.string(*v);
    } else {
      w.null();
    }
  }
  w.end_object();
}

void write_deletion_vector(JsonWriter& w, const std::optional<DeletionVector>& dv) {
  if (!dv) return;
  w.key("deletionVector").begin_object();
  w.field("storageType", dv->storage_type).field("pathOrInlineDv", dv->path_or_inline_dv);
  if (dv->offset) w.field("offset", int64_t{*dv->offset});
  w.field("sizeInBytes", int64_t{dv->size_in_bytes}).field("cardinality", dv->cardinality);
  w.end_object();
}

template <class T>
void write_optional(JsonWriter& w, std::string_view key, const std::optional<T>& v) {
  if (v) w.field(key, *v);
}

void write(JsonWriter& w, const Add& a) {
  w.key(k_add).begin_object().field("path", a.path);
  write_partition_values(w, a.partition_values);
  w.field("size", a.size).field("modificationTime", a.modification_time);
  w.field("dataChange", a.data_change);
  if (!a.tags.empty()) write_string_map(w, "tags", a.tags);
  write_deletion_vector(w, a.deletion_vector);
  write_optional(w, "baseRowId", a.base_row_id);
  write_optional(w, "defaultRowCommitVersion", a.default_row_commit_version);
  write_optional(w, "clusteringProvider", a.clustering_provider);
  write_optional(w, "stats", a.stats);
  w.end_object();
}

void write(JsonWriter& w, const Remove& r) {
  w.key(k_remove).begin_object().field("path", r.path);
  write_optional(w, "deletionTimestamp", r.deletion_timestamp);
  w.field("dataChange", r.data_change);
  write_optional(w, "extendedFileMetadata", r.extended_file_metadata);
  if (r.partition_values) write_partition_values(w, *r.partition_values);
  write_optional(w, "size", r.size);
  write_optional(w, "stats", r.stats);
  if (!r.tags.empty()) write_string_map(w, "tags", r.tags);
  write_deletion_vector(w, r.deletion_vector);
  write_optional(w, "baseRowId", r.base_row_id);
  write_optional(w, "defaultRowCommitVersion", r.default_row_commit_version);
  w.end_object();
}

void write(JsonWriter& w, const Metadata& m) {
  w.key(k_metadata).begin_object().field("id", m.id);
  write_optional(w, "name", m.name);
  write_optional(w, "description", m.description);
  w.key("format").begin_object().field("provider", m.format.provider);
  write_string_map(w, "options", m.format.options);
  w.end_object();
  w.field("schemaString", m.schema_string);
  w.key("partitionColumns").begin_array();
  for (const auto& c : m.partition_columns) w.string(c);
  w.end_array();
  write_string_map(w, "configuration", m.configuration);
  write_optional(w, "createdTime", m.created_time);
  w.end_object();
}

void write_features(JsonWriter& w, std::string_view key,
                    const std::optional<std::vector<std::string>>& features) {
  if (!features) return;
  w.key(key).begin_array();
  for (const auto& f : *features) w.string(f);
  w.end_array();
}

void write(JsonWriter& w, const Protocol& p) {
  w.key(k_protocol).begin_object();
  w.field("minReaderVersion", int64_t{p.min_reader_version});
  w.field("minWriterVersion", int64_t{p.min_writer_version});
  write_features(w, "readerFeatures", p.reader_features);
  write_features(w, "writerFeatures", p.writer_features);
  w.end_object();
}

void write(JsonWriter& w, const Txn& t) {
  w.key(k_txn).begin_object().field("appId", t.app_id).field("version", t.version);
  write_optional(w, "lastUpdated", t.last_updated);
  w.end_object();
}

void write(JsonWriter& w, const CommitInfo& c) {
  w.key(k_commit_info);
  if (!c.json.empty()) {
    w.raw(c.json);
    return;
  }
  w.begin_object();
  write_optional(w, "timestamp", c.timestamp);
  write_optional(w, "operation", c.operation);
  write_string_map(w, "operationParameters", c.operation_parameters);
  write_optional(w, "readVersion", c.read_version);
  write_optional(w, "isolationLevel", c.isolation_level);
  write_optional(w, "isBlindAppend", c.is_blind_append);
  if (!c.operation_metrics.empty()) write_string_map(w, "operationMetrics", c.operation_metrics);
  write_optional(w, "engineInfo", c.engine_info);
  write_optional(w, "txnId", c.txn_id);
  w.end_object();
}

void write(JsonWriter& w, const DomainMetadata& d) {
  w.key(k_domain_metadata).begin_object().field("domain", d.domain);
  w.field("configuration", d.configuration).field("removed", d.removed).end_object();
}

void write(JsonWriter& w, const Cdc& c) {
  w.key(k_cdc).begin_object().field("path", c.path);
  write_partition_values(w, c.partition_values);
  w.field("size", c.size).field("dataChange", c.data_change).end_object();
}

using ActionParser = Result<Action> (*)(Object, std::string_view);

ActionParser action_parser(std::string_view key) {
  if (key == k_add) return parse_add;
  if (key == k_remove) return parse_remove;
  if (key == k_metadata) return parse_metadata;
  if (key == k_protocol) return parse_protocol;
  if (key == k_txn) return parse_txn;
  if (key == k_commit_info) return parse_commit_info;
  if (key == k_domain_metadata) return parse_domain_metadata;
  if (key == k_cdc) return parse_cdc;
  return nullptr;
}

}  // namespace

Result<std::vector<Action>> parse_commit(std::string_view text, std::string_view file_name) {
  // One padded copy of the file; each line is parsed in place (the bytes after a line are
  // readable, which is all simdjson's padding requirement asks).
  simdjson::padded_string padded(text);
  simdjson::dom::parser parser;
  std::vector<Action> actions;
  size_t line_start = 0;
  size_t line_number = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    ++line_number;
    std::string_view line = text.substr(line_start, line_end - line_start);
    size_t offset = line_start;
    line_start = line_end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::string where = std::string(file_name) + ":" + std::to_string(line_number);
    json::Element root;
    if (auto err = parser.parse(padded.data() + offset, line.size(), false).get(root)) {
      return json::error(err, where);
    }
    Object o;
    if (root.get(o) != simdjson::SUCCESS) {
      return make_error(Errc::parse, where + ": a log line must be a JSON object");
    }
    for (auto [key, value] : o) {
      Object body;
      if (value.get(body) != simdjson::SUCCESS) {
        if (value.is_null()) continue;
        return make_error(Errc::parse,
                          where + ": action '" + std::string(key) + "' is not an object");
      }
      if (key == k_checkpoint_metadata || key == k_sidecar) {
        return make_error(Errc::unsupported,
                          where + ": '" + std::string(key) + "' needs the v2Checkpoint feature");
      }
      auto parser_of = action_parser(key);
      if (!parser_of)
        continue;  // an action from a newer protocol: readers skip what they do not know
      auto action = parser_of(body, where + ": " + std::string(key));
      if (!action.ok()) return action.error();
      actions.push_back(std::move(action).value());
    }
  }
  return actions;
}

std::string action_to_json(const Action& action) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  std::visit([&](const auto& a) { write(w, a); }, action);
  w.end_object();
  return out;
}

std::string commit_to_json(const std::vector<Action>& actions) {
  std::string out;
  for (const auto& a : actions) {
    out += action_to_json(a);
    out += '\n';
  }
  return out;
}

}  // namespace sl::delta
