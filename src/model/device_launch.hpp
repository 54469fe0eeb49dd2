#pragma once
// Where a kernel should run for a given tensor: on its CUDA device and torch's current stream,
// or on the host.
#include <torch/torch.h>

#include "kernels/launch.hpp"

namespace star::model {

kernels::Launch launch_for(const torch::Tensor& t);

}  // namespace star::model
