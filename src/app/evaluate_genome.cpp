#include "app/evaluate_genome.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "core/derived_seed.hpp"
#include "evolve/hurdle_rank.hpp"
#include "genome/genome.hpp"
#include "search/objectives.hpp"
#include "train/suite_result.hpp"

namespace star::app {

uint64_t genome_seed(uint64_t run_seed, const std::string& text) { return train::derived_seed(run_seed, text); }

uint64_t task_training_seed(const io::Config& config, const std::string& text, const train::TaskConfig& task) {
  const uint64_t seed = genome_seed(config.run.seed, text);
  return config.task_suite ? train::derived_seed(seed, task.kind) : seed;
}

EvaluationContext evaluation_context(const io::Config& config, const std::vector<train::TaskData>& data,
                                     torch::Device device, train::GradientReducer* reducer, int group) {
  EvaluationContext ctx;
  ctx.config = &config;
  ctx.data = &data;
  ctx.device = device;
  ctx.reducer = reducer;
  ctx.group = group;
  return ctx;
}

train::TrainJob training_job(const genome::Genome& genome, const std::string& text, const train::TaskConfig& task,
                             const train::TaskData& data, const EvaluationContext& ctx) {
  train::TrainJob job;
  job.genome = &genome;
  job.model = io::task_model(*ctx.config, task);
  job.settings = ctx.config->train;
  job.metrics = ctx.config->metrics;
  // The measured inference objectives are the first task's model's, as the cache is.
  job.measure_inference = io::measures_inference(*ctx.config) && task.kind == ctx.config->task().kind;
  job.data = &data;
  job.device = ctx.device;
  job.seed = task_training_seed(*ctx.config, text, task);
  job.reducer = ctx.reducer;
  job.should_stop = ctx.should_stop;
  return job;
}

namespace {

TrainingHook& training_hook() {
  static TrainingHook hook;
  return hook;
}

// One training of the genome on one task. `label` starts the lines it prints: the genome, and in
// a suite the task.
train::EvalResult train_on_task(const genome::Genome& genome, const std::string& text, const std::string& label,
                                size_t task_index, const EvaluationContext& ctx, const train::HurdlePoints& hurdle_points) {
  const io::Config& config = *ctx.config;
  auto job = training_job(genome, text, config.tasks[task_index], (*ctx.data)[task_index], ctx);
  // The hurdles that fall in this task, at their fractions of its budget (core/hurdles.hpp).
  const auto hurdles = train::task_hurdles(config.train.hurdles, config.tasks.size(), task_index);
  job.settings.hurdles.clear();
  for (const auto& h : hurdles) job.settings.hurdles.push_back({h.fraction, config.train.hurdles[h.index].percentile});
  // Behind at a hurdle: dominated by a point of the front rank 0 handed out for it (hurdle_board).
  if (!hurdles.empty())
    job.behind_hurdle = [&hurdle_points, hurdles, point_of = hurdle_point_of(config)](
                            size_t in_task, double loss, const train::EvalResult& so_far) {
      const size_t hurdle = hurdles[in_task].index;
      return hurdle < hurdle_points.size() && evolve::dominated_by_any(hurdle_points[hurdle], point_of(so_far, loss));
    };
  // A step that could not be captured as a CUDA graph is worth a line: the genome trains slower.
  if (!ctx.log_prefix.empty())
    job.on_notice = [&](const train::StepNotice& notice) {
      if (notice.mode != train::StepNotice::Mode::capture_failed) return;
      std::printf("%s %s  %s\n", ctx.log_prefix.c_str(), label.c_str(), notice.text.c_str());
      std::fflush(stdout);
    };
  // Progress at a steady pace in time, not in steps: genomes differ widely in speed.
  auto last_print = std::chrono::steady_clock::now();
  if (!ctx.log_prefix.empty()) {
    job.progress_every = 1;
    job.on_progress = [&](const train::TrainProgress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_print < std::chrono::seconds(15)) return;
      last_print = now;
      std::printf("%s %s  step %lld/%lld  loss %.4f  %.0f tok/s\n", ctx.log_prefix.c_str(), label.c_str(),
                  static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, p.tokens_per_second);
      std::fflush(stdout);
    };
  }
  if (training_hook()) training_hook()(job, ctx);
  return train::train_and_evaluate(job);
}

void print_result(const EvaluationContext& ctx, const std::string& label, const train::EvalResult& result) {
  if (ctx.log_prefix.empty()) return;
  std::printf("%s %s  %s  loss %.4f  acc %.3f  params %lld  cache %lld B  %.1f s  %.0f tok/s%s%s\n",
              ctx.log_prefix.c_str(), label.c_str(), train::to_string(result.status), result.loss, result.accuracy,
              static_cast<long long>(result.parameters), static_cast<long long>(result.cache_bytes), result.seconds,
              result.tokens_per_second, result.message.empty() ? "" : "  ", result.message.c_str());
  std::fflush(stdout);
}

}  // namespace

void set_training_hook(TrainingHook hook) { training_hook() = std::move(hook); }

train::HurdlePointOf hurdle_point_of(const io::Config& config) {
  return [names = config.evolution.objectives](const train::EvalResult& result, double loss) {
    return search::hurdle_point(result, loss, names);
  };
}

size_t hurdle_quorum(const io::Config& config) {
  return std::max<size_t>(2, (static_cast<size_t>(config.evolution.population) + 1) / 2);
}

train::HurdleBoard hurdle_board(const io::Config& config, const io::RunHistory& history) {
  // A hurdle stops nothing until hurdle_quorum genomes reached it; then a genome takes only the
  // front that decides its verdict (evolve::deciding_front).
  const size_t enough = hurdle_quorum(config);
  const auto handout = [enough](const std::vector<train::HurdlePoint>& reached, double percentile) {
    return reached.size() < enough ? std::vector<train::HurdlePoint>{} : evolve::deciding_front(reached, percentile);
  };
  train::HurdleBoard board(config.train.hurdles, hurdle_point_of(config), handout);
  for (const auto& g : history.generations)
    for (const auto& p : g.evaluated) board.record(p.result);
  return board;
}

train::EvalResult evaluate_genome(const std::string& text, const EvaluationContext& ctx,
                                  const train::HurdlePoints& hurdle_points) {
  const auto genome = genome::parse_genome(text);
  const io::Config& config = *ctx.config;
  if (!config.task_suite) {
    const auto result = train_on_task(genome, text, text, 0, ctx, hurdle_points);
    print_result(ctx, text, result);
    return result;
  }
  // Every task of the suite, trained or not: a task never started counts 0 in the fidelity.
  std::vector<std::string> kinds;
  for (const auto& task : config.tasks) kinds.push_back(task.kind);
  std::vector<train::EvalResult> results;
  for (size_t i = 0; i < config.tasks.size(); ++i) {
    const std::string label = text + " on " + kinds[i];
    results.push_back(train_on_task(genome, text, label, i, ctx, hurdle_points));
    print_result(ctx, label, results.back());
    if (results.back().status != train::EvalStatus::ok) break;  // the genome's result is that task's failure
  }
  const auto result = train::combine_task_results(kinds, results);
  print_result(ctx, text, result);
  return result;
}

}  // namespace star::app
