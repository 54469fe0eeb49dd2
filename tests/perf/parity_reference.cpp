// Training-parity bisection: the Transformer++ of shared/perf/torch_reference.py written again in
// plain LibTorch, trained on star's windows with star's schedule, scored on held-out windows.
//
// It stands between `star train` and tests/perf/parity_train.py. Like PyTorch's reference: its
// own modules (q and kv projections, interleaved rotary pairs, F::rms_norm-style RMSNorm with
// eps 1e-6, SwiGLU of round(8/3 d), tied head; SDPA through star's causal_attention), LibTorch's
// AdamW (not the fused kernel) and torch::nn::utils::clip_grad_norm_. Like star: the same
// LibTorch build, train::sample_windows for the training pool and the held-out windows (seeds
// 2 x task_seed + 1 and + 2, as [task] seed does), train::scheduled_learning_rate,
// train::AutocastScope for bf16. If it lands on
// PyTorch's held-out loss, the gap lies in star's model or trainer; if on star's, in LibTorch or
// in the data. With --model star it trains star's own model of the Transformer++ genome
// (model::Backbone, --kernels torch or kokkos) in this loop instead: the model's side or the
// trainer's. With --trainer star, star's own trainer (train::train_and_evaluate: star's model,
// batches, loss, clipping, fused AdamW, pinned copies; no checkpoints, unlike `star train`)
// trains the Transformer++ genome on the same pool instead. --fused 1 and --pinned 1 put star's
// fused AdamW step and its pinned non-blocking batch copies into this loop, one at a time.
// Prints a step's loss every twentieth of the run and one JSON line.
//
//   parity_reference --shards data/lm --heldout "data/lm/test_*.bin" --tokens 16777216
//       [--seed 1] [--task-seed 1001] [--device cuda] [--precision bf16|fp32] [--width 256] [--heads 4]
//       [--layers 8] [--batch 32] [--seq 1024] [--heldout-windows 1024] [--pool 0] [--lr 8e-4]
//       [--model reference|star] [--kernels torch|kokkos] [--trainer reference|star] [--fused 0|1]
//       [--pinned 0|1]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "genome/genome.hpp"
#include "kernels/launch.hpp"
#include "model/attention.hpp"
#include "model/backbone.hpp"
#include "train/fused_adamw.hpp"
#include "train/trainer.hpp"
#include "train/lr_schedule.hpp"
#include "train/precision.hpp"
#include "train/token_shards.hpp"

