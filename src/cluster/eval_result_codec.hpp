#pragma once
// EvalResult to bytes and back, for MPI messages: every field of eval_result_fields(), in order.
#include <string>

#include "core/eval_result.hpp"

namespace star::cluster {

std::string encode(int item, const train::EvalResult& result);
// Returns the item; throws std::runtime_error on a malformed message.
int decode(const std::string& bytes, train::EvalResult& result);

}  // namespace star::cluster
