#include "train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <numeric>
#include <utility>
#include <random>
#include <stdexcept>
#include <string>

#include <torch/version.h>

#include "core/hurdles.hpp"
#include "genome/blocks.hpp"
#include "model/backbone.hpp"
#include "model/model_metrics.hpp"
#include "model/ops/cross_entropy.hpp"
#include "train/device_memory.hpp"
#include "train/fused_adamw.hpp"
#include "train/inference_timing.hpp"
#include "train/loss_curve.hpp"
#include "train/lr_schedule.hpp"
#include "train/micro_batch_estimate.hpp"
#include "train/precision.hpp"
#include "train/step_graph.hpp"
#include "train/step_staging.hpp"
#include "train/step_loss.hpp"

namespace star::train {
namespace {

using Clock = std::chrono::steady_clock;

struct Diverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct TimedOut : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Whether any rank of the group says yes. Every rank of the group must leave the loop at the same
// step, or the next gradient sum would wait forever; each rank's own view (a signal, its clock)
// may differ.
bool any_rank(const TrainJob& job, bool mine) {
  return job.reducer ? job.reducer->sum(mine ? 1.0 : 0.0) > 0 : mine;
}

// Whether an error is the device (or host) running out of memory: torch says so in its message.
bool is_out_of_memory(const std::exception& e) { return std::string(e.what()).find("out of memory") != std::string::npos; }

// Whether the group stops before this step: any rank asked.
bool stop_requested(const TrainJob& job) { return job.should_stop && any_rank(job, job.should_stop()); }

// Whether the group's training has run past [train] max_seconds before this step, on any rank's clock.
bool past_time_limit(const TrainJob& job, Clock::time_point start) {
  const double limit = job.settings.max_seconds;
  return limit > 0 && any_rank(job, std::chrono::duration<double>(Clock::now() - start).count() > limit);
}

// The batch a step reads, at fixed addresses so that a captured step reads each new batch: this
// rank's rows and the group's count of scored targets (the step's loss is their mean).
struct StepBatch {
  torch::Tensor inputs, targets, count;
};

// Scales the gradients so their global L2 norm is at most `max_norm`, as
// torch::nn::utils::clip_grad_norm_ does, but without reading the norm back to the host: the
// scale stays a device tensor (min(1, max_norm / (norm + 1e-6))). The per-tensor norms and the
// scaling are multi-tensor launches (a handful of kernels, not two per parameter).
void clip_gradients(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  for (const auto& p : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return;
  auto norms = at::_foreach_norm(grads, 2);
  for (auto& n : norms) n = n.to(torch::kFloat32);
  const auto total = torch::stack(norms).norm(2);
  const auto scale = (max_norm / (total + 1e-6)).clamp_max(1.0);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  if (std::all_of(grads.begin(), grads.end(), [](const torch::Tensor& g) { return g.scalar_type() == torch::kFloat32; })) {
    at::_foreach_mul_(grads, scale);  // the Tensor overload (LibTorch 2.1 and newer)
    return;
  }
#endif
  for (auto& g : grads) g.mul_(scale.to(g.scalar_type()));
}

}  // namespace

void evaluate_on(model::Backbone& net, const TokenDataset& test, const torch::Device& device, EvalResult& result,
                 bool bf16, model::KernelBackend kernels) {
  torch::NoGradGuard no_grad;
  net->eval();
  double loss_sum = 0, correct = 0, count = 0;
  const int64_t n = test.inputs.size(0), chunk = std::max<int64_t>(1, kEvalTokens / std::max<int64_t>(1, test.inputs.size(1)));
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t len = std::min(chunk, n - start);
    auto inputs = test.inputs.narrow(0, start, len).to(device);
    auto targets = test.targets.narrow(0, start, len).to(device);
    torch::Tensor logits;
    {
      AutocastScope autocast(device, bf16);
      logits = net->forward(inputs);
    }
    auto flat_logits = logits.reshape({-1, logits.size(-1)});
    auto flat_targets = targets.reshape({-1});
    auto scored = flat_targets != kIgnoreTarget;
    loss_sum += model::summed_cross_entropy(flat_logits, flat_targets, kIgnoreTarget, kernels).item<double>();
    auto predicted = flat_logits.argmax(-1);
    correct += ((predicted == flat_targets) & scored).sum().item<double>();
    count += scored.sum().item<double>();
  }
  result.loss = count > 0 ? loss_sum / count : 0.0;
  result.accuracy = count > 0 ? correct / count : 0.0;
}

namespace {

// Steps run eagerly before a capture: the first makes the optimizer state and whatever the
// kernels make on first use (instances, plans, work buffers), the second runs with all of it.
constexpr int64_t kEagerSteps = 2;

// This rank's share of every batch: rows [lo, hi) of the group's batch_size.
std::pair<int64_t, int64_t> rank_rows(const TrainJob& job) {
  const int64_t b = job.settings.batch_size;
  const int r = job.reducer ? job.reducer->rank() : 0, n = job.reducer ? job.reducer->size() : 1;
  return {b * r / n, b * (r + 1) / n};
}

// Where the training's hurdles fall, and whether it falls at one. Each hurdle is held before the
// step it falls on, once the steps before it have settled.
class Hurdles {
 public:
  Hurdles(const TrainJob& job, int64_t steps) : job_(job), window_(hurdle_window(steps)) {
    for (const auto& h : job.settings.hurdles) {
      const int64_t step = hurdle_step(h.fraction, steps);
      // A suite's hurdle at a task's end (fraction 1) is held before its last step: the genome
      // stopped there trained that share of the task.
      points_.push_back({step, h.fraction < 1 ? h.fraction : static_cast<double>(step) / static_cast<double>(steps)});
    }
  }
  void add(double step_loss) {
    losses_.push_back(step_loss);
    if (losses_.size() > static_cast<size_t>(window_)) losses_.pop_front();
  }
  bool falls_before(int64_t step) const {
    return std::any_of(points_.begin(), points_.end(), [&](const Point& p) { return p.step != 0 && p.step == step; });
  }
  // Held before `step`: records the loss at each hurdle that falls there and returns the fraction
  // of the first one the genome is behind at, or 0 when none. A training resumed past a hurdle
  // skips it.
  double hold(int64_t step, EvalResult& result) {
    for (size_t i = 0; i < points_.size(); ++i) {
      const auto& p = points_[i];
      if (p.step == 0 || p.step != step || losses_.empty()) continue;
      const double loss = std::accumulate(losses_.begin(), losses_.end(), 0.0) / static_cast<double>(losses_.size());
      result.hurdle_losses.push_back(loss);
      if (job_.behind_hurdle && job_.behind_hurdle(i, loss, result)) return p.fraction;
    }
    return 0;
  }