namespace {

using torch::Tensor;

struct RmsNormImpl : torch::nn::Module {
  explicit RmsNormImpl(int64_t d) : w(register_parameter("w", torch::ones({d}))) {}
  Tensor forward(const Tensor& x) {  // F.rms_norm: in fp32, back to the input's type
    auto xf = x.to(torch::kFloat32);
    return (xf * torch::rsqrt(xf.pow(2).mean(-1, true) + 1e-6) * w).to(x.scalar_type());
  }
  Tensor w;
};
TORCH_MODULE(RmsNorm);

// x [B, T, H, Dh]; pairs (2i, 2i + 1) turned by position x 10000^(-2i / Dh), as torch_reference.rope.
Tensor rope(const Tensor& x) {
  const int64_t T = x.size(1), hd = x.size(3);
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  auto inv = 1.0 / torch::pow(10000.0, torch::arange(0, hd, 2, opts) / static_cast<double>(hd));
  auto f = torch::outer(torch::arange(T, opts), inv);
  auto cos = f.cos().unsqueeze(0).unsqueeze(2), sin = f.sin().unsqueeze(0).unsqueeze(2);
  auto x1 = x.slice(-1, 0, hd, 2), x2 = x.slice(-1, 1, hd, 2);
  return torch::stack({x1 * cos - x2 * sin, x1 * sin + x2 * cos}, -1).flatten(-2);
}

struct BlockImpl : torch::nn::Module {
  BlockImpl(bool attention, int64_t d, int64_t h) : attention(attention), h(h), norm(register_module("n", RmsNorm(d))) {
    auto linear = [&](const char* name, int64_t in, int64_t out) {
      return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
    };
    if (attention) {
      q = linear("q", d, d), kv = linear("kv", d, 2 * d), o = linear("o", d, d);
    } else {
      const int64_t hidden = std::llround(d * 8.0 / 3.0);
      w12 = linear("w12", d, 2 * hidden), w3 = linear("w3", hidden, d);
    }
  }
  Tensor forward(const Tensor& x) {
    auto y = norm(x);
    if (!attention) {
      auto ab = w12(y).chunk(2, -1);
      return x + w3(torch::silu(ab[0]) * ab[1]);
    }
    const int64_t B = x.size(0), T = x.size(1), D = x.size(2), hd = D / h;
    auto qq = q(y).view({B, T, h, hd});
    auto kvs = kv(y).view({B, T, 2, h, hd}).unbind(2);
    // SDPA with is_causal on LibTorch 2 (written out on 1.13, which has no SDPA), as star's attention.
    auto att = star::model::causal_attention(rope(qq).transpose(1, 2), rope(kvs[0]).transpose(1, 2),
                                             kvs[1].transpose(1, 2), Tensor());
    return x + o(att.transpose(1, 2).reshape({B, T, D}));
  }
  bool attention;
  int64_t h;
  RmsNorm norm;
  torch::nn::Linear q{nullptr}, kv{nullptr}, o{nullptr}, w12{nullptr}, w3{nullptr};
};
TORCH_MODULE(Block);

struct LmImpl : torch::nn::Module {
  LmImpl(int64_t layers, int64_t d, int64_t h, int64_t vocab)
      : emb(register_module("emb", torch::nn::Embedding(vocab, d))), nf(register_module("nf", RmsNorm(d))) {
    torch::nn::init::normal_(emb->weight, 0.0, 0.02);
    for (int64_t i = 0; i < layers; ++i)
      blocks.push_back(register_module("block" + std::to_string(i), Block(i % 2 == 0, d, h)));
  }
  Tensor forward(const Tensor& idx) {  // logits
    auto x = emb(idx);
    for (auto& b : blocks) x = b(x);
    return torch::nn::functional::linear(nf(x), emb->weight);
  }
  torch::nn::Embedding emb;
  RmsNorm nf;
  std::vector<Block> blocks;
};
TORCH_MODULE(Lm);

using Forward = std::function<Tensor(const Tensor&)>;

Tensor mean_loss(const Forward& model, const Tensor& inputs, const Tensor& targets, const torch::Device& device,
                 bool bf16) {
  Tensor logits;
  {
    star::train::AutocastScope autocast(device, bf16);
    logits = model(inputs);
  }
  return torch::nn::functional::cross_entropy(logits.to(torch::kFloat32).view({-1, logits.size(-1)}), targets.view({-1}));
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a = {{"--shards", ""},        {"--heldout", ""},      {"--tokens", "0"},
                                          {"--seed", "1"},         {"--task-seed", "1001"}, {"--device", "cuda"},
                                          {"--precision", ""},     {"--width", "256"},     {"--heads", "4"},
                                          {"--layers", "8"},       {"--batch", "32"},      {"--seq", "1024"},
                                          {"--heldout-windows", "1024"}, {"--pool", "0"}, {"--lr", "8e-4"},
                                          {"--model", "reference"}, {"--kernels", "torch"},
                                          {"--trainer", "reference"}, {"--fused", "0"}, {"--pinned", "0"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!a.count(argv[i])) {
      std::fprintf(stderr, "parity_reference: unknown option %s\n", argv[i]);
      return 2;
    }
    a[argv[i]] = argv[i + 1];
  }
  const int64_t tokens = std::stoll(a["--tokens"]), batch = std::stoll(a["--batch"]), seq = std::stoll(a["--seq"]);
  if (a["--shards"].empty() || a["--heldout"].empty() || tokens <= 0) {
    std::fprintf(stderr, "parity_reference: --shards, --heldout and --tokens are required\n");
    return 2;
  }
  torch::Device device(a["--device"]);
  if (device.is_cuda() && !device.has_index()) device = torch::Device(torch::kCUDA, 0);  // star's trainer needs one
  const bool bf16 = a["--precision"].empty() ? device.is_cuda() : a["--precision"] == "bf16";
  if (device.is_cuda()) at::globalContext().setAllowTF32CuBLAS(true);  // as parity_train.py
  star::kernels::initialize(device.is_cuda() ? device.index() : 0);  // for --kernels kokkos, as star does
  const uint64_t task_seed = std::stoull(a["--task-seed"]);
  const int64_t steps = std::max<int64_t>(1, tokens / (batch * seq));
  const int64_t pool_windows = std::stoll(a["--pool"]) > 0 ? std::stoll(a["--pool"]) : std::min<int64_t>(65536, tokens / seq);
  try {
    const auto pool = star::train::sample_windows(a["--shards"] + "/train_*.bin", pool_windows, seq, 256, task_seed * 2 + 1);
    const auto heldout = star::train::sample_windows(a["--heldout"], std::stoll(a["--heldout-windows"]), seq, 256,
                                                     task_seed * 2 + 2);
    if (a["--trainer"] == "star") {
      std::string text;
      for (int64_t i = 0; i < std::stoll(a["--layers"]); ++i) text += std::string(i ? "-" : "") + (i % 2 ? "11111" : "31111");
      const auto genome = star::genome::parse_genome(text);
      star::train::TaskData data{pool, heldout};
      star::train::TrainJob job;
      job.genome = &genome;
      job.model.vocab_size = 256;
      job.model.width = std::stoll(a["--width"]);
      job.model.heads = std::stoll(a["--heads"]);
      job.model.mlp_ratio = 8.0 / 3.0;
      job.model.kernels = star::model::kernel_backend_from_string(a["--kernels"]);
      job.settings.token_budget = tokens;
      job.settings.batch_size = batch;
      job.settings.learning_rate = std::stod(a["--lr"]);
      job.settings.precision = bf16 ? "bf16" : "fp32";
      job.data = &data;
      job.device = device;
      job.seed = std::stoull(a["--seed"]);
      job.progress_every = std::max<int64_t>(1, steps / 20);
      job.on_progress = [](const star::train::TrainProgress& p) {
        std::printf("step %lld/%lld  loss %.4f\n", static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss);
      };
      const auto result = star::train::train_and_evaluate(job);
      std::printf("{\"model\": \"parity_reference star trainer\", \"params\": %lld, \"steps\": %lld, \"device\": \"%s\", "
                  "\"precision\": \"%s\", \"seed\": %s, \"status\": \"%s\", \"heldout_loss\": %.5f}\n",
                  static_cast<long long>(result.parameters), static_cast<long long>(steps), device.str().c_str(),
                  bf16 ? "bf16" : "fp32", a["--seed"].c_str(), star::train::to_string(result.status), result.loss);
      return 0;
    }
    torch::manual_seed(std::stoull(a["--seed"]));
    std::shared_ptr<torch::nn::Module> module;
    Forward model;
    if (a["--model"] == "star") {  // star's Transformer++: attention and SwiGLU alternating
      std::string genome;
      for (int64_t i = 0; i < std::stoll(a["--layers"]); ++i) genome += std::string(i ? "-" : "") + (i % 2 ? "11111" : "31111");
      star::model::ModelConfig config;
      config.vocab_size = 256;
      config.width = std::stoll(a["--width"]);
      config.heads = std::stoll(a["--heads"]);
      config.mlp_ratio = 8.0 / 3.0;
      config.kernels = star::model::kernel_backend_from_string(a["--kernels"]);
      star::model::Backbone net(star::genome::parse_genome(genome), config);
      module = net.ptr();
      model = [net](const Tensor& x) mutable { return net->forward(x); };
    } else {
      Lm net(std::stoll(a["--layers"]), std::stoll(a["--width"]), std::stoll(a["--heads"]), 256);
      module = net.ptr();
      model = [net](const Tensor& x) mutable { return net->forward(x); };
    }
    module->to(device);
    int64_t params = 0;
    for (const auto& p : module->parameters()) params += p.numel();
    const double lr = std::stod(a["--lr"]);
    const bool fused = a["--fused"] == "1", pinned = a["--pinned"] == "1" && device.is_cuda();
    torch::optim::AdamW opt(module->parameters(), torch::optim::AdamWOptions(lr).betas({0.9, 0.95}).weight_decay(0.1));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(std::stoull(a["--seed"]));
    const int64_t print_every = std::max<int64_t>(1, steps / 20);
    module->train();
    for (int64_t step = 0; step < steps; ++step) {
      for (auto& g : opt.param_groups())
        static_cast<torch::optim::AdamWOptions&>(g.options()).lr(
            star::train::scheduled_learning_rate(step, steps, lr, 0.1, 0.1));
      auto rows = torch::randint(0, pool.inputs.size(0), {batch}, gen, torch::kInt64);
      auto to_device = [&](const Tensor& host) {  // --pinned 1: as star's trainer copies a batch
        return pinned ? host.pin_memory().to(device, /*non_blocking=*/true) : host.to(device);
      };
      auto loss = mean_loss(model, to_device(pool.inputs.index_select(0, rows)),
                            to_device(pool.targets.index_select(0, rows)), device, bf16);
      opt.zero_grad();
      loss.backward();
      const double norm = torch::nn::utils::clip_grad_norm_(module->parameters(), 1.0);
      if (!fused || !star::train::fused_adamw_step(opt)) opt.step();
      if ((step + 1) % print_every == 0 || step + 1 == steps)
        std::printf("step %lld/%lld  loss %.4f  grad norm %.4f\n", static_cast<long long>(step + 1),
                    static_cast<long long>(steps), loss.item<double>(), norm);
    }
    torch::NoGradGuard no_grad;
    module->eval();
    double total = 0;
    const int64_t n = heldout.inputs.size(0);
    for (int64_t start = 0; start < n; start += 64) {
      const int64_t len = std::min<int64_t>(64, n - start);
      total += mean_loss(model, heldout.inputs.narrow(0, start, len).to(device),
                         heldout.targets.narrow(0, start, len).to(device), device, bf16)
                   .item<double>() *
               static_cast<double>(len);
    }
    const double loss = total / static_cast<double>(n);
    std::printf("{\"model\": \"parity_reference %s\", \"params\": %lld, \"steps\": %lld, \"device\": \"%s\", \"precision\": "
                "\"%s\", \"seed\": %s, \"heldout_loss\": %.5f}\n",
                a["--model"].c_str(), static_cast<long long>(params), static_cast<long long>(steps), device.str().c_str(),
                bf16 ? "bf16" : "fp32", a["--seed"].c_str(), loss);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parity_reference: %s\n", e.what());
    return 2;
  }
  return 0;
}
