#include "core/model_config.hpp"

#include <stdexcept>

namespace star::model {

std::string to_string(KernelBackend backend) {
  return backend == KernelBackend::kokkos ? "kokkos" : "torch";
}

KernelBackend kernel_backend_from_string(const std::string& name) {
  if (name == "kokkos") return KernelBackend::kokkos;
  if (name == "torch") return KernelBackend::torch;
  throw std::invalid_argument("unknown kernel backend \"" + name + "\" (expected \"kokkos\" or \"torch\")");
}

}  // namespace star::model