 private:
  struct Point {
    int64_t step;
    double fraction;
  };
  const TrainJob& job_;
  int64_t window_;
  std::vector<Point> points_;
  std::deque<double> losses_;  // the last window_ settled steps' losses
};

// Trains the model; returns the fraction of the budget at which a hurdle stopped it, or 1.
double train(model::Backbone& net, const TrainJob& job, int64_t micro, EvalResult& result) {
  const auto& s = job.settings;
  const auto& train = job.data->train;
  const int64_t T = train.inputs.size(1), N = train.inputs.size(0);
  const int64_t steps = std::max<int64_t>(1, s.token_budget / (s.batch_size * T));
  const auto rows_of_rank = rank_rows(job);  // named: lambdas below capture them
  const int64_t lo = rows_of_rank.first, hi = rows_of_rank.second;
  const bool bf16 = uses_bf16(s.precision, job.device);
  LossCurve curve(steps);
  Hurdles hurdles(job, steps);
  // The curve so far is kept however training ends: a diverged genome's curve shows how.
  struct KeepCurve {
    const LossCurve& curve;
    EvalResult& result;
    ~KeepCurve() { result.loss_curve = curve.points(); }
  } keep{curve, result};

  auto params = model::unique_parameters(*net);
  torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(s.learning_rate)
                                            .betas({s.beta1, s.beta2})
                                            .weight_decay(s.weight_decay));
  std::mt19937_64 batch_rng(job.seed ^ 0x9e3779b97f4a7c15ULL);  // same on every rank of the group
  std::uniform_int_distribution<int64_t> pick(0, N - 1);
  std::vector<int64_t> rows(s.batch_size);
  if (job.restore) job.restore(*net, optimizer);
  auto adamw = FusedAdamW::for_optimizer(optimizer);
  // The batches of the steps already done are drawn and dropped, so a resumed training sees
  // the same batches as one never stopped.
  for (int64_t step = 0; step < std::min(job.start_step, steps); ++step)
    for (auto& r : rows) r = pick(batch_rng);

