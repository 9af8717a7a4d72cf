// Delta schema: JSON codec (Spark StructType JSON), type names, mapping to Parquet fields.
#include <charconv>

#include "common/json_writer.hpp"
#include "delta/json_access.hpp"
#include "delta/schema.hpp"

namespace sl::delta {

namespace {

struct PrimitiveName {
  PrimitiveType type;
  std::string_view name;
};
constexpr PrimitiveName k_primitive_names[] = {
    {PrimitiveType::boolean, "boolean"},     {PrimitiveType::byte, "byte"},
    {PrimitiveType::short_, "short"},        {PrimitiveType::integer, "integer"},
    {PrimitiveType::long_, "long"},          {PrimitiveType::float_, "float"},
    {PrimitiveType::double_, "double"},      {PrimitiveType::string, "string"},
    {PrimitiveType::binary, "binary"},       {PrimitiveType::date, "date"},
    {PrimitiveType::timestamp, "timestamp"}, {PrimitiveType::timestamp_ntz, "timestamp_ntz"},
};

std::string_view primitive_name(PrimitiveType t) {
  for (const auto& p : k_primitive_names) {
    if (p.type == t) return p.name;
  }
  return "decimal";
}

Result<DataType> parse_type(json::Element e, std::string_view where);

Result<StructField> parse_field(json::Element e, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto o, json::object_of(e, where));
  StructField f;
  SL_ASSIGN_OR_RETURN(f.name, json::required_string(o, "name", where));
  std::string field_where = std::string(where) + "." + f.name;
  json::Element type;
  if (o.at_key("type").get(type) != simdjson::SUCCESS) {
    return make_error(Errc::parse, field_where + ": missing 'type'");
  }
  SL_ASSIGN_OR_RETURN(f.type, parse_type(type, field_where));
  SL_ASSIGN_OR_RETURN(auto nullable, json::optional_bool(o, "nullable", field_where));
  f.nullable = nullable.value_or(true);
  json::Element metadata;
  if (o.at_key("metadata").get(metadata) == simdjson::SUCCESS)
    f.metadata_json = json::to_json(metadata);
  return f;
}

Result<DataType> parse_type(json::Element e, std::string_view where) {
  std::string_view name;
  if (e.get(name) == simdjson::SUCCESS) {
    auto t = parse_primitive_type(name);
    if (!t.ok()) return t.error().with_context(where);
    return t;
  }
  SL_ASSIGN_OR_RETURN(auto o, json::object_of(e, where));
  SL_ASSIGN_OR_RETURN(auto kind, json::required_string(o, "type", where));
  DataType t;
  if (kind == "struct") {
    t.kind = DataType::Kind::struct_;
    simdjson::dom::array fields;
    if (o.at_key("fields").get(fields) != simdjson::SUCCESS) {
      return make_error(Errc::parse, std::string(where) + ": struct without 'fields' array");
    }
    for (auto f : fields) {
      SL_ASSIGN_OR_RETURN(auto field, parse_field(f, where));
      t.fields.push_back(std::move(field));
    }
    return t;
  }
  auto child = [&](std::string_view key) -> Result<DataType> {
    json::Element c;
    if (o.at_key(key).get(c) != simdjson::SUCCESS) {
      return make_error(Errc::parse,
                        std::string(where) + ": " + kind + " without '" + std::string(key) + "'");
    }
    return parse_type(c, std::string(where) + "." + std::string(key));
  };
  if (kind == "array") {
    t.kind = DataType::Kind::array;
    SL_ASSIGN_OR_RETURN(auto element, child("elementType"));
    t.children.push_back(std::move(element));
    SL_ASSIGN_OR_RETURN(auto contains_null, json::optional_bool(o, "containsNull", where));
    t.contains_null = contains_null.value_or(true);
    return t;
  }
  if (kind == "map") {
    t.kind = DataType::Kind::map;
    SL_ASSIGN_OR_RETURN(auto key, child("keyType"));
    SL_ASSIGN_OR_RETURN(auto value, child("valueType"));
    t.children.push_back(std::move(key));
    t.children.push_back(std::move(value));
    SL_ASSIGN_OR_RETURN(auto contains_null, json::optional_bool(o, "valueContainsNull", where));
    t.contains_null = contains_null.value_or(true);
    return t;
  }
  return make_error(Errc::unsupported, std::string(where) + ": unknown data type '" + kind + "'");
}

void write_type(JsonWriter& w, const DataType& t);

void write_field(JsonWriter& w, const StructField& f) {
  w.begin_object().field("name", f.name).key("type");
  write_type(w, f.type);
  w.field("nullable", f.nullable).key("metadata").raw(f.metadata_json).end_object();
}

void write_type(JsonWriter& w, const DataType& t) {
  switch (t.kind) {
    case DataType::Kind::primitive:
      w.string(type_to_string(t));
      return;
    case DataType::Kind::struct_:
      w.begin_object().field("type", "struct").key("fields").begin_array();
      for (const auto& f : t.fields) write_field(w, f);
      w.end_array().end_object();
      return;
    case DataType::Kind::array:
      w.begin_object().field("type", "array").key("elementType");
      write_type(w, t.children[0]);
      w.field("containsNull", t.contains_null).end_object();
      return;
    case DataType::Kind::map:
      w.begin_object().field("type", "map").key("keyType");
      write_type(w, t.children[0]);
      w.key("valueType");
      write_type(w, t.children[1]);
      w.field("valueContainsNull", t.contains_null).end_object();
      return;
  }
}

}  // namespace

