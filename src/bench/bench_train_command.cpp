#include "bench/bench_train_command.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "app/cli_checks.hpp"
#include "app/compute_setup.hpp"
#include "bench/kernel_profile.hpp"
#include "bench/repeated_genome.hpp"
#include "genome/genome.hpp"
#include "model/cost_estimate.hpp"
#include "train/micro_batch_estimate.hpp"
#include "train/precision.hpp"
#include "train/trainer.hpp"

namespace star::bench {

using namespace star::app;  // the search's own pieces, timed here
namespace {

using Clock = std::chrono::steady_clock;

// Uniform random tokens with next-token targets: the benchmark measures speed, not learning.
train::TaskData random_tokens(int64_t sequences, int64_t seq, int64_t vocab) {
  torch::manual_seed(0);
  auto tokens = torch::randint(vocab, {sequences, seq + 1}, torch::kInt64);
  train::TokenDataset set{tokens.narrow(1, 0, seq).contiguous(), tokens.narrow(1, 1, seq).contiguous()};
  return {set, {set.inputs.narrow(0, 0, 1), set.targets.narrow(0, 0, 1)}};
}

struct TimedTraining {
  train::EvalResult result;
  double seconds = 0;  // of the timed steps
  std::string how;     // how the steps were queued (the trainer's notice)
  train::MicroBatchEstimate estimate;  // on a GPU, the memory probe the training starts from
};

// One training of o.warmup + o.steps (+ o.profile_steps) steps; the timed stretch starts and ends
// on an idle device, as a step is about to be queued (the trainer does not wait for the GPU
// between steps). The profiled steps come after the timed ones, so recording does not slow them.
TimedTraining timed_training(const genome::Genome& genome, const model::ModelConfig& model,
                             const train::TrainSettings& settings, const train::TaskData& data,
                             const torch::Device& device, const BenchTrainOptions& o) {
  const bool cuda = device.is_cuda();
  train::TrainJob job;
  job.genome = &genome;
  job.model = model;
  job.settings = settings;
  job.data = &data;
  job.device = device;
  job.seed = 1;
  TimedTraining timed;
  timed.how = "eager";
  job.on_notice = [&](const train::StepNotice& notice) { timed.how = notice.text; };
  Clock::time_point timed_from;
  const int64_t profiled = o.profile_steps, profile_from = o.warmup + o.steps;
  KernelProfile profile;
  const auto idle_device = [&] {
    if (cuda) torch::cuda::synchronize();
  };
  job.before_step = [&](int64_t step) {
    if (step == o.warmup) {
      idle_device();
      timed_from = Clock::now();
    }
    if (step == o.warmup + o.steps) {
      idle_device();
      timed.seconds = std::chrono::duration<double>(Clock::now() - timed_from).count();
    }
    if (profiled > 0 && step == profile_from) profile.start();
    if (profiled > 0 && step == profile_from + profiled) profile.stop_and_print(static_cast<int>(profiled), 30, stdout);
  };
  // The trainer probes the memory the same way before it starts; probed here too, so that its
  // prediction can be set beside the peak the training measures.
  timed.estimate = train::estimate_first_micro_batch(job, settings.micro_batch_size > 0 ? settings.micro_batch_size
                                                                                        : settings.batch_size);
  timed.result = train::train_and_evaluate(job);
  if (timed.result.status != train::EvalStatus::ok && timed.result.status != train::EvalStatus::diverged)
    throw std::runtime_error(std::string("training ") + train::to_string(timed.result.status) + ": " +
                             timed.result.message);
  return timed;
}

}  // namespace

int run_bench_train(const BenchTrainOptions& o) {
  try {
    if (o.device == "cuda" && !torch::cuda::is_available())
      throw std::invalid_argument("--device cuda, but torch sees no CUDA device");
    io::RunSettings run;  // the device, threads and Kokkos set up as for one rank of a run
    run.device = o.device;
    run.threads_per_rank = o.threads;
    const torch::Device device = setup_compute(run, 0, 1).device;
    const bool cuda = device.is_cuda();
    const auto genome = repeated_to_depth(genome::parse_genome(o.genome), o.depth);

    model::ModelConfig model;
    model.width = o.width;
    model.heads = o.heads;
    model.mlp_ratio = o.mlp_ratio;
    model.kernels = model::kernel_backend_from_string(o.kernels);
    model.vocab_size = o.vocab;
    train::TrainSettings settings;
    settings.batch_size = o.batch;
    settings.micro_batch_size = o.micro_batch;
    settings.precision = o.precision;
    // One step past the timed and profiled ones, so that each stretch ends where a step starts.
    settings.token_budget = (o.warmup + o.steps + o.profile_steps + 1) * o.batch * o.seq;
    settings.warmup_fraction = 0;
    settings.divergence_loss = 1e30;  // random tokens: the loss means nothing here
    const auto data = random_tokens(o.batch * 4, o.seq, o.vocab);
    if (o.profile_steps > 0 && !cuda) throw std::invalid_argument("--profile records CUDA kernels: it needs --device cuda");

    std::printf("star bench train %s: %zu LIVs, width %lld, %lld heads, vocabulary %lld, batch %lld x %lld tokens%s, "
                "%s, %s, %s kernels; %lld warm-up steps, %lld timed\n",
                genome::to_text(genome).c_str(), genome.livs.size(), static_cast<long long>(o.width),
                static_cast<long long>(o.heads), static_cast<long long>(o.vocab), static_cast<long long>(o.batch),
                static_cast<long long>(o.seq),
                o.micro_batch > 0 ? (" in micro-batches of " + std::to_string(o.micro_batch)).c_str() : "",
                cuda ? "cuda" : "cpu", train::uses_bf16(o.precision, device) ? "bf16 autocast" : "fp32",
                o.kernels.c_str(), static_cast<long long>(o.warmup), static_cast<long long>(o.steps));
    // On a GPU, "both" times the eager steps and then the replayed graph, each in its own training.
    const double flops_per_token = model::training_flops_per_token(genome, model, o.seq);
    const double peak = o.peak_tflops > 0 ? o.peak_tflops : (cuda ? 989.4 : 0.0);
    std::vector<std::string> modes{o.cuda_graphs};
    if (o.cuda_graphs == "both") modes = cuda ? std::vector<std::string>{"off", "auto"} : std::vector<std::string>{"auto"};
    for (const auto& mode : modes) {
      settings.cuda_graphs = mode;
      const auto timed = timed_training(genome, model, settings, data, device, o);
      const double tokens_per_second = timed.seconds > 0 ? static_cast<double>(o.steps * o.batch * o.seq) / timed.seconds : 0;
      const double tflops = tokens_per_second * flops_per_token / 1e12;
      std::printf("steps             %s\n", timed.how.c_str());
      std::printf("parameters        %lld\n", static_cast<long long>(timed.result.parameters));
      std::printf("tokens/s          %.0f\n", tokens_per_second);
      std::printf("step time         %.1f ms\n", timed.seconds / static_cast<double>(o.steps) * 1e3);
      std::printf("model TFLOP/s     %.2f  (%.3g FLOPs per token: 6 x multiply-adds of the LIVs and the head, "
                  "attention scores included)\n", tflops, flops_per_token);
      if (peak > 0) std::printf("MFU               %.1f%%  (of %.1f TFLOP/s dense bf16)\n", 100 * tflops / peak, peak);
      else std::printf("MFU               -  (give --peak-tflops for this CPU)\n");
      std::printf("peak memory       %.2f GiB%s\n", static_cast<double>(timed.result.peak_memory_bytes) / (1 << 30),
                  cuda ? "" : " (process peak resident set)");
      const int64_t micro = timed.result.micro_batch_size;
      if (timed.estimate.probed)
        std::printf("memory estimate   %.2f GiB at micro-batch %lld (two probe passes; optimizer state added)\n",
                    timed.estimate.line.at(micro) / (1 << 30), static_cast<long long>(micro));
      if (!timed.result.message.empty()) std::printf("micro-batch       %lld: %s\n", static_cast<long long>(micro),
                                                     timed.result.message.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star bench train: %s\n", e.what());
    return 2;
  }
}

void add_bench_train_command(CLI::App& bench, app::Subcommands& out) {
  auto o = std::make_shared<BenchTrainOptions>();
  auto* cmd = bench.add_subcommand(
      "train", "Time the trainer's steps on one genome: tokens/s, model TFLOP/s, MFU, peak memory");
  cmd->add_option("--genome", o->genome, "Genome text (a motif, repeated to --depth)")->required();
  cmd->add_option("--depth", o->depth, "LIVs (default: the genome's)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--width", o->width, "Model width")->check(CLI::PositiveNumber);
  cmd->add_option("--heads", o->heads, "Attention heads")->check(CLI::PositiveNumber);
  cmd->add_option("--mlp-ratio", o->mlp_ratio, "SwiGLU hidden width over width (8/3: Transformer++)")
      ->check(app::number_in(0.01, 64.0));
  cmd->add_option("--precision", o->precision, "auto (bf16 on a GPU), bf16 or fp32")
      ->check(CLI::IsMember({"auto", "bf16", "fp32"}));
  cmd->add_option("--kernels", o->kernels, "kokkos or torch (the LibTorch reference path)")
      ->check(CLI::IsMember({"kokkos", "torch"}));
  cmd->add_option("--vocab", o->vocab, "Vocabulary size")->check(CLI::Range(2, 1 << 24));
  cmd->add_option("--batch", o->batch, "Sequences per step")->check(CLI::PositiveNumber);
  cmd->add_option("--micro-batch", o->micro_batch, "Sequences per forward pass (0: the batch)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seq", o->seq, "Tokens per sequence")->check(CLI::PositiveNumber);
  cmd->add_option("--steps", o->steps, "Timed steps")->check(CLI::PositiveNumber);
  cmd->add_option("--warmup", o->warmup, "Untimed steps first")->check(CLI::NonNegativeNumber);
  cmd->add_option("--profile", o->profile_steps,
                  "After the timed steps, record this many more and print their top CUDA kernels")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--cuda-graphs", o->cuda_graphs,
                  "both (on a GPU: eager, then the step replayed as a CUDA graph), auto or off ([train] cuda_graphs)")
      ->check(CLI::IsMember({"both", "auto", "off"}));
  cmd->add_option("--device", o->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--peak-tflops", o->peak_tflops, "Dense bf16 peak for MFU (default 989.4 on CUDA)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", o->threads, "Torch CPU threads (0: the machine's cores)")->check(CLI::NonNegativeNumber);
  out.push_back({cmd, [o](int*, char***) { return run_bench_train(*o); }});
}

}  // namespace star::bench