  // Whether the step is captured as a CUDA graph, and if not why; a graph is captured on a
  // stream of its own after kEagerSteps eager steps on it (see step_graph.hpp).
  std::string no_graph = s.cuda_graphs == "off" ? "[train] cuda_graphs = \"off\"" : StepGraph::unavailable();
  if (no_graph.empty() && !job.device.is_cuda()) no_graph = "training on the CPU";
  if (no_graph.empty() && job.reducer && !job.reducer->sums_in_graph())
    no_graph = "a group of several ranks sums gradients over MPI, outside a graph";
  if (no_graph.empty() && !adamw) no_graph = "the fused AdamW step is not available";
  if (no_graph.empty() && steps - job.start_step <= kEagerSteps) no_graph = "too few steps";
  SideStream side(no_graph.empty() ? job.device : torch::Device(torch::kCPU));
  StepGraph graph;
  if (!no_graph.empty() && job.on_notice) job.on_notice({StepNotice::Mode::eager, "eager steps: " + no_graph});

  const auto on_device = torch::TensorOptions().device(job.device);
  StepBatch batch{torch::empty({hi - lo, T}, on_device.dtype(torch::kInt64)),
                  torch::empty({hi - lo, T}, on_device.dtype(torch::kInt64)),
                  torch::ones({}, on_device.dtype(torch::kFloat32))};
  BatchStaging staging(batch.inputs, batch.targets);
  LossReadback readback(job.device);
  // One step's device work, from the staged batch and learning rate: queued eagerly, or captured
  // once and replayed. Returns the loss summed over this rank's targets. The step's loss is the
  // mean over every scored target of the group's batch; each micro-batch adds its share of that
  // mean's gradient, so micro-batching changes only rounding.
  //
  // In a group, a rank that runs out of memory in its forward and backward passes or its update
  // must not leave the others waiting for it in the gradient sum: with `note_out_of_memory` it
  // notes the error (ran_out), still joins the sum, skips the rest of its step, and the group
  // agrees after the step that the training ran out of memory (see the step loop). A rank alone,
  // and a step being captured (its capture then fails), let the error through.
  std::string ran_out;
  const auto unless_out_of_memory = [&](bool note_out_of_memory, const auto& work) {
    if (!ran_out.empty()) return;  // this rank ran out earlier in the step
    if (!note_out_of_memory) return work();
    try {
      work();
    } catch (const std::exception& e) {
      if (!is_out_of_memory(e)) throw;
      const std::string what = e.what();
      ran_out = what.substr(0, what.find('\n'));
    }
  };
  const auto queue_step = [&](bool note_out_of_memory) {
    optimizer.zero_grad();
    torch::Tensor loss_total;
    unless_out_of_memory(note_out_of_memory, [&] {
      // What backward brings to each micro-batch's sum: d(sum / count) / d(sum), computed as the
      // division's backward computes it, so the loss kernels' gradient needs no rescale.
      const auto share = torch::ones_like(batch.count) / batch.count;
      for (int64_t row = 0; row < hi - lo; row += micro) {
        const int64_t len = std::min(micro, hi - lo - row);
        if (job.before_micro_batch) job.before_micro_batch(len);
        auto loss_sum = summed_loss(net, batch.inputs.narrow(0, row, len), batch.targets.narrow(0, row, len), bf16,
                                    job.model.kernels, share);
        (loss_sum / batch.count).backward();
        loss_total = loss_total.defined() ? loss_total + loss_sum.detach() : loss_sum.detach();
      }
    });
    if (job.reducer) {  // every rank of the group joins the sum, whatever happened before
      std::vector<torch::Tensor> grads;
      for (auto& p : params)
        grads.push_back(p.grad().defined() ? p.grad() : (p.mutable_grad() = torch::zeros_like(p)));
      job.reducer->sum(grads);
    }
    unless_out_of_memory(note_out_of_memory, [&] {
      if (s.grad_clip > 0) clip_gradients(params, s.grad_clip);
      if (adamw) adamw->queue_update();
      else optimizer.step();
    });
    return loss_total;
  };
  torch::Tensor graph_loss;  // the captured step's loss, overwritten by every replay

