#pragma once
// From an evaluation to the minimised objective values NSGA-II compares.
#include <string>
#include <vector>

#include "train/eval_result.hpp"

namespace star::app {

// quality: held-out loss; params: parameter count; cache: inference cache bytes. A failed
// evaluation gets +infinity for quality (and is infeasible for selection anyway).
std::vector<double> objective_values(const train::EvalResult& result, const std::vector<std::string>& names);

}  // namespace star::app
