#pragma once
// Dynamic batch sizing's first guess: on a GPU, the micro-batch a training starts at comes from
// the memory its genome needs, so that most trainings never run out of memory once (and then
// start again at half, trainer.hpp). The need is measured, not modelled per LIV class: two
// forward and backward passes of the training's own model, at one and two sequences, give the
// peak's line in the micro-batch (activations grow with the sequences of a pass; weights,
// gradients and work buffers do not), and the optimizer's state and the group's gradient buffer
// are added to it. The probe costs two eager passes and no model build.
#include <cstdint>
#include <string>

#include "model/backbone.hpp"
#include "train/trainer.hpp"

namespace star::train {

// Peak bytes of a training step at a micro-batch of m sequences: fixed + m * per_sequence.
struct MemoryLine {
  double fixed = 0;
  double per_sequence = 0;
  double at(int64_t micro_batch) const { return fixed + per_sequence * static_cast<double>(micro_batch); }
};

// The line through the peaks measured at micro-batches a < b.
MemoryLine memory_line(int64_t a, int64_t peak_a, int64_t b, int64_t peak_b);

// The largest of start, then each half rounded up (the sizes an out-of-memory retry takes), whose
// line is within `available` bytes; 1 when none is.
int64_t fitting_micro_batch(int64_t start, const MemoryLine& line, double available);

// Bytes kept free of the available memory for what the line does not see: the allocator's
// rounding and fragmentation, and a captured step's graph pool beside the eager steps' blocks.
constexpr double kMemoryHeadroom = 0.15;

struct MicroBatchEstimate {
  int64_t micro_batch = 0;  // where the training starts
  std::string note;         // why it is below `start`; empty when it is not
  bool probed = false;      // whether `line` was measured
  MemoryLine line;          // the predicted peak, optimizer state included
};

// The first micro-batch of `job`'s training of `net` (built for it, on job.device, untrained) on a
// GPU, at most `start` (the rank's share, or the configured micro-batch). On the CPU, at a start
// of 1, or where a probe pass fails (the training will then fail the same way, or run out and
// retry), it is `start`. The model leaves as it came: no gradients, weights untouched.
MicroBatchEstimate estimate_first_micro_batch(model::Backbone& net, const TrainJob& job, int64_t start);

// The same for a model built here from the job (what `star bench train` prints beside the
// training's measured peak).
MicroBatchEstimate estimate_first_micro_batch(const TrainJob& job, int64_t start);

}  // namespace star::train