  const auto start = Clock::now();
  // A step's loss is read back (the host waits for that step, see step_staging.hpp) only once
  // the next step is queued, so the GPU never idles while the host draws and copies a batch and
  // queues the forward pass; a divergence then stops training one step later than it happened.
  struct PendingLoss {
    int64_t step = -1;  // -1: none; else its loss, summed over this rank's targets, is in `readback`
    double count = 1;   // scored targets of the whole group
  } pending;
  auto settle = [&] {
    if (pending.step < 0) return;
    const int64_t step = pending.step;
    pending.step = -1;
    double step_loss = readback.read();
    if (job.reducer) step_loss = job.reducer->sum(step_loss);
    step_loss /= std::max(1.0, pending.count);
    if (!std::isfinite(step_loss) || step_loss > s.divergence_loss)
      throw Diverged("training loss " + std::to_string(step_loss) + " at step " + std::to_string(step));
    result.tokens += s.batch_size * T;  // trained tokens: the steps that did not diverge
    curve.add(step, step_loss);
    hurdles.add(step_loss);
    if (job.on_progress && (step % job.progress_every == 0 || step + 1 == steps)) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      job.on_progress({step + 1, steps, step_loss, secs > 0 ? result.tokens / secs : 0.0});
    }
  };
  net->train();
  int64_t last_saved = job.start_step;
  for (int64_t step = job.start_step; step < steps; ++step) {
    if (job.before_step) job.before_step(step);
    if (stop_requested(job)) {
      settle();
      // A training that saves keeps what it did since its last save: a stop loses no step.
      if (job.on_save && step > last_saved) job.on_save(*net, optimizer, step);
      throw Interrupted("stopped by a signal before step " + std::to_string(step));
    }
    if (past_time_limit(job, start)) {
      settle();
      char what[160];
      std::snprintf(what, sizeof what, "training passed [train] max_seconds = %g s before step %lld of %lld",
                    s.max_seconds, static_cast<long long>(step), static_cast<long long>(steps));
      throw TimedOut(what);
    }
    if (hurdles.falls_before(step)) {
      settle();  // the steps before the hurdle: the host waits for the GPU here, once per hurdle
      if (const double fraction = hurdles.hold(step, result); fraction > 0) return fraction;
    }
    for (auto& r : rows) r = pick(batch_rng);
    // Counted on the host and copied from pinned memory without waiting: nothing in a step waits
    // for the GPU but the read of the previous step's loss (see PendingLoss).
    double global_count = static_cast<double>(staging.stage(train, rows.data() + lo, hi - lo));
    if (job.reducer) global_count = job.reducer->sum(global_count);
    batch.count.fill_(std::max(1.0, global_count));

    const double lr = scheduled_learning_rate(step, steps, s.learning_rate, s.warmup_fraction, s.min_lr_ratio);
    if (adamw) adamw->set_learning_rate(lr);
    else
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

    if (no_graph.empty() && !graph.captured() && step - job.start_step == kEagerSteps) {
      optimizer.zero_grad();  // the eager step's gradients are freed here, not inside the capture
      torch::Tensor captured_loss;
      no_graph = graph.capture([&] { captured_loss = queue_step(/*note_out_of_memory=*/false); });
      if (no_graph.empty()) graph_loss = captured_loss;
      if (job.on_notice)
        job.on_notice(no_graph.empty()
                          ? StepNotice{StepNotice::Mode::graph, "the training step is captured as one CUDA graph after " +
                                                                    std::to_string(kEagerSteps) + " eager steps"}
                          : StepNotice{StepNotice::Mode::capture_failed,
                                       "eager steps: the training step could not be captured as a CUDA graph: " +
                                           no_graph});
    }
    torch::Tensor loss_total;
    if (graph.captured()) {
      graph.replay();
      loss_total = graph_loss;  // the next replay overwrites it, after the readback's copy
    } else {
      loss_total = queue_step(/*note_out_of_memory=*/job.reducer != nullptr);
    }
    if (job.reducer && any_rank(job, !ran_out.empty()))
      throw std::runtime_error(!ran_out.empty() ? ran_out
                                                : "out of memory on another rank of the group at step " +
                                                      std::to_string(step));
    if (adamw) adamw->count_step();
    settle();  // the previous step's loss, now that this step is queued
    readback.queue(loss_total);
    pending = {step, global_count};
    // Nothing diverged is saved: the step's own loss is read first.
    if (job.on_save && ((job.save_every > 0 && (step + 1) % job.save_every == 0) || step + 1 == steps)) {
      settle();
      job.on_save(*net, optimizer, step + 1);
      last_saved = step + 1;
    }
  }
  settle();
  return 1.0;
}

}  // namespace

