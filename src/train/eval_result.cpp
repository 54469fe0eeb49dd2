#include "train/eval_result.hpp"

#include <stdexcept>

namespace star::train {

const char* to_string(EvalStatus status) {
  switch (status) {
    case EvalStatus::ok: return "ok";
    case EvalStatus::diverged: return "diverged";
    case EvalStatus::oom: return "oom";
    case EvalStatus::failed: return "failed";
    case EvalStatus::timeout: return "timeout";
    case EvalStatus::interrupted: return "interrupted";
  }
  return "failed";
}

EvalStatus eval_status_from_string(const std::string& name) {
  for (auto s : {EvalStatus::ok, EvalStatus::diverged, EvalStatus::oom, EvalStatus::failed, EvalStatus::timeout,
                 EvalStatus::interrupted})
    if (name == to_string(s)) return s;
  throw std::invalid_argument("unknown evaluation status \"" + name + "\"");
}

}  // namespace star::train
