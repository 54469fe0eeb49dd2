#include "cluster/flat_gradients.hpp"

namespace star::cluster {

torch::Tensor& FlatGradients::pack(const std::vector<torch::Tensor>& gradients) {
  int64_t total = 0;
  for (const auto& g : gradients) total += g.numel();
  if (!buffer_.defined() || buffer_.numel() != total)
    buffer_ = torch::empty({total}, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
  // Each gradient's slice viewed in its shape, so copy_ takes any strides and dtype as they are.
  int64_t offset = 0;
  for (const auto& g : gradients) {
    buffer_.narrow(0, offset, g.numel()).view(g.sizes()).copy_(g);
    offset += g.numel();
  }
  return buffer_;
}

void FlatGradients::unpack(std::vector<torch::Tensor>& gradients) const {
  int64_t offset = 0;
  for (auto& g : gradients) {
    g.copy_(buffer_.narrow(0, offset, g.numel()).view(g.sizes()));
    offset += g.numel();
  }
}

}  // namespace star::cluster