namespace {

// A measurement of the inference that failed: the evaluation fails, and is not retried.
struct InferenceUnmeasured : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void measure_inference_of(model::Backbone& net, const TrainJob& job, EvalResult& result) {
  try {
    const auto cost = measure_inference(net, inference_conditions(job.metrics), job.model.vocab_size, job.device,
                                        uses_bf16(job.settings.precision, job.device));
    result.prefill_ms = cost.prefill_ms;
    result.decode_ms = cost.decode_ms;
    result.inference_memory_bytes = cost.peak_bytes;
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw InferenceUnmeasured("measuring inference: " + what.substr(0, what.find('\n')));
  }
}

// The routing gates of the held-out evaluation just done, and the held-out loss again with the
// tokens whose gate is below the threshold skipping their block.
void record_routing(model::Backbone& net, const TrainJob& job, EvalResult& result) {
  const auto stats = net->routing_stats();
  const auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  result.gate_mean = share(stats.gate_sum, static_cast<double>(stats.gates));
  result.gate_skip_share = share(static_cast<double>(stats.below), static_cast<double>(stats.gates));
  result.skip_compute_saved = share(stats.skipped_macs, stats.model_macs);
  net->collect_routing(false);
  net->skip_low_gates(true);
  EvalResult skipped;
  evaluate_on(net, job.data->test, job.device, skipped, uses_bf16(job.settings.precision, job.device), job.model.kernels);
  result.skip_loss_change = skipped.loss - result.loss;
  net->skip_low_gates(false);
}

// One training of the job as it is, start to end, at `micro` sequences per forward pass; or, with
// `estimate`, at what its probe of the model finds fits the device (at most `micro`).
EvalResult train_once(const TrainJob& job, int64_t micro, MicroBatchEstimate* estimate) {
  EvalResult result;
  result.micro_batch_size = micro;
  const auto start = Clock::now();
  try {
    torch::manual_seed(job.seed);
    reset_peak_memory(job.device);
    model::Backbone net(*job.genome, job.model);
    net->to(job.device);
    const int64_t cache_len = job.metrics.cache_seq_len > 0 ? job.metrics.cache_seq_len : job.data->train.inputs.size(1);
    const auto summary = model::summarize(net, cache_len, job.metrics.cache_bytes_per_value);
    result.parameters = summary.parameters;
    result.cache_bytes = summary.cache_bytes;
    if (job.measure_inference) {
      measure_inference_of(net, job, result);
      reset_peak_memory(job.device);  // the training's peak, apart from the measurement's
    }
    if (estimate) {
      *estimate = estimate_first_micro_batch(net, job, micro);
      micro = estimate->micro_batch;
      reset_peak_memory(job.device);  // the training's peak, apart from the probe's
    }
    result.micro_batch_size = micro;
    result.fidelity = train(net, job, micro, result);
    const bool routed = genome::has_routing(*job.genome);
    net->collect_routing(routed);
    evaluate_on(net, job.data->test, job.device, result, uses_bf16(job.settings.precision, job.device),
                job.model.kernels);
    if (routed) record_routing(net, job, result);
    if (!std::isfinite(result.loss)) {
      result.status = EvalStatus::diverged;
    } else if (result.fidelity < 1) {
      result.status = EvalStatus::stopped;
      char why[160];
      std::snprintf(why, sizeof why, "stopped at the hurdle at %g of the budget (training loss %.4f there)",
                    result.fidelity, result.hurdle_losses.empty() ? 0.0 : result.hurdle_losses.back());
      result.message = why;
    } else {
      result.status = EvalStatus::ok;
    }
  } catch (const Interrupted& e) {
    result.status = EvalStatus::interrupted;
    result.message = e.what();
  } catch (const Diverged& e) {
    result.status = EvalStatus::diverged;
    result.message = e.what();
  } catch (const TimedOut& e) {
    result.status = EvalStatus::timeout;
    result.message = e.what();
  } catch (const InferenceUnmeasured& e) {
    result.status = EvalStatus::failed;
    result.message = e.what();
  } catch (const std::exception& e) {
    const std::string what = e.what();
    result.status = is_out_of_memory(e) ? EvalStatus::oom : EvalStatus::failed;
    result.message = what.substr(0, what.find('\n'));
  }
  result.peak_memory_bytes = peak_memory_bytes(job.device);
  release_cached_memory(job.device);  // the model, its graph and their pool are gone by now
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.tokens_per_second = result.seconds > 0 ? result.tokens / result.seconds : 0.0;
  return result;
}

}  // namespace

