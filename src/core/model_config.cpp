#include "core/model_config.hpp"

#include <stdexcept>

namespace star::model {
namespace {

// Each backend's name, written once: both directions of the conversion read this table.
struct BackendName {
  KernelBackend backend;
  const char* name;
};
constexpr BackendName kBackendNames[] = {{KernelBackend::kokkos, "kokkos"}, {KernelBackend::torch, "torch"}};

}  // namespace

std::string to_string(KernelBackend backend) {
  for (const auto& entry : kBackendNames)
    if (entry.backend == backend) return entry.name;
  throw std::logic_error("a kernel backend without a name");
}

KernelBackend kernel_backend_from_string(const std::string& name) {
  std::string known;
  for (const auto& entry : kBackendNames) {
    if (name == entry.name) return entry.backend;
    known += std::string(known.empty() ? "" : " or ") + "\"" + entry.name + "\"";
  }
  throw std::invalid_argument("unknown kernel backend \"" + name + "\" (expected " + known + ")");
}

}  // namespace star::model
