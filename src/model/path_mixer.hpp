#pragma once
// The mixer of a multi-path block (genome/blocks.hpp): adds the outputs of the block's paths,
// which all read the same normed input x, with weights that sum to 1 at every token.
//   scalars       w = softmax(s), one learned s per path (k values)
//   token gates   w_t = softmax(W x_t + b), W [k, d] (k d + k values)
// Both start at equal weights (zeros), so a new block starts as the mean of its paths. The
// decode path mixes token by token in the same way.
#include <vector>

#include <torch/torch.h>

#include "genome/blocks.hpp"

namespace star::model {

class PathMixerImpl : public torch::nn::Module {
 public:
  PathMixerImpl(int64_t width, int64_t paths, genome::Mixer kind);
  // outputs: one [B, T, d] per path; x: their input [B, T, d] -> [B, T, d].
  torch::Tensor forward(const std::vector<torch::Tensor>& outputs, const torch::Tensor& x);

 private:
  genome::Mixer kind_;
  torch::Tensor scores_;             // scalars: [k]
  torch::nn::Linear gates_{nullptr};  // token gates: d -> k
};
TORCH_MODULE(PathMixer);

}  // namespace star::model
