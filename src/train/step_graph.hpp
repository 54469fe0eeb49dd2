#pragma once
// One training step captured as a CUDA graph and replayed: at the sizes a search trains its
// candidates a step lasts a few milliseconds, and queuing its hundreds of kernels one by one from
// the host takes as long as running them. A replay queues them all at once.
//
// What the captured step reads must sit at fixed addresses (the batch in static buffers, the
// learning rate and step count in device tensors) and it must neither wait for the GPU nor
// allocate outside the graph's memory pool; the trainer runs its first steps eagerly, on the same
// stream, so that every lazily made thing (optimizer state, kernel instances, plans) exists
// before the capture.
#include <functional>
#include <memory>
#include <string>

#include <torch/torch.h>

namespace star::train {

// While alive, torch's current stream on `device` is one of its own (a capture needs a stream
// that is not the default one), ordered after the work queued before it; on leaving, the work
// queued afterwards on the previous stream waits for it. Does nothing for a CPU device.
class SideStream {
 public:
  explicit SideStream(const torch::Device& device);
  ~SideStream();
  SideStream(const SideStream&) = delete;
  SideStream& operator=(const SideStream&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class StepGraph {
 public:
  StepGraph();
  ~StepGraph();
  StepGraph(const StepGraph&) = delete;
  StepGraph& operator=(const StepGraph&) = delete;

  // Why this build cannot capture (no CUDA in it), or "" where it can.
  static std::string unavailable();

  // Records what `step` queues on the current CUDA stream, which must not be the default
  // stream; nothing runs yet. Gives the allocator's cached memory back first (the capture's pool
  // cannot use it). Returns "" when captured, or why not (the first line of the
  // error): then nothing was queued, the stream is usable again, and the caller runs the step
  // eagerly instead.
  std::string capture(const std::function<void()>& step);
  bool captured() const;
  // Queues the captured step on the current stream.
  void replay();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace star::train
