#include "bench/bench_inference_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "app/cli_checks.hpp"
#include "app/compute_setup.hpp"
#include "bench/repeated_genome.hpp"
#include "model/backbone.hpp"
#include "model/model_metrics.hpp"
#include "train/inference_timing.hpp"
#include "train/precision.hpp"

namespace star::bench {
namespace {

struct Row {
  std::string label;
  int64_t parameters = 0;
  double prefill_ms = 0;
  std::vector<train::InferenceCost> decode;  // one per context
  std::vector<int64_t> cache_formula;        // bytes of the batch, one per context
};

// "label=text" or "text" (labelled by its text).
std::pair<std::string, std::string> label_and_text(const std::string& option) {
  const auto eq = option.find('=');
  if (eq == std::string::npos) return {option, option};
  return {option.substr(0, eq), option.substr(eq + 1)};
}

// The rows' labels in increasing order of `key`.
template <class Key>
std::string order_by(const std::vector<Row>& rows, Key key) {
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(rows[a]) < key(rows[b]); });
  std::string text;
  for (size_t i : order) text += (text.empty() ? "" : " < ") + rows[i].label;
  return text;
}

}  // namespace

int run_bench_inference(const BenchInferenceOptions& o) {
  try {
    if (o.device == "cuda" && !torch::cuda::is_available())
      throw std::invalid_argument("--device cuda, but torch sees no CUDA device");
    std::vector<std::pair<std::string, genome::Genome>> genomes;  // all parsed before any timing
    for (const auto& option : o.genomes) {
      const auto [label, text] = label_and_text(option);
      genomes.emplace_back(label, repeated_to_depth(genome::parse_genome(text), o.depth));
    }
    io::RunSettings run;
    run.device = o.device;
    const torch::Device device = app::setup_compute(run, 0, 1).device;
    const bool bf16 = train::uses_bf16(o.precision, device);
    model::ModelConfig config;
    config.width = o.width;
    config.heads = o.heads;
    config.mlp_ratio = o.mlp_ratio;
    config.vocab_size = o.vocab;
    config.kernels = model::kernel_backend_from_string(o.kernels);

    std::printf("star bench inference: width %lld, %lld heads, vocabulary %lld, batch %lld, %s, %s; prefill %lld "
                "tokens; decode at", static_cast<long long>(o.width), static_cast<long long>(o.heads),
                static_cast<long long>(o.vocab), static_cast<long long>(o.batch), device.str().c_str(),
                bf16 ? "bf16 autocast" : "fp32", static_cast<long long>(o.prompt));
    for (auto c : o.contexts) std::printf(" %lld", static_cast<long long>(c));
    std::printf(" tokens of context; medians of %lld after %lld warm-up\n", static_cast<long long>(o.repeats),
                static_cast<long long>(o.warmup));

    std::vector<Row> rows;
    for (const auto& [label, genome] : genomes) {
      torch::manual_seed(0);
      model::Backbone net(genome, config);
      net->to(device);
      Row row;
      row.label = label;
      row.parameters = model::parameter_count(*net);
      for (size_t i = 0; i < o.contexts.size(); ++i) {
        const train::InferenceConditions conditions{o.prompt, o.contexts[i], o.batch, o.repeats, o.warmup};
        const auto cost = train::measure_inference(net, conditions, o.vocab, device, bf16);
        if (i == 0) row.prefill_ms = cost.prefill_ms;
        row.decode.push_back(cost);
        row.cache_formula.push_back(o.batch * model::summarize(net, o.contexts[i], bf16 ? 2 : 4).cache_bytes);
      }
      rows.push_back(row);
    }

    std::printf("%-24s %10s %14s", "genome", "params[M]", "prefill[ms]");
    for (auto c : o.contexts) {
      const auto k = std::to_string(c);
      std::printf(" %16s %16s %14s", ("decode@" + k + "[ms]").c_str(), ("cache@" + k + "[MiB]").c_str(),
                  ("peak@" + k + "[GiB]").c_str());
    }
    std::printf("\n");
    for (const auto& r : rows) {
      std::printf("%-24s %10.1f %14.2f", r.label.c_str(), static_cast<double>(r.parameters) / 1e6, r.prefill_ms);
      for (size_t i = 0; i < r.decode.size(); ++i)
        std::printf(" %16.3f %16.1f %14.2f", r.decode[i].decode_ms, static_cast<double>(r.cache_formula[i]) / (1 << 20),
                    static_cast<double>(r.decode[i].peak_bytes) / (1 << 30));
      std::printf("\n");
    }
    for (size_t i = 0; i < o.contexts.size(); ++i) {
      const auto k = std::to_string(o.contexts[i]);
      std::printf("at %s: cache formula %s\n", k.c_str(),
                  order_by(rows, [i](const Row& r) { return static_cast<double>(r.cache_formula[i]); }).c_str());
      std::printf("at %s: decode latency %s\n", k.c_str(),
                  order_by(rows, [i](const Row& r) { return r.decode[i].decode_ms; }).c_str());
      std::printf("at %s: peak memory    %s\n", k.c_str(),
                  order_by(rows, [i](const Row& r) { return static_cast<double>(r.decode[i].peak_bytes); }).c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star bench inference: %s\n", e.what());
    return 2;
  }
}

void add_bench_inference_command(CLI::App& bench, app::Subcommands& out) {
  auto o = std::make_shared<BenchInferenceOptions>();
  auto* cmd = bench.add_subcommand(
      "inference", "Time incremental inference: prefill, decode per token at each context, peak memory");
  cmd->add_option("--genome", o->genomes, "Genome text, or label=text; repeat for several (each a motif repeated to --depth)")
      ->required();
  cmd->add_option("--depth", o->depth, "LIVs (default: each genome's)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--width", o->width, "Model width")->check(CLI::PositiveNumber);
  cmd->add_option("--heads", o->heads, "Attention heads")->check(CLI::PositiveNumber);
  cmd->add_option("--mlp-ratio", o->mlp_ratio, "SwiGLU hidden width over width (default 8/3: Transformer++)")
      ->check(app::number_in(0.01, 64.0));
  cmd->add_option("--vocab", o->vocab, "Vocabulary size")->check(CLI::Range(2, 1 << 24));
  cmd->add_option("--prompt", o->prompt, "Tokens of the timed prefill")->check(CLI::PositiveNumber);
  cmd->add_option("--contexts", o->contexts, "Tokens in the cache for the timed decode steps, e.g. 4096,32768")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cmd->add_option("--batch", o->batch, "Sequences decoded together")->check(CLI::PositiveNumber);
  cmd->add_option("--repeats", o->repeats, "Timed repeats (the median is printed)")->check(CLI::PositiveNumber);
  cmd->add_option("--warmup", o->warmup, "Untimed repeats first")->check(CLI::NonNegativeNumber);
  cmd->add_option("--device", o->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--precision", o->precision, "auto (bf16 on a GPU), bf16 or fp32")
      ->check(CLI::IsMember({"auto", "bf16", "fp32"}));
  cmd->add_option("--kernels", o->kernels, "kokkos or torch (the prefill's LIV hot paths)")
      ->check(CLI::IsMember({"kokkos", "torch"}));
  out.push_back({cmd, [o](int*, char***) { return run_bench_inference(*o); }});
}

}  // namespace star::bench
