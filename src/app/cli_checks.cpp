#include "app/cli_checks.hpp"

#include <string>

#include "genome/excerpt.hpp"

namespace star::app {

CLI::Validator number_in(double lo, double hi) {
  const std::string range = "[" + CLI::detail::to_string(lo) + " - " + CLI::detail::to_string(hi) + "]";
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "\"" + star::excerpt(text) + "\" is not a number";
        if (!(v >= lo && v <= hi)) return "value " + star::excerpt(text) + " not in range " + range;
        return "";
      },
      "NUMBER in " + range);
}

}  // namespace star::app
