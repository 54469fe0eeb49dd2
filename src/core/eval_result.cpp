#include "core/eval_result.hpp"

#include <stdexcept>

namespace star::train {
namespace {

// Every status with its name, in enum order: the one list both directions read.
struct StatusName {
  EvalStatus status;
  const char* name;
};
constexpr StatusName kStatusNames[] = {
    {EvalStatus::ok, "ok"},           {EvalStatus::diverged, "diverged"}, {EvalStatus::oom, "oom"},
    {EvalStatus::failed, "failed"},   {EvalStatus::timeout, "timeout"},   {EvalStatus::interrupted, "interrupted"},
};

}  // namespace

const char* to_string(EvalStatus status) {
  for (const auto& entry : kStatusNames)
    if (entry.status == status) return entry.name;
  return "failed";
}

EvalStatus eval_status_from_string(const std::string& name) {
  for (const auto& entry : kStatusNames)
    if (name == entry.name) return entry.status;
  throw std::invalid_argument("unknown evaluation status \"" + name + "\"");
}

}  // namespace star::train
