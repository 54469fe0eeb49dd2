#include "train/micro_batch_estimate.hpp"

#include <algorithm>
#include <cstdio>

#include "model/backbone.hpp"
#include "model/model_metrics.hpp"
#include "train/device_memory.hpp"
#include "train/precision.hpp"
#include "train/step_loss.hpp"

namespace star::train {

MemoryLine memory_line(int64_t a, int64_t peak_a, int64_t b, int64_t peak_b) {
  MemoryLine line;
  line.per_sequence = std::max(0.0, static_cast<double>(peak_b - peak_a) / static_cast<double>(b - a));
  line.fixed = static_cast<double>(peak_a) - line.per_sequence * static_cast<double>(a);
  return line;
}

int64_t fitting_micro_batch(int64_t start, const MemoryLine& line, double available) {
  int64_t micro = std::max<int64_t>(1, start);
  while (micro > 1 && line.at(micro) > available) micro = (micro + 1) / 2;
  return micro;
}

namespace {

int64_t bytes_of(const torch::Tensor& t) { return t.numel() * t.element_size(); }

// Bytes the model holds on its device: weights, gradients and buffers, shared tensors once.
int64_t model_bytes(model::Backbone& net) {
  int64_t bytes = 0;
  for (const auto& p : model::unique_parameters(*net)) bytes += bytes_of(p) + (p.grad().defined() ? bytes_of(p.grad()) : 0);
  for (const auto& b : net->buffers()) bytes += bytes_of(b);
  return bytes;
}

// The model as the training takes it: without gradients.
void drop_gradients(model::Backbone& net) {
  for (auto& p : net->parameters()) p.mutable_grad() = torch::Tensor();
}

// Peak bytes of one forward and backward pass over the first `rows` training sequences, less
// `others` (what the process held besides the model before the pass).
int64_t probe_peak(model::Backbone& net, const TrainJob& job, int64_t rows, int64_t others) {
  drop_gradients(net);
  synchronize(job.device);
  reset_peak_memory(job.device);
  const auto& train = job.data->train;
  const auto loss = summed_loss(net, train.inputs.narrow(0, 0, rows).to(job.device),
                                train.targets.narrow(0, 0, rows).to(job.device),
                                uses_bf16(job.settings.precision, job.device), job.model.kernels,
                                torch::ones({}, torch::TensorOptions().device(job.device)));
  loss.backward();
  synchronize(job.device);
  return peak_memory_bytes(job.device) - others;
}

}  // namespace

MicroBatchEstimate estimate_first_micro_batch(model::Backbone& net, const TrainJob& job, int64_t start) {
  MicroBatchEstimate estimate;
  estimate.micro_batch = start;
  if (!job.device.is_cuda() || start <= 1 || job.data->train.inputs.size(0) < 2) return estimate;
  MemoryLine& line = estimate.line;
  double available = 0;
  try {
    const int64_t others = allocated_memory_bytes(job.device) - model_bytes(net);
    net->train();
    line = memory_line(1, probe_peak(net, job, 1, others), 2, probe_peak(net, job, 2, others));
    // AdamW's two moments, fp32 like the weights; a group also packs its gradients into one buffer.
    int64_t weight_bytes = 0;
    for (const auto& p : model::unique_parameters(*net)) weight_bytes += bytes_of(p);
    line.fixed += (job.reducer ? 3 : 2) * static_cast<double>(weight_bytes);
    // What the training may hold: the device's free memory, the allocator's unused blocks (the
    // probe's activations among them) and what the model holds now (in the line already).
    available = static_cast<double>(available_memory_bytes(job.device) + model_bytes(net));
  } catch (const std::exception&) {
    drop_gradients(net);
    return estimate;
  }
  drop_gradients(net);
  estimate.probed = true;
  estimate.micro_batch = fitting_micro_batch(start, line, available * (1 - kMemoryHeadroom));
  if (estimate.micro_batch < start) {
    char note[200];
    std::snprintf(note, sizeof note, "started at micro-batch %lld: %lld would need about %.2f GiB of the %.2f GiB free",
                  static_cast<long long>(estimate.micro_batch), static_cast<long long>(start), line.at(start) / (1 << 30),
                  available / (1 << 30));
    estimate.note = note;
  }
  return estimate;
}

MicroBatchEstimate estimate_first_micro_batch(const TrainJob& job, int64_t start) {
  MicroBatchEstimate estimate;
  estimate.micro_batch = start;
  if (!job.device.is_cuda()) return estimate;
  try {
    model::Backbone net(*job.genome, job.model);
    net->to(job.device);
    estimate = estimate_first_micro_batch(net, job, start);
  } catch (const std::exception&) {
  }
  release_cached_memory(job.device);  // the probe's model is gone: its memory goes back
  return estimate;
}

}  // namespace star::train
