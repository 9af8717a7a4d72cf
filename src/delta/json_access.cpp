// json_access: typed member access over simdjson DOM objects.
#include "delta/json_access.hpp"

namespace sl::delta::json {

Error error(simdjson::error_code code, std::string_view what) {
  return make_error(Errc::parse, std::string(what) + ": " + simdjson::error_message(code));
}

Result<Object> object_of(Element e, std::string_view what) {
  Object o;
  if (e.get(o) != simdjson::SUCCESS)
    return make_error(Errc::parse, std::string(what) + " is not an object");
  return o;
}

namespace {

// The member, or nullopt if absent or null.
std::optional<Element> member(Object o, std::string_view key) {
  Element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

Error wrong_type(std::string_view where, std::string_view key, std::string_view expected) {
  return make_error(Errc::parse, std::string(where) + ": '" + std::string(key) + "' is not " +
                                     std::string(expected));
}

Error missing(std::string_view where, std::string_view key) {
  return make_error(Errc::parse, std::string(where) + ": missing '" + std::string(key) + "'");
}

}  // namespace

Result<std::optional<std::string>> optional_string(Object o, std::string_view key,
                                                   std::string_view where) {
  auto e = member(o, key);
  if (!e) return std::optional<std::string>{};
  std::string_view s;
  if (e->get(s) != simdjson::SUCCESS) return wrong_type(where, key, "a string");
  return std::optional<std::string>(std::string(s));
}

Result<std::optional<int64_t>> optional_int(Object o, std::string_view key,
                                            std::string_view where) {
  auto e = member(o, key);
  if (!e) return std::optional<int64_t>{};
  int64_t v;
  if (e->get(v) == simdjson::SUCCESS) return std::optional<int64_t>(v);
  uint64_t u;
  if (e->get(u) == simdjson::SUCCESS && u <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(u));
  }
  return wrong_type(where, key, "an integer");
}

Result<std::optional<bool>> optional_bool(Object o, std::string_view key, std::string_view where) {
  auto e = member(o, key);
  if (!e) return std::optional<bool>{};
  bool v;
  if (e->get(v) != simdjson::SUCCESS) return wrong_type(where, key, "a boolean");
  return std::optional<bool>(v);
}

Result<std::string> required_string(Object o, std::string_view key, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto v, optional_string(o, key, where));
  if (!v) return missing(where, key);
  return std::move(*v);
}

Result<int64_t> required_int(Object o, std::string_view key, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto v, optional_int(o, key, where));
  if (!v) return missing(where, key);
  return *v;
}

Result<bool> required_bool(Object o, std::string_view key, std::string_view where) {
  SL_ASSIGN_OR_RETURN(auto v, optional_bool(o, key, where));
  if (!v) return missing(where, key);
  return *v;
}

Result<std::map<std::string, std::optional<std::string>>> string_map(Object o, std::string_view key,
                                                                     std::string_view where) {
  std::map<std::string, std::optional<std::string>> out;
  auto e = member(o, key);
  if (!e) return out;
  Object m;
  if (e->get(m) != simdjson::SUCCESS) return wrong_type(where, key, "an object");
  for (auto [k, v] : m) {
    if (v.is_null()) {
      out.emplace(std::string(k), std::nullopt);
      continue;
    }
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) {
      return make_error(Errc::parse, std::string(where) + ": '" + std::string(key) + "." +
                                         std::string(k) + "' is not a string");
    }
    out.emplace(std::string(k), std::string(s));
  }
  return out;
}

Result<std::optional<std::vector<std::string>>> string_list(Object o, std::string_view key,
                                                            std::string_view where) {
  auto e = member(o, key);
  if (!e) return std::optional<std::vector<std::string>>{};
  simdjson::dom::array a;
  if (e->get(a) != simdjson::SUCCESS) return wrong_type(where, key, "an array");
  std::vector<std::string> out;
  for (auto v : a) {
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) return wrong_type(where, key, "an array of strings");
    out.emplace_back(s);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::string to_json(Element e) {
  return simdjson::minify(e);
}
std::string to_json(Object o) {
  return simdjson::minify(o);
}

}  // namespace sl::delta::json
