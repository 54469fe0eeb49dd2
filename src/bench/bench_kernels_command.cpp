#include "bench/bench_kernels_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

#include <torch/torch.h>

#include "app/cli_checks.hpp"
#include "app/compute_setup.hpp"
#include "bench/kernel_profile.hpp"
#include "genome/operator_genome.hpp"
#include "kernels/causal_conv1d.hpp"
#include "kernels/launch.hpp"
#include "kernels/linear_scan.hpp"
#include "model/ops/add_rms_norm.hpp"
#include "model/ops/causal_conv.hpp"
#include "model/ops/cross_entropy.hpp"
#include "model/ops/gated_unit.hpp"
#include "model/ops/linear_scan.hpp"
#include "model/ops/rotary.hpp"
#include "train/device_memory.hpp"

namespace star::bench {

using namespace star::app;  // the search's own pieces, timed here
namespace {

using model::KernelBackend;
using train::synchronize;

// Mean seconds per call of `body`, after two warm-up calls.
double time_per_call(const torch::Device& device, int repeats, const std::function<void()>& body) {
  body();
  body();
  synchronize(device);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) body();
  synchronize(device);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

struct Timing {
  double forward = 0, backward = 0;  // seconds; backward = (forward + backward) - forward
};

using Op = std::function<torch::Tensor(const std::vector<torch::Tensor>&)>;

// A random gradient for op's output; one for a scalar (a loss, whose gradient a training's
// backward pass brings as the loss kernels expect it).
torch::Tensor output_gradient(const std::vector<torch::Tensor>& inputs, const Op& op) {
  const auto y = op(inputs).detach();
  return y.dim() == 0 ? torch::ones_like(y) : y.clone().normal_();
}

// One forward and backward pass of `op` from cleared input gradients, dy flowing back.
void forward_and_backward(const std::vector<torch::Tensor>& inputs, const Op& op, const torch::Tensor& dy) {
  for (const auto& x : inputs) x.mutable_grad() = torch::Tensor();
  op(inputs).backward(dy);
}

// Times `op` on inputs that need gradients: forward alone, then forward and backward.
Timing time_op(const torch::Device& device, int repeats, const std::vector<torch::Tensor>& inputs, const Op& op) {
  Timing t;
  {
    torch::NoGradGuard no_grad;
    t.forward = time_per_call(device, repeats, [&] { op(inputs); });
  }
  const auto dy = output_gradient(inputs, op);
  const double both = time_per_call(device, repeats, [&] { forward_and_backward(inputs, op, dy); });
  t.backward = std::max(0.0, both - t.forward);
  return t;
}

// A kernel timed at each of `sizes`: the length T of [B, T, C] activations for the LIV kernels
// (also of the gated unit's [B, T, 2h] and the rotary embedding's [B, T, H, Dh]), the rows N of
// [N, V] logits for the loss.
struct Kernel {
  const char* name;
  std::vector<int64_t> sizes;
  double elements_per_size;                // elements of one array per unit of size: B x C, or V
  double forward_arrays, backward_arrays;  // such arrays each direction must read or write
  std::function<std::vector<torch::Tensor>(int64_t size, const torch::TensorOptions&)> inputs;
  using BackendOp = std::function<torch::Tensor(const std::vector<torch::Tensor>&, KernelBackend)>;
  BackendOp op;  // with the kernels' default plans
  // Plans to compare ("" = the defaults), and the op with one of them (parsed once, passed to
  // every call); throws std::invalid_argument for a malformed plan or one no kernel has.
  std::vector<std::string> plans = {""};
  std::function<BackendOp(const std::string&)> with_plan = nullptr;  // none: the one plan is ""
};

// "a:b:c" -> {a, b, c}; throws std::invalid_argument naming the option for anything else.
std::vector<int64_t> plan_fields(const std::string& text, size_t count, const char* option) {
  std::vector<int64_t> fields;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(':', start);
    const std::string field = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    try {
      size_t used = 0;
      fields.push_back(std::stoll(field, &used));
      if (used != field.size()) throw std::invalid_argument(field);
    } catch (const std::exception&) {
      throw std::invalid_argument(std::string(option) + ": \"" + text + "\" is not " + std::to_string(count) +
                                  " integers joined by ':'");
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (fields.size() != count)
    throw std::invalid_argument(std::string(option) + ": \"" + text + "\" has " + std::to_string(fields.size()) +
                                " fields, not " + std::to_string(count));
  return fields;
}

kernels::ScanPlan scan_plan(const std::string& text) {
  const auto f = plan_fields(text, 6, "--scan-plans");
  kernels::ScanPlan plan;
  plan.steps = static_cast<int>(f[0]);
  plan.channels_per_thread = static_cast<int>(f[1]);
  plan.pieces = static_cast<int>(f[2]);
  plan.prefetch = f[3] != 0;
  plan.lanes = static_cast<int>(f[4]);
  plan.look_back = static_cast<int>(f[5]);
  kernels::check_scan_plan(plan);
  return plan;
}

kernels::ConvPlan conv_plan(const std::string& text) {
  const auto f = plan_fields(text, 4, "--conv-plans");
  kernels::ConvPlan plan;
  plan.forward_tile = f[0];
  plan.backward_tile = f[1];
  plan.unroll = static_cast<int>(f[2]);
  plan.channels_per_thread = static_cast<int>(f[3]);
  kernels::check_conv_plan(plan);
  return plan;
}

// The loss as a training calls it: with the gradient the backward pass brings (one, see
// output_gradient), so that the Kokkos path writes the logits' gradient in its forward pass.
torch::Tensor training_loss(const std::vector<torch::Tensor>& in, KernelBackend b,
                            const kernels::CrossEntropyPlan* plan = nullptr) {
  const auto one = torch::ones({}, in[0].options().dtype(torch::kFloat32));
  return model::summed_cross_entropy(in[0], in[1], /*ignore_index=*/-100, b, one, plan);
}

kernels::CrossEntropyPlan loss_plan(const std::string& text) {
  const auto f = plan_fields(text, 2, "--loss-plans");
  kernels::CrossEntropyPlan plan;
  plan.team_threads = static_cast<int>(f[0]);
  plan.accesses = static_cast<int>(f[1]);
  kernels::check_cross_entropy_plan(plan);
  return plan;
}

int bench_kernels(const BenchKernelsOptions& o);

}  // namespace

int run_bench_kernels(const BenchKernelsOptions& o) {
  try {
    return bench_kernels(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star bench kernels: %s\n", e.what());
    return 3;
  }
}

namespace {

int bench_kernels(const BenchKernelsOptions& o) {
  if (o.device == "cuda" && !torch::cuda::is_available()) {
    std::fprintf(stderr, "star bench kernels: --device cuda, but torch sees no CUDA device\n");
    return 2;
  }
  io::RunSettings run;  // the device, threads and Kokkos set up as for one rank of a run
  run.device = o.device;
  const torch::Device device = setup_compute(run, 0, 1).device;
  const bool cuda = device.is_cuda();
  if (o.profile && !cuda) throw std::invalid_argument("--profile records CUDA kernels: it needs --device cuda");
  if (cuda && !kernels::gpu_backend_available()) {
    std::fprintf(stderr, "star bench kernels: this build's kernels have no GPU backend\n");
    return 2;
  }

  const int64_t B = o.batch, C = o.channels, K = o.taps, V = o.vocab;
  // The gated unit at the Transformer++ width h = 8/3 C (2048 at C = 768); the rotary embedding
  // on heads of 64 channels (one head of the even width nearest above C where 64 does not divide C).
  const int64_t h = std::max<int64_t>(1, std::llround(C * 8.0 / 3.0));
  const int64_t Dh = C % 64 == 0 ? 64 : C + C % 2, H = C % 64 == 0 ? C / 64 : 1;
  const double rope_base = 10000.0;
  const auto dtype = o.dtype == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  const auto opts = torch::TensorOptions().device(device).dtype(dtype);
  const double element_bytes = dtype == torch::kBFloat16 ? 2.0 : 4.0;
  const double fp32_arrays = 4.0 / element_bytes;  // an fp32 array in units of activation arrays
  std::vector<Kernel> list = {
      {"causal_conv1d", o.lengths, double(B * C), 2, 3,
       [=](int64_t T, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::randn({B, T, C}, opts).requires_grad_(true),
                                           torch::randn({C, K}, opts.dtype(torch::kFloat32)).requires_grad_(true)};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) { return model::causal_conv1d(in[0], in[1], b); }},
      {"linear_scan", o.lengths, double(B * C), 3, 5,
       [=](int64_t T, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::sigmoid(torch::randn({B, T, C}, opts)).requires_grad_(true),
                                           torch::randn({B, T, C}, opts).requires_grad_(true)};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) { return model::linear_scan(in[0], in[1], b); }},
      // SwiGLU's silu(g) * u from the [B, T, 2h] gate_up projection to [B, T, h].
      {"gated_unit", o.lengths, double(B * h), 3, 5,
       [=](int64_t T, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::randn({B, T, 2 * h}, opts).requires_grad_(true)};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) {
         return model::gated_unit(in[0], genome::kSilu, b);
       }},
      // Queries [B, T, H, Dh] as the projection lays them out, seen as [B, H, T, Dh].
      {"rotary", o.lengths, double(B * H * Dh), 2, 2,
       [=](int64_t T, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::randn({B, T, H, Dh}, opts).requires_grad_(true)};
       },
       [=](const std::vector<torch::Tensor>& in, KernelBackend b) {
         return model::apply_rotary(in[0].transpose(1, 2), rope_base, b);
       }},
      // The link between two LIVs: the fp32 residual h plus a LIV's output delta [B, T, C], and
      // its norm y (in delta's type); the backward pass from y's gradient alone.
      {"add_rms_norm", o.lengths, double(B * C), 2 * fp32_arrays + 2, 2 * fp32_arrays + 2,
       [=](int64_t T, const torch::TensorOptions& opts) {
         const auto f32 = opts.dtype(torch::kFloat32);
         return std::vector<torch::Tensor>{torch::randn({B, T, C}, f32).requires_grad_(true),
                                           torch::randn({B, T, C}, opts).requires_grad_(true),
                                           torch::ones({C}, f32).requires_grad_(true)};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) {
         return model::add_rms_norm(in[0], in[1], in[2], 1e-6, b).y;
       }},
      // GConv-1's mixer c * conv(b * x) from its [B, T, 3C] in-projection [b | c | x].
      {"gated_conv", o.lengths, double(B * C), 4, 7,
       [=](int64_t T, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::randn({B, T, 3 * C}, opts).requires_grad_(true),
                                           torch::randn({C, K}, opts.dtype(torch::kFloat32)).requires_grad_(true)};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) {
         return model::gated_causal_conv1d(in[0], in[1], b);
       }},
      // The loss of a language model's [N, V] logits (the targets and the per-row figures are
      // small next to them).
      {"cross_entropy", {o.rows}, double(V), 1, 2,
       [=](int64_t N, const torch::TensorOptions& opts) {
         return std::vector<torch::Tensor>{torch::randn({N, V}, opts).requires_grad_(true),
                                           torch::randint(0, V, {N}, opts.dtype(torch::kInt64))};
       },
       [](const std::vector<torch::Tensor>& in, KernelBackend b) { return training_loss(in, b); }},
  };

  if (!o.conv_plans.empty()) {
    list[0].plans = o.conv_plans;
    list[0].with_plan = [op = list[0].op](const std::string& text) -> Kernel::BackendOp {
      if (text.empty()) return op;
      const auto plan = std::make_shared<kernels::ConvPlan>(conv_plan(text));
      return [plan](const auto& in, KernelBackend b) { return model::causal_conv1d(in[0], in[1], b, plan.get()); };
    };
  }
  if (!o.scan_plans.empty()) {
    list[1].plans = o.scan_plans;
    list[1].with_plan = [op = list[1].op](const std::string& text) -> Kernel::BackendOp {
      if (text.empty()) return op;
      const auto plan = std::make_shared<kernels::ScanPlan>(scan_plan(text));
      return [plan](const auto& in, KernelBackend b) { return model::linear_scan(in[0], in[1], b, {}, plan.get()); };
    };
  }
  if (!o.loss_plans.empty()) {
    list[6].plans = o.loss_plans;
    list[6].with_plan = [op = list[6].op](const std::string& text) -> Kernel::BackendOp {
      if (text.empty()) return op;
      const auto plan = std::make_shared<kernels::CrossEntropyPlan>(loss_plan(text));
      return [plan](const auto& in, KernelBackend b) { return training_loss(in, b, plan.get()); };
    };
  }
  try {  // a malformed plan, or one no kernel has, is bad input: refused here, before any timing
    for (const auto& k : list)
      if (k.with_plan)
        for (const auto& plan : k.plans) k.with_plan(plan);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "star bench kernels: %s\n", e.what());
    return 2;
  }
  const kernels::ConvPlan default_conv;
  const kernels::ScanPlan default_scan;
  const kernels::CrossEntropyPlan default_loss;
  std::printf("star bench kernels on %s: B=%lld, C=%lld, conv taps K=%lld, gated unit h=%lld, rotary H=%lld x "
              "Dh=%lld, loss vocabulary V=%lld, %s activations and logits, mean of %d calls after warm-up\n",
              cuda ? "cuda" : "cpu", static_cast<long long>(B), static_cast<long long>(C), static_cast<long long>(K),
              static_cast<long long>(h), static_cast<long long>(H), static_cast<long long>(Dh),
              static_cast<long long>(V), o.dtype.c_str(), o.repeats);
  {  // What the memory can do: a device-to-device copy of one [B, T, C] array at the longest T.
    const int64_t T = *std::max_element(o.lengths.begin(), o.lengths.end());
    auto src = torch::empty({o.batch, T, o.channels}, opts), dst = torch::empty_like(src);
    const double seconds = time_per_call(device, o.repeats, [&] { dst.copy_(src); });
    std::printf("copy of [B, %lld, C]: %.3f ms, %.1f GB/s (read + write): the memory's practical bandwidth\n",
                static_cast<long long>(T), seconds * 1e3, 2 * element_bytes * src.numel() / seconds / 1e9);
  }
  std::printf("GB/s = bytes that must move (conv: x, y forward; x, dy, dx backward; scan: a, x, h forward; a, h, dh,\n"
              "da, dx backward; gated_unit: gate_up [B, T, 2h], y forward; gate_up, dy, dgate_up backward; rotary: x,\n"
              "y forward; dy, dx backward; add_rms_norm: h, delta, h_out, y forward; h_out, dy, dh, ddelta backward, h and\n"
              "h_out fp32; cross_entropy: logits forward; logits, dlogits backward; gated_conv: b, c, x, y forward; b, c,\n"
              "x, dy, db, dc, dx backward) / time. torch = the LibTorch reference path (grouped conv1d; log-step scan;\n"
              "chunk, silu and a product; cos and sin tables, products and a cat; an add and rms_norm; fp32 copy of the\n"
              "logits, then torch's cross_entropy; gated_conv: chunk, two products around grouped conv1d). A training's\n"
              "loss writes its gradient in its forward pass: cross_entropy's backward row is that pass less the\n"
              "forward pass alone.\n"
              "T|N: sequence length T of [B, T, .] for conv, scan, gated_unit, rotary, add_rms_norm and gated_conv, rows\n"
              "N of [N, V] logits for cross_entropy.\n");
  std::printf("Plans: conv forward_tile:backward_tile:unroll:channels_per_thread (now %lld:%lld:%d:%d), scan "
              "steps:channels_per_thread:pieces:prefetch:lanes:look_back (now %d:%d:%d:%d:%d:%d on a GPU), loss\n"
              "team_threads:accesses (now %d:%d); [plan] after a name marks a compared one.\n",
              static_cast<long long>(default_conv.forward_tile), static_cast<long long>(default_conv.backward_tile),
              default_conv.unroll, default_conv.channels_per_thread, default_scan.steps,
              default_scan.channels_per_thread, default_scan.pieces, default_scan.prefetch ? 1 : 0, default_scan.lanes,
              default_scan.look_back, default_loss.team_threads, default_loss.accesses);
  const int name_width = o.conv_plans.empty() && o.scan_plans.empty() && o.loss_plans.empty() ? 14 : 28;
  std::printf("%-*s %6s %-8s | %10s %8s | %10s %8s | %7s\n", name_width, "kernel", "T|N", "pass", "kokkos ms", "GB/s", "torch ms",
              "GB/s", "speedup");
  for (const auto& k : list) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), k.name) == o.only.end()) continue;
    for (int64_t size : k.sizes) {
      const double elements = k.elements_per_size * size;
      auto inputs = k.inputs(size, opts);
      const auto ref = time_op(device, o.repeats, inputs, [&](const auto& in) { return k.op(in, KernelBackend::torch); });
      for (const auto& plan : k.plans) {
        const auto planned = k.with_plan ? k.with_plan(plan) : k.op;
        const Op kokkos_op = [&](const std::vector<torch::Tensor>& in) { return planned(in, KernelBackend::kokkos); };
        const auto ours = time_op(device, o.repeats, inputs, kokkos_op);
        const std::string name = plan.empty() ? k.name : std::string(k.name) + "[" + plan + "]";
        for (int pass = 0; pass < 2; ++pass) {
          const double arrays = pass == 0 ? k.forward_arrays : k.backward_arrays;
          const double mine = pass == 0 ? ours.forward : ours.backward, theirs = pass == 0 ? ref.forward : ref.backward;
          const double bytes = arrays * elements * element_bytes;
          std::printf("%-*s %6lld %-8s | %10.3f %8.1f | %10.3f %8.1f | %6.2fx\n", name_width, name.c_str(),
                      static_cast<long long>(size), pass == 0 ? "forward" : "backward", mine * 1e3,
                      mine > 0 ? bytes / mine / 1e9 : 0.0, theirs * 1e3, theirs > 0 ? bytes / theirs / 1e9 : 0.0,
                      mine > 0 ? theirs / mine : 0.0);
        }
        if (o.profile) {
          // The op's own GPU time, forward alone and forward with backward, without the host's
          // part (autograd, allocations, launches), which bounds the rows above where kernels are short.
          const auto dy = output_gradient(inputs, kokkos_op);
          KernelProfile forward_profile;
          forward_profile.start();
          {
            torch::NoGradGuard no_grad;
            for (int i = 0; i < o.repeats; ++i) kokkos_op(inputs);
          }
          const double forward = forward_profile.stop_and_print(o.repeats, 0, nullptr);
          KernelProfile profile;
          profile.start();
          for (int i = 0; i < o.repeats; ++i) forward_and_backward(inputs, kokkos_op, dy);
          const double backward = std::max(0.0, profile.stop_and_print(o.repeats, 6, stdout, false) - forward);
          const double bytes = elements * element_bytes;
          std::printf("kernels alone: forward %.3f ms %.1f GB/s, backward %.3f ms %.1f GB/s\n", forward * 1e3,
                      forward > 0 ? k.forward_arrays * bytes / forward / 1e9 : 0.0, backward * 1e3,
                      backward > 0 ? k.backward_arrays * bytes / backward / 1e9 : 0.0);
        }
      }
    }
  }
  return 0;
}

}  // namespace

