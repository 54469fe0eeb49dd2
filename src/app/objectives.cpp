#include "app/objectives.hpp"

#include <limits>
#include <stdexcept>

namespace star::app {

std::vector<double> objective_values(const train::EvalResult& r, const std::vector<std::string>& names) {
  std::vector<double> values;
  for (const auto& name : names) {
    if (name == "quality") values.push_back(r.feasible() ? r.loss : std::numeric_limits<double>::infinity());
    else if (name == "params") values.push_back(static_cast<double>(r.parameters));
    else if (name == "cache") values.push_back(static_cast<double>(r.cache_bytes));
    else throw std::invalid_argument("unknown objective \"" + name + "\"");
  }
  return values;
}

}  // namespace star::app
