#include "app/evaluate_genome.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "genome/genome.hpp"
#include "train/trainer.hpp"

namespace star::app {

uint64_t genome_seed(uint64_t run_seed, const std::string& text) {
  uint64_t h = 1469598103934665603ULL ^ (run_seed * 0x9e3779b97f4a7c15ULL);  // FNV-1a, keyed by the run seed
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h & 0x7fffffffffffffffULL;  // torch seeds are signed-safe this way
}

train::EvalResult evaluate_genome(const std::string& text, const EvaluationContext& ctx) {
  const auto genome = genome::parse_genome(text);
  train::TrainJob job;
  job.genome = &genome;
  job.model = ctx.config->model;
  job.settings = ctx.config->train;
  job.metrics = ctx.config->metrics;
  job.data = ctx.data;
  job.device = ctx.device;
  job.seed = genome_seed(ctx.config->run.seed, text);
  job.reducer = ctx.reducer;
  job.should_stop = ctx.should_stop;
  // Progress at a steady pace in time, not in steps: genomes differ widely in speed.
  auto last_print = std::chrono::steady_clock::now();
  if (!ctx.log_prefix.empty()) {
    job.progress_every = 1;
    job.on_progress = [&](const train::TrainProgress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_print < std::chrono::seconds(15)) return;
      last_print = now;
      std::printf("%s %s  step %lld/%lld  loss %.4f  %.0f tok/s\n", ctx.log_prefix.c_str(), text.c_str(),
                  static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, p.tokens_per_second);
      std::fflush(stdout);
    };
  }
  if (const char* fail_group = std::getenv("STAR_TEST_FAIL_GROUP"); fail_group && std::atoi(fail_group) == ctx.group) {
    job.progress_every = 1;
    job.on_progress = [&](const train::TrainProgress&) {
      throw std::runtime_error("injected failure in group " + std::to_string(ctx.group) + " (STAR_TEST_FAIL_GROUP)");
    };
  }
  const auto result = train::train_and_evaluate(job);
  if (!ctx.log_prefix.empty()) {
    std::printf("%s %s  %s  loss %.4f  acc %.3f  params %lld  cache %lld B  %.1f s  %.0f tok/s%s%s\n",
                ctx.log_prefix.c_str(), text.c_str(), train::to_string(result.status), result.loss, result.accuracy,
                static_cast<long long>(result.parameters), static_cast<long long>(result.cache_bytes), result.seconds,
                result.tokens_per_second, result.message.empty() ? "" : "  ", result.message.c_str());
    std::fflush(stdout);
  }
  return result;
}

}  // namespace star::app