EvalResult train_and_evaluate(const TrainJob& job) {
  const auto rows_of_rank = rank_rows(job);
  const int64_t share = std::max<int64_t>(1, rows_of_rank.second - rows_of_rank.first);
  int64_t micro = job.settings.micro_batch_size > 0 ? std::min(job.settings.micro_batch_size, share) : share;
  MicroBatchEstimate estimate;  // the first attempt's, on a GPU: what fits
  std::string halved;           // the micro-batches that ran out of memory, for the message
  for (bool first = true;; first = false) {
    auto result = train_once(job, micro, first ? &estimate : nullptr);
    micro = result.micro_batch_size;
    // The ranks of a group start again together or not at all. A step that ran out of memory on
    // one rank ended every rank's training (see train); the evaluation may run out on one alone.
    const bool out_of_memory = any_rank(job, result.status == EvalStatus::oom);
    if (out_of_memory && result.status != EvalStatus::oom) {
      result.status = EvalStatus::oom;
      result.message = "out of memory on another rank of the group";
    }
    if (!out_of_memory || !any_rank(job, micro > 1)) {
      std::string how = estimate.note;  // how the micro-batch came to be what it is
      if (!halved.empty())
        how += (how.empty() ? "" : "; ") + std::string("out of memory at micro-batch ") + halved + "; trained at " +
               std::to_string(micro);
      if (!how.empty()) result.message = how + (result.message.empty() ? "" : ": " + result.message);
      return result;
    }
    halved += (halved.empty() ? "" : ", ") + std::to_string(micro);
    micro = (micro + 1) / 2;
  }
}

}  // namespace star::train