void add_bench_kernels_command(CLI::App& bench, app::Subcommands& out) {
  auto o = std::make_shared<BenchKernelsOptions>();
  auto* cmd = bench.add_subcommand("kernels", "Time the Kokkos LIV kernels, gated unit, rotary embedding and fused loss "
                                              "against their LibTorch references");
  cmd->add_option("--batch", o->batch, "Batch B")->check(CLI::PositiveNumber);
  cmd->add_option("--channels", o->channels, "Channels C")->check(CLI::PositiveNumber);
  cmd->add_option("--lengths", o->lengths, "Sequence lengths T, e.g. 1024,4096,16384")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cmd->add_option("--taps", o->taps, "Taps K of the short convolution")->check(CLI::Range(1, 64));
  cmd->add_option("--device", o->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--repeats", o->repeats, "Timed calls per figure")->check(CLI::Range(1, 100000));
  cmd->add_flag("--profile", o->profile,
                "After each Kokkos row, the GPU kernels of as many forward and backward calls, in ms per call, and the "
                "kernels' own time and GB/s forward and backward (CUDA only)");
  cmd->add_option("--dtype", o->dtype, "Activations and logits: fp32 or bf16")->check(CLI::IsMember({"fp32", "bf16"}));
  cmd->add_option("--rows", o->rows, "Rows N of the cross-entropy's [N, V] logits")->check(CLI::PositiveNumber);
  cmd->add_option("--vocab", o->vocab, "Classes V of the cross-entropy's [N, V] logits")->check(CLI::PositiveNumber);
  cmd->add_option("--only", o->only, "Kernels to time, e.g. linear_scan,causal_conv1d")
      ->delimiter(',')
      ->check(CLI::IsMember({"causal_conv1d", "linear_scan", "gated_unit", "rotary", "add_rms_norm", "cross_entropy", "gated_conv"}));
  cmd->add_option("--conv-plans", o->conv_plans,
                  "Convolution plans to compare, forward_tile:backward_tile:unroll:channels_per_thread each, e.g. "
                  "32:64:8:0,32:64:1:0")
      ->delimiter(',');
  cmd->add_option("--scan-plans", o->scan_plans,
                  "Scan plans to compare, steps:channels_per_thread:pieces:prefetch:lanes:look_back each (look_back 0: "
                  "a team walks the whole sequence), e.g. 16:0:4:1:32:4,16:0:16:1:8:0")
      ->delimiter(',');
  cmd->add_option("--loss-plans", o->loss_plans,
                  "Cross-entropy plans to compare, team_threads:accesses each (accesses: loads a thread issues "
                  "together, 2 or 4), e.g. 512:2,512:4")
      ->delimiter(',');
  out.push_back({cmd, [o](int*, char***) { return run_bench_kernels(*o); }});
}

}  // namespace star::bench
