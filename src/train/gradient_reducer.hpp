#pragma once
// Data parallelism inside a rank group, seen from the trainer: each rank trains on its own
// share of every batch, scales its loss by the whole batch's target count, and the gradients
// are summed over the group before the optimizer step. The MPI and
// NCCL implementations live in cluster/.
#include <vector>

#include <torch/torch.h>

namespace star::train {

class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  virtual int rank() const = 0;  // within the group
  virtual int size() const = 0;
  // Replaces every gradient with its sum over the group's ranks.
  virtual void sum(std::vector<torch::Tensor>& gradients) = 0;
  // Sum of `value` over the group's ranks (for losses and counts).
  virtual double sum(double value) = 0;
  // Whether sum(gradients) may be captured in a CUDA graph with the rest of the step: it only
  // queues device work on torch's current stream, never waits on the host. Every rank of a group
  // captures at the same step and each replay sums once, as each eager step does.
  virtual bool sums_in_graph() const { return false; }
};

}  // namespace star::train
