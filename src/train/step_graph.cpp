#include "train/step_graph.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#if defined(STAR_WITH_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGeneratorImpl.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace star::train {

#if defined(STAR_WITH_CUDA)
namespace {

// The side stream of a device: one for the whole process. cuBLAS keeps a workspace (tens of MiB,
// from the caching allocator, never given back) for each stream it has run on, so a fresh pooled
// stream for every training would hold up to one workspace per pooled stream, and a training that
// retries at a smaller micro-batch would pay a new one per attempt.
c10::cuda::CUDAStream side_stream_of(c10::DeviceIndex index) {
  static std::mutex mutex;
  static std::map<c10::DeviceIndex, c10::cuda::CUDAStream> streams;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = streams.find(index);
  if (it == streams.end()) it = streams.emplace(index, c10::cuda::getStreamFromPool(false, index)).first;
  return it->second;
}

// A capture that failed never reached its epilogue, so the device's default generator still
// counts its random offsets as the capture's, and the next random op outside a graph throws
// ("Offset increment outside graph capture"). It gets a fresh state at the same seed and offset.
void reset_generator_after_failed_capture(c10::DeviceIndex index) {
  at::Generator generator = at::cuda::detail::getDefaultCUDAGenerator(index);  // a handle: the same generator
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto* current = generator.get<at::CUDAGeneratorImpl>();
  auto fresh = at::cuda::detail::createCUDAGenerator(index);
  auto* state = fresh.get<at::CUDAGeneratorImpl>();
  state->set_current_seed(current->current_seed());
  state->set_philox_offset_per_thread(current->philox_offset_per_thread());
  current->graphsafe_set_state(state->graphsafe_get_state());
}

}  // namespace

struct SideStream::State {
  c10::cuda::CUDAStream previous, side;
};

SideStream::SideStream(const torch::Device& device) {
  if (!device.is_cuda()) return;
  const auto index = device.has_index() ? device.index() : c10::cuda::current_device();
  state_.reset(new State{c10::cuda::getCurrentCUDAStream(index), side_stream_of(index)});
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
  // What the allocator caches (the eager steps' activations) sits in its general pool, which the
  // capture's pool cannot draw on, and a capture cannot give cached memory back while it runs:
  // given back now, or the graph would need a second step's worth of free memory.
  c10::cuda::CUDACachingAllocator::emptyCache();
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
      try {
        reset_generator_after_failed_capture(stream.device_index());
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
