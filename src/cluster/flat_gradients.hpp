#pragma once
// A group's gradients as one flat fp32 buffer, so they are summed in one call per step instead of
// one per parameter. Gradients of any shape, layout and floating dtype go in and come back; bf16
// gradients are summed in fp32 and rounded once on the way back.
#include <vector>

#include <torch/torch.h>

namespace star::cluster {

class FlatGradients {
 public:
  // device: where the buffer lives (the CPU for MPI, the rank's GPU for NCCL).
  explicit FlatGradients(torch::Device device) : device_(device) {}

  // Copies the gradients, in order, into the buffer and returns it: [sum of their numel] fp32.
  // The buffer is kept from call to call and reallocated only when that total changes (a new
  // model): on a GPU every copy is queued on torch's current stream and nothing waits for it.
  torch::Tensor& pack(const std::vector<torch::Tensor>& gradients);
  // Copies the buffer back into the gradients, each in its own dtype.
  void unpack(std::vector<torch::Tensor>& gradients) const;
  // Forgets the buffer; the next pack allocates a new one.
  void release() { buffer_ = torch::Tensor(); }

 private:
  torch::Device device_;
  torch::Tensor buffer_;
};

}  // namespace star::cluster
