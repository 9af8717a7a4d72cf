// Lake: the one place that knows where a table lives — the lake's root, its layout
// `<root>/{bronze,silver,gold}/<table>` and the storage of each table, made by the storage
// factory the composition root chose (local files today; an object store is another factory).
// Jobs and readers take a Lake and never build a Storage themselves.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

enum class Layer { bronze, silver, gold };
std::string_view layer_name(Layer layer);  // "bronze", "silver", "gold"

class Lake {
 public:
  // A Storage rooted at `location` (a path or URI below the lake's root).
  using StorageFactory = std::function<std::unique_ptr<Storage>(const std::string& location)>;

  Lake(std::string root, StorageFactory factory);

  const std::string& root() const { return root_; }
  // "<root>/<layer>/<table>".
  std::string location(Layer layer, std::string_view table) const;
  // The storage of one table (existing or not).
  std::unique_ptr<Storage> table(Layer layer, std::string_view table) const;
  // The storage of a table given by its location (a path the user named).
  std::unique_ptr<Storage> table_at(const std::string& location) const;
  // The tables of a layer (directories holding a `_delta_log/`), sorted; none when the layer
  // does not exist yet.
  Result<std::vector<std::string>> tables(Layer layer) const;

 private:
  std::string root_;
  StorageFactory factory_;
};

}  // namespace sl::delta