bool DataType::operator==(const DataType& o) const {
  return kind == o.kind && primitive == o.primitive && precision == o.precision &&
         scale == o.scale && fields == o.fields && children == o.children &&
         contains_null == o.contains_null;
}

const StructField* Schema::find(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<DataType> parse_primitive_type(std::string_view name) {
  for (const auto& p : k_primitive_names) {
    if (p.name == name) return DataType::of(p.type);
  }
  // decimal(p,s); Spark writes it without spaces, older writers sometimes with.
  if (name.starts_with("decimal(") && name.ends_with(")")) {
    auto inner = name.substr(8, name.size() - 9);
    auto comma = inner.find(',');
    if (comma != std::string_view::npos) {
      auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        return s;
      };
      auto p_text = trim(inner.substr(0, comma));
      auto s_text = trim(inner.substr(comma + 1));
      int p = 0, s = 0;
      auto [pe, pec] = std::from_chars(p_text.data(), p_text.data() + p_text.size(), p);
      auto [se, sec] = std::from_chars(s_text.data(), s_text.data() + s_text.size(), s);
      if (pec == std::errc() && sec == std::errc() && pe == p_text.data() + p_text.size() &&
          se == s_text.data() + s_text.size() && p >= 1 && p <= 38 && s >= 0 && s <= p) {
        return DataType::decimal(p, s);
      }
    }
    return make_error(Errc::parse, "invalid decimal type '" + std::string(name) + "'");
  }
  if (name == "decimal") return DataType::decimal(10, 0);  // Spark's default precision
  return make_error(Errc::unsupported, "unknown data type '" + std::string(name) + "'");
}

std::string type_to_string(const DataType& t) {
  switch (t.kind) {
    case DataType::Kind::primitive:
      if (t.primitive == PrimitiveType::decimal) {
        return "decimal(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
      }
      return std::string(primitive_name(t.primitive));
    case DataType::Kind::struct_: {
      std::string out = "struct<";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        if (i) out += ',';
        out += t.fields[i].name + ":" + type_to_string(t.fields[i].type);
      }
      return out + ">";
    }
    case DataType::Kind::array:
      return "array<" + type_to_string(t.children[0]) + ">";
    case DataType::Kind::map:
      return "map<" + type_to_string(t.children[0]) + "," + type_to_string(t.children[1]) + ">";
  }
  return "?";
}

Result<Schema> parse_schema_json(std::string_view text) {
  simdjson::dom::parser parser;
  json::Element root;
  if (auto err = parser.parse(text.data(), text.size()).get(root))
    return json::error(err, "schemaString");
  SL_ASSIGN_OR_RETURN(auto type, parse_type(root, "schema"));
  if (type.kind != DataType::Kind::struct_) {
    return make_error(Errc::parse, "schemaString: the top-level type is not a struct");
  }
  return Schema{std::move(type.fields)};
}

std::string schema_to_json(const Schema& schema) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("type", "struct").key("fields").begin_array();
  for (const auto& f : schema.fields) write_field(w, f);
  w.end_array().end_object();
  return out;
}

