#pragma once
// The host's part of each training step, kept off the GPU's path: the batch goes to the device
// and the step's loss comes back without the host waiting for more than it reads.
//
// A plain `.item()` on a step's loss is a copy queued after everything on the stream: read once
// step n + 1 is queued, it waited for step n + 1 too, and the GPU then idled while the host drew,
// gathered and copied the next batch (about 20 ms of a 175 ms step of a 124M model on an H100,
// most of it torch's CPU ops and pinned allocations on small tensors). Here the batch is gathered
// row by row into pinned buffers the staging owns (two, used in turn, each reused only once its
// last copy has run) and the loss comes back through pinned memory and an event that marks the
// end of its own step. On the CPU the same calls copy and read directly.
#include <cstdint>
#include <memory>

#include <torch/types.h>

#include "train/task_dataset.hpp"

namespace star::train {

class BatchStaging {
 public:
  // `inputs` and `targets`: the device buffers a step reads ([rows, T] int64, at fixed addresses,
  // so that a captured step reads each new batch).
  BatchStaging(torch::Tensor inputs, torch::Tensor targets);
  ~BatchStaging();
  BatchStaging(const BatchStaging&) = delete;
  BatchStaging& operator=(const BatchStaging&) = delete;

  // Queues the copy of rows `rows[0 .. count)` of `data` (count = the buffers' rows) into the
  // buffers on the current stream; returns how many of their targets are scored (not
  // kIgnoreTarget), counted on the host.
  int64_t stage(const TokenDataset& data, const int64_t* rows, int64_t count);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class LossReadback {
 public:
  explicit LossReadback(const torch::Device& device);
  ~LossReadback();
  LossReadback(const LossReadback&) = delete;
  LossReadback& operator=(const LossReadback&) = delete;

  // Queues a copy of the scalar `loss` to the host on the current stream, after the work that
  // computes it; `loss` may be overwritten by work queued afterwards.
  void queue(const torch::Tensor& loss);
  // Waits for the last queued copy (not for what was queued after it) and returns its value.
  double read();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace star::train
