// The checkpoint schema, built once per call (cheap: a few dozen fields).
#include "delta/checkpoint_schema.hpp"

#include <string>
#include <utility>

namespace sl::delta {

namespace {

using columnar::Field;
using columnar::TypeId;

Field leaf(std::string name, TypeId type) {
  return Field{std::move(name), {type}, true, {}};
}
Field string_field(std::string name) {
  return leaf(std::move(name), TypeId::string);
}
Field long_field(std::string name) {
  return leaf(std::move(name), TypeId::int64);
}
Field int_field(std::string name) {
  return leaf(std::move(name), TypeId::int32);
}
Field bool_field(std::string name) {
  return leaf(std::move(name), TypeId::boolean);
}

Field group(std::string name, std::vector<Field> children) {
  return Field{std::move(name), {TypeId::struct_}, true, std::move(children)};
}

Field string_map(std::string name) {
  Field key{"key", {TypeId::string}, false, {}};
  return Field{std::move(name), {TypeId::map}, true, {std::move(key), string_field("value")}};
}

Field string_list(std::string name) {
  return Field{std::move(name), {TypeId::list}, true, {string_field("element")}};
}

Field deletion_vector() {
  return group("deletionVector",
               {string_field("storageType"), string_field("pathOrInlineDv"), int_field("offset"),
                int_field("sizeInBytes"), long_field("cardinality"), long_field("maxRowIndex")});
}

}  // namespace

std::vector<columnar::Field> checkpoint_schema() {
  std::vector<Field> fields;
  fields.push_back(
      group("txn", {string_field("appId"), long_field("version"), long_field("lastUpdated")}));
  fields.push_back(
      group("add", {string_field("path"), string_map("partitionValues"), long_field("size"),
                    long_field("modificationTime"), bool_field("dataChange"), string_map("tags"),
                    deletion_vector(), long_field("baseRowId"),
                    long_field("defaultRowCommitVersion"), string_field("stats")}));
  fields.push_back(
      group("remove",
            {string_field("path"), long_field("deletionTimestamp"), bool_field("dataChange"),
             bool_field("extendedFileMetadata"), string_map("partitionValues"), long_field("size"),
             deletion_vector(), long_field("baseRowId"), long_field("defaultRowCommitVersion")}));
  fields.push_back(
      group("metaData", {string_field("id"), string_field("name"), string_field("description"),
                         group("format", {string_field("provider"), string_map("options")}),
                         string_field("schemaString"), string_list("partitionColumns"),
                         string_map("configuration"), long_field("createdTime")}));
  fields.push_back(
      group("protocol", {int_field("minReaderVersion"), int_field("minWriterVersion"),
                         string_list("readerFeatures"), string_list("writerFeatures")}));
  fields.push_back(group("domainMetadata", {string_field("domain"), string_field("configuration"),
                                            bool_field("removed")}));
  return fields;
}

}  // namespace sl::delta
