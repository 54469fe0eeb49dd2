#include "model/ops/device_launch.hpp"

#include "kernels/sum_rows.hpp"

#if defined(STAR_WITH_CUDA)
#include <c10/cuda/CUDAStream.h>
#endif

namespace star::model {

kernels::Launch launch_for(const torch::Tensor& t) {
  kernels::Launch launch;
  if (t.is_cuda()) {
#if defined(STAR_WITH_CUDA)
    launch.on_gpu = true;
    launch.stream = c10::cuda::getCurrentCUDAStream(t.device().index()).stream();
#else
    TORCH_CHECK(false, "a CUDA tensor reached a kernel in a build without CUDA");
#endif
  }
  return launch;
}

torch::Tensor sum_partial_rows(const torch::Tensor& partial) {
  auto sum = torch::empty(partial.sizes().slice(1), partial.options());
  kernels::sum_rows(launch_for(partial), partial.size(0), sum.numel(), partial.data_ptr<float>(), sum.data_ptr<float>());
  return sum;
}

}  // namespace star::model
