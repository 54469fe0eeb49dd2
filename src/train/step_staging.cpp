#include "train/step_staging.hpp"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#if defined(STAR_WITH_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace star::train {
namespace {

// Marks a point of the current stream on a GPU device (nothing on the CPU, where every copy is
// done when it returns) and waits for it.
class StreamMark {
 public:
  explicit StreamMark(const torch::Device& device) : device_(device) {}
  void record() {
#if defined(STAR_WITH_CUDA)
    if (device_.is_cuda()) event_.record(c10::cuda::getCurrentCUDAStream(device_.index()));
#endif
  }
  void wait() {
#if defined(STAR_WITH_CUDA)
    if (device_.is_cuda()) event_.synchronize();  // returns at once where nothing was recorded
#endif
  }

 private:
  torch::Device device_;
#if defined(STAR_WITH_CUDA)
  at::cuda::CUDAEvent event_;
#endif
};

// Host memory a device copies from or to without the host waiting: pinned for a GPU.
torch::Tensor host_buffer(const torch::Tensor& like) {
  return torch::empty(like.sizes(), torch::TensorOptions().dtype(like.scalar_type()).pinned_memory(like.is_cuda()));
}

// Rows are copied as they lie in memory (a dataset is made contiguous, make_dataset).
void check_tokens(const torch::Tensor& t, const char* what) {
  if (t.device().is_cuda() || t.scalar_type() != torch::kInt64 || t.dim() != 2 || !t.is_contiguous())
    throw std::invalid_argument(std::string("batch staging: the data's ") + what +
                                " must be a contiguous [N, T] int64 tensor on the host");
}

}  // namespace

struct BatchStaging::State {
  struct Slot {
    torch::Tensor inputs, targets;  // on the host
    StreamMark copied;              // after the slot's last copy to the device
  };
  torch::Tensor inputs, targets;  // on the device
  std::array<Slot, 2> slots;
  size_t next = 0;
};

BatchStaging::BatchStaging(torch::Tensor inputs, torch::Tensor targets)
    : state_(new State{inputs, targets,
                       {State::Slot{host_buffer(inputs), host_buffer(targets), StreamMark(inputs.device())},
                        State::Slot{host_buffer(inputs), host_buffer(targets), StreamMark(inputs.device())}}}) {}

BatchStaging::~BatchStaging() = default;

int64_t BatchStaging::stage(const TokenDataset& data, const int64_t* rows, int64_t count) {
  auto& slot = state_->slots[state_->next];
  state_->next = (state_->next + 1) % state_->slots.size();
  const auto &inputs = data.inputs, &targets = data.targets;
  check_tokens(inputs, "inputs");
  check_tokens(targets, "targets");
  const int64_t T = slot.inputs.size(1), N = inputs.size(0);
  if (count != slot.inputs.size(0) || inputs.size(1) != T || targets.sizes() != inputs.sizes())
    throw std::invalid_argument("batch staging: the rows or their length do not match the step's buffers");
  slot.copied.wait();  // the slot's copy of two steps ago has run
  const int64_t *in = inputs.data_ptr<int64_t>(), *tg = targets.data_ptr<int64_t>();
  int64_t *slot_in = slot.inputs.data_ptr<int64_t>(), *slot_tg = slot.targets.data_ptr<int64_t>();
  int64_t scored = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (rows[i] < 0 || rows[i] >= N)
      throw std::out_of_range("batch staging: row " + std::to_string(rows[i]) + " of " + std::to_string(N));
    std::memcpy(slot_in + i * T, in + rows[i] * T, sizeof(int64_t) * T);
    std::memcpy(slot_tg + i * T, tg + rows[i] * T, sizeof(int64_t) * T);
    for (int64_t t = 0; t < T; ++t) scored += slot_tg[i * T + t] != kIgnoreTarget;
  }
  state_->inputs.copy_(slot.inputs, /*non_blocking=*/true);
  state_->targets.copy_(slot.targets, /*non_blocking=*/true);
  slot.copied.record();
  return scored;
}

struct LossReadback::State {
  torch::Tensor host;  // made at the first copy, with the loss's type
  StreamMark copied;
};

LossReadback::LossReadback(const torch::Device& device) : state_(new State{{}, StreamMark(device)}) {}

LossReadback::~LossReadback() = default;

void LossReadback::queue(const torch::Tensor& loss) {
  auto& s = *state_;
  s.copied.wait();  // the previous copy has landed before this one overwrites its buffer
  if (!s.host.defined() || s.host.scalar_type() != loss.scalar_type()) s.host = host_buffer(loss);
  s.host.copy_(loss.detach(), /*non_blocking=*/true);
  s.copied.record();
}

double LossReadback::read() {
  if (!state_->host.defined()) throw std::logic_error("loss readback: nothing was queued");
  state_->copied.wait();
  return state_->host.item<double>();
}

}  // namespace star::train