namespace {

Result<columnar::DataType> to_parquet_type(const DataType& t, std::string_view name,
                                           std::vector<columnar::Field>& children) {
  using columnar::TypeId;
  switch (t.kind) {
    case DataType::Kind::primitive:
      switch (t.primitive) {
        case PrimitiveType::boolean:
          return columnar::DataType{TypeId::boolean};
        case PrimitiveType::byte:
        case PrimitiveType::short_:
        case PrimitiveType::integer:
          return columnar::DataType{TypeId::int32};
        case PrimitiveType::long_:
          return columnar::DataType{TypeId::int64};
        case PrimitiveType::float_:
          return columnar::DataType{TypeId::float32};
        case PrimitiveType::double_:
          return columnar::DataType{TypeId::float64};
        case PrimitiveType::string:
          return columnar::DataType{TypeId::string};
        case PrimitiveType::binary:
          return columnar::DataType{TypeId::binary};
        case PrimitiveType::date:
          return columnar::DataType{TypeId::date32};
        case PrimitiveType::timestamp:
          return columnar::DataType{TypeId::timestamp_us};
        case PrimitiveType::decimal:
          if (t.precision < 1 || t.precision > columnar::k_max_decimal_precision) {
            return make_error(Errc::unsupported, "column '" + std::string(name) + "': decimal(" +
                                                     std::to_string(t.precision) +
                                                     ") is wider than 38 digits");
          }
          return columnar::DataType{TypeId::decimal, t.precision, t.scale};
        case PrimitiveType::timestamp_ntz:
          return make_error(Errc::unsupported,
                            "column '" + std::string(name) +
                                "': timestamp_ntz needs protocol (3,7); sportlake writes (1,2)");
      }
      break;
    case DataType::Kind::struct_:
      for (const auto& f : t.fields) {
        SL_ASSIGN_OR_RETURN(auto child, to_parquet_field(f));
        children.push_back(std::move(child));
      }
      return columnar::DataType{TypeId::struct_};
    case DataType::Kind::array: {
      SL_ASSIGN_OR_RETURN(auto element,
                          to_parquet_field(StructField{"element", t.children[0], t.contains_null}));
      children.push_back(std::move(element));
      return columnar::DataType{TypeId::list};
    }
    case DataType::Kind::map: {
      SL_ASSIGN_OR_RETURN(auto key, to_parquet_field(StructField{"key", t.children[0], false}));
      SL_ASSIGN_OR_RETURN(auto value,
                          to_parquet_field(StructField{"value", t.children[1], t.contains_null}));
      children.push_back(std::move(key));
      children.push_back(std::move(value));
      return columnar::DataType{TypeId::map};
    }
  }
  return make_error(Errc::internal, "unhandled Delta type");
}

DataType from_parquet_type(const columnar::Field& f) {
  using columnar::TypeId;
  switch (f.type.id) {
    case TypeId::boolean:
      return DataType::of(PrimitiveType::boolean);
    case TypeId::int32:
      return DataType::of(PrimitiveType::integer);
    case TypeId::int64:
      return DataType::of(PrimitiveType::long_);
    case TypeId::float32:
      return DataType::of(PrimitiveType::float_);
    case TypeId::float64:
      return DataType::of(PrimitiveType::double_);
    case TypeId::string:
      return DataType::of(PrimitiveType::string);
    case TypeId::binary:
      return DataType::of(PrimitiveType::binary);
    case TypeId::date32:
      return DataType::of(PrimitiveType::date);
    case TypeId::timestamp_us:
      return DataType::of(PrimitiveType::timestamp);
    case TypeId::decimal:
      return DataType::decimal(f.type.precision, f.type.scale);
    case TypeId::struct_: {
      DataType t;
      t.kind = DataType::Kind::struct_;
      for (const auto& c : f.children) t.fields.push_back(from_parquet_field(c));
      return t;
    }
    case TypeId::list: {
      DataType t;
      t.kind = DataType::Kind::array;
      t.children.push_back(from_parquet_type(f.children.at(0)));
      t.contains_null = f.children.at(0).nullable;
      return t;
    }
    case TypeId::map: {
      DataType t;
      t.kind = DataType::Kind::map;
      t.children.push_back(from_parquet_type(f.children.at(0)));
      t.children.push_back(from_parquet_type(f.children.at(1)));
      t.contains_null = f.children.at(1).nullable;
      return t;
    }
  }
  return DataType::of(PrimitiveType::binary);
}

}  // namespace

Result<columnar::Field> to_parquet_field(const StructField& field) {
  columnar::Field out;
  out.name = field.name;
  out.nullable = field.nullable;
  SL_ASSIGN_OR_RETURN(out.type, to_parquet_type(field.type, field.name, out.children));
  return out;
}

StructField from_parquet_field(const columnar::Field& field) {
  return StructField{field.name, from_parquet_type(field), field.nullable, "{}"};
}

}  // namespace sl::delta
