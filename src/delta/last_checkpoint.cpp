// _last_checkpoint codec.
#include "delta/last_checkpoint.hpp"

#include <simdjson.h>

#include "common/json_writer.hpp"
#include "delta/json_access.hpp"
#include "delta/log_segment.hpp"

namespace sl::delta {

std::string last_checkpoint_to_json(const LastCheckpoint& hint) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("version", hint.version).field("size", hint.size);
  if (hint.parts) w.field("parts", *hint.parts);
  if (hint.size_in_bytes) w.field("sizeInBytes", *hint.size_in_bytes);
  if (hint.num_of_add_files) w.field("numOfAddFiles", *hint.num_of_add_files);
  w.end_object();
  return out;
}

Result<LastCheckpoint> parse_last_checkpoint(std::string_view text, std::string_view file_name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  json::Element root;
  if (auto err = parser.parse(padded).get(root)) return json::error(err, file_name);
  SL_ASSIGN_OR_RETURN(auto object, json::object_of(root, file_name));
  LastCheckpoint hint;
  SL_ASSIGN_OR_RETURN(hint.version, json::required_int(object, "version", file_name));
  SL_ASSIGN_OR_RETURN(hint.size, json::required_int(object, "size", file_name));
  SL_ASSIGN_OR_RETURN(hint.parts, json::optional_int(object, "parts", file_name));
  SL_ASSIGN_OR_RETURN(hint.size_in_bytes, json::optional_int(object, "sizeInBytes", file_name));
  SL_ASSIGN_OR_RETURN(hint.num_of_add_files,
                      json::optional_int(object, "numOfAddFiles", file_name));
  if (hint.version < 0) {
    return make_error(Errc::parse, std::string(file_name) + ": negative 'version'");
  }
  return hint;
}

Result<std::optional<LastCheckpoint>> read_last_checkpoint(const Storage& storage) {
  auto text = storage.read(last_checkpoint_path());
  if (!text.ok()) {
    if (text.error().code == Errc::not_found) return std::optional<LastCheckpoint>{};
    return text.error();
  }
  SL_ASSIGN_OR_RETURN(auto hint,
                      parse_last_checkpoint(*text, storage.describe(last_checkpoint_path())));
  return std::optional<LastCheckpoint>(hint);
}

}  // namespace sl::delta
