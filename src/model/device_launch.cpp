#include "model/device_launch.hpp"

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

}  // namespace star::model
