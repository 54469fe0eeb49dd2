#include "train/step_graph.hpp"

#include <stdexcept>

#if defined(STAR_WITH_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace star::train {

#if defined(STAR_WITH_CUDA)
struct SideStream::State {
  c10::cuda::CUDAStream previous, side;
};

SideStream::SideStream(const torch::Device& device) {
  if (!device.is_cuda()) return;
  const auto index = device.has_index() ? device.index() : c10::cuda::current_device();
  state_.reset(new State{c10::cuda::getCurrentCUDAStream(index), c10::cuda::getStreamFromPool(false, index)});
  at::cuda::CUDAEvent queued;
  queued.record(state_->previous);
  queued.block(state_->side);
  c10::cuda::setCurrentCUDAStream(state_->side);
}

SideStream::~SideStream() {
  if (!state_) return;
  at::cuda::CUDAEvent done;
  done.record(state_->side);
  done.block(state_->previous);
  c10::cuda::setCurrentCUDAStream(state_->previous);
}

struct StepGraph::State {
  at::cuda::CUDAGraph graph;
  bool captured = false;
};

StepGraph::StepGraph() : state_(std::make_unique<State>()) {}
StepGraph::~StepGraph() = default;

std::string StepGraph::unavailable() { return ""; }

std::string StepGraph::capture(const std::function<void()>& step) {
  const auto stream = c10::cuda::getCurrentCUDAStream();
  bool begun = false;
  try {
    state_->graph.capture_begin();
    begun = true;
    step();
    state_->graph.capture_end();
    state_->captured = true;
    return "";
  } catch (const std::exception& e) {
    // Leave the stream as it was: end the broken capture, drop what it recorded and clear the
    // error, so the eager step that follows runs as if no capture had been tried. (The caching
    // allocator sends to the graph's pool only what a stream allocates while it captures.)
    cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
    if (cudaStreamIsCapturing(stream.stream(), &status) == cudaSuccess && status != cudaStreamCaptureStatusNone) {
      cudaGraph_t broken = nullptr;
      cudaStreamEndCapture(stream.stream(), &broken);
      if (broken) cudaGraphDestroy(broken);
    }
    cudaGetLastError();
    // The graph's memory pool was lent the capture's allocations and is given back only by a
    // capture that ended: return it here, or the pool and all it cached stay reserved for good.
    if (begun) {
      try {
        c10::cuda::CUDACachingAllocator::endAllocateToPool(stream.device_index(), state_->graph.pool());
      } catch (...) {  // capture_end had already done it
      }
      try {
        c10::cuda::CUDACachingAllocator::releasePool(stream.device_index(), state_->graph.pool());
      } catch (...) {
      }
    }
    const std::string what = e.what();
    return what.substr(0, what.find('\n'));
  }
}

bool StepGraph::captured() const { return state_->captured; }

void StepGraph::replay() {
  if (!state_->captured) throw std::logic_error("StepGraph::replay before a capture");
  state_->graph.replay();
}
#else
struct SideStream::State {};
SideStream::SideStream(const torch::Device&) {}
SideStream::~SideStream() = default;

struct StepGraph::State {};

StepGraph::StepGraph() : state_(std::make_unique<State>()) {}
StepGraph::~StepGraph() = default;

std::string StepGraph::unavailable() { return "this build has no CUDA"; }

std::string StepGraph::capture(const std::function<void()>&) { return unavailable(); }

bool StepGraph::captured() const { return false; }

void StepGraph::replay() { throw std::logic_error("StepGraph::replay in a build without CUDA"); }
#endif

}  // namespace star::train
