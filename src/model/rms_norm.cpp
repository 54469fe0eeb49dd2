#include "model/rms_norm.hpp"

namespace star::model {

RMSNormImpl::RMSNormImpl(int64_t width, double eps) : eps_(eps) {
  gain_ = register_parameter("gain", torch::ones({width}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) { return rms_norm_reference(x, gain_, eps_); }

AddedAndNormed RMSNormImpl::add_and_forward(const torch::Tensor& h, const torch::Tensor& delta,
                                            KernelBackend backend) {
  return add_rms_norm(h, delta, gain_, eps_, backend);
}

}  // namespace star::model
