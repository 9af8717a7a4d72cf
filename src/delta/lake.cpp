// Lake layout and table storage.
#include "delta/lake.hpp"

namespace sl::delta {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::bronze:
      return "bronze";
    case Layer::silver:
      return "silver";
    case Layer::gold:
      return "gold";
  }
  return "";
}

Lake::Lake(std::string root, StorageFactory factory)
    : root_(std::move(root)), factory_(std::move(factory)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string Lake::location(Layer layer, std::string_view table) const {
  std::string out = root_;
  out += '/';
  out += layer_name(layer);
  out += '/';
  out += table;
  return out;
}

std::unique_ptr<Storage> Lake::table(Layer layer, std::string_view name) const {
  return factory_(location(layer, name));
}

std::unique_ptr<Storage> Lake::table_at(const std::string& location) const {
  return factory_(location);
}

Result<std::vector<std::string>> Lake::tables(Layer layer) const {
  auto storage = factory_(root_ + "/" + std::string(layer_name(layer)));
  SL_ASSIGN_OR_RETURN(auto files, storage->list_recursive(""));
  // "<table>/_delta_log/<file>": the table is what precedes the log directory.
  constexpr std::string_view k_log = "/_delta_log/";
  std::vector<std::string> names;
  for (const auto& f : files) {
    const auto at = f.path.find(k_log);
    if (at == std::string::npos || at == 0) continue;
    std::string name = f.path.substr(0, at);
    if (name.find('/') != std::string::npos) continue;  // a table nested deeper is not ours
    // The listing is sorted by path: a table's files are contiguous.
    if (names.empty() || names.back() != name) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace sl::delta
