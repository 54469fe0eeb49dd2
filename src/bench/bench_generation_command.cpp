// One generation of a search, timed: generation 0's candidates of the configuration (its initial
// genomes, the rest sampled), longest first, handed out by the search's own work queue to the
// ranks' groups, each trained as `star evolve` trains it (evaluate_genome's training_job). Each
// training's host timeline comes from the trainer's hooks: the model build ends when step 0
// starts; a step ends when its loss is read; the steady step time is the median over the second
// half of the steps; the warm-up is what the steps took beyond steps x the steady time (eager
// steps, capture, first launches); the evaluation runs from the last step's loss to the end.
// The GPU's busy time is recorded by the profiler (GPU activity only, so the host runs at full
// speed), one recording per rank over the whole generation: it starts before and stops after the
// timed stretch, since starting and stopping the profiler costs seconds (per training, that cost
// halved a one-rank generation's busy fraction). The intervals from every rank are joined on
// rank 0; a training's own busy share is its rank's intervals over its wall time.
#include "bench/bench_generation_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/cli_checks.hpp"
#include "app/compute_setup.hpp"
#include "app/evaluate_genome.hpp"
#include "app/generation_plan.hpp"
#include "bench/busy_intervals.hpp"
#include "bench/kernel_profile.hpp"
#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/work_queue.hpp"
#include "genome/random.hpp"
#include "search/selection.hpp"

namespace star::bench {

using namespace star::app;  // the search's own pieces, timed here
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int64_t unix_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One training's timeline. Sent to rank 0 as kFields doubles.
struct TrainingTiming {
  double candidate = 0, task = 0, rank = 0, status = 0, mode = 0;  // mode: StepNotice::Mode
  double steps = 0, tokens = 0;
  double wall = 0, build = 0, warmup = 0, step = 0, evaluation = 0;
  double busy_ns = -1;  // this process's GPU busy time during the training; -1: not recorded
  double from_ns = 0, to_ns = 0;  // the training's wall time on the system clock
  static constexpr int kFields = 15;
  void write(std::vector<double>& out) const {
    out.insert(out.end(), {candidate, task, rank, status, mode, steps, tokens, wall, build, warmup, step, evaluation,
                           busy_ns, from_ns, to_ns});
  }
  static TrainingTiming read(const double* v) {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  }
  double overhead() const { return build + warmup + evaluation; }
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

TrainingTiming timed_training(const genome::Genome& genome, const std::string& text, int candidate, int task_index,
                              const EvaluationContext& ctx) {
  const auto& task = ctx.config->tasks[task_index];
  auto job = training_job(genome, text, task, (*ctx.data)[task_index], ctx);
  Clock::time_point first_step;
  bool started = false;
  std::vector<double> step_ends;  // seconds since the first step started
  auto mode = train::StepNotice::Mode::eager;
  job.before_step = [&](int64_t) {
    if (started) return;
    started = true;
    first_step = Clock::now();
  };
  job.progress_every = 1;
  job.on_progress = [&](const train::TrainProgress&) { step_ends.push_back(since(first_step)); };
  job.on_notice = [&](const train::StepNotice& notice) { mode = notice.mode; };

  TrainingTiming t;
  t.from_ns = static_cast<double>(unix_ns());
  const auto start = Clock::now();
  const auto result = train::train_and_evaluate(job);
  t.wall = since(start);
  t.to_ns = static_cast<double>(unix_ns());
  t.candidate = candidate;
  t.task = task_index;
  t.status = static_cast<double>(result.status);
  t.mode = static_cast<double>(mode);
  t.steps = static_cast<double>(step_ends.size());
  t.tokens = static_cast<double>(result.tokens);
  if (started) {
    t.build = std::chrono::duration<double>(first_step - start).count();
    std::vector<double> second_half;
    for (size_t i = step_ends.size() / 2 + 1; i < step_ends.size(); ++i)
      second_half.push_back(step_ends[i] - step_ends[i - 1]);
    t.step = median(second_half);
    const double stepping = step_ends.empty() ? 0.0 : step_ends.back();
    t.warmup = std::max(0.0, stepping - t.steps * t.step);
    t.evaluation = std::max(0.0, t.wall - t.build - stepping);
  }
  return t;
}

// Every rank's numbers, concatenated on rank 0 (empty elsewhere).
template <typename T>
std::vector<T> gather_on_root(const std::vector<T>& mine, MPI_Datatype type) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(size), offsets(size);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<T> all;
  if (rank == 0) {
    int total = 0;
    for (int r = 0; r < size; ++r) {
      offsets[r] = total;
      total += counts[r];
    }
    all.resize(total);
  }
  MPI_Gatherv(mine.data(), count, type, all.data(), counts.data(), offsets.data(), type, 0, MPI_COMM_WORLD);
  return all;
}

const char* mode_name(double mode) {
  switch (static_cast<train::StepNotice::Mode>(static_cast<int>(mode))) {
    case train::StepNotice::Mode::graph: return "graph";
    case train::StepNotice::Mode::capture_failed: return "eager!";
    default: return "eager";
  }
}

void print_report(const io::Config& config, const std::vector<std::string>& genomes,
                  const std::vector<TrainingTiming>& timings, const std::vector<BusyInterval>& busy,
                  const std::string& not_profiled_because,
                  int64_t window_from, int64_t window_to, double wall, double data_seconds, const cluster::QueueTime& queue,
                  int ranks) {
  std::printf("%4s %4s %6s %6s %8s %8s %8s %8s %8s %10s %6s  %-8s %s\n", "#", "rank", "steps", "mode", "wall s",
              "build s", "warm-up", "eval s", "step ms", "tok/s", "busy", "status", "genome");
  double tokens = 0, overhead = 0, build = 0, warmup = 0, evaluation = 0, candidate_wall = 0;
  for (const auto& t : timings) {
    const std::string label = genomes[static_cast<size_t>(t.candidate)] +
                              (config.task_suite ? " on " + config.tasks[static_cast<size_t>(t.task)].kind : "");
    const double per_step_tokens = t.steps > 0 ? t.tokens / t.steps : 0;
    char busy_text[16] = "-";
    if (t.busy_ns >= 0 && t.wall > 0) std::snprintf(busy_text, sizeof busy_text, "%.0f%%", 100 * t.busy_ns / 1e9 / t.wall);
    std::printf("%4.0f %4.0f %6.0f %6s %8.2f %8.2f %8.2f %8.2f %8.2f %10.0f %6s  %-8s %s\n", t.candidate + 1, t.rank,
                t.steps, mode_name(t.mode), t.wall, t.build, t.warmup, t.evaluation, 1e3 * t.step,
                t.step > 0 ? per_step_tokens / t.step : 0.0, busy_text,
                train::to_string(static_cast<train::EvalStatus>(static_cast<int>(t.status))), label.c_str());
    tokens += t.tokens;
    overhead += t.overhead();
    build += t.build;
    warmup += t.warmup;
    evaluation += t.evaluation;
    candidate_wall += t.wall;
  }
  const double n = std::max<size_t>(1, timings.size());
  std::printf("generation wall time      %.2f s: %zu trainings on %d rank%s in %d group%s\n", wall, timings.size(), ranks,
              ranks == 1 ? "" : "s", queue.groups, queue.groups == 1 ? "" : "s");
  if (not_profiled_because.empty()) {
    const double window = static_cast<double>(window_to - window_from);
    const double covered = static_cast<double>(covered_ns(busy, window_from, window_to));
    std::printf("GPU busy                  %.1f%%  (profiler: the union of every rank's kernel and copy intervals "
                "over the generation's wall time)\n",
                window > 0 ? 100 * covered / window : 0.0);
    // Kineto's GPU timestamps are meant to be on the system clock; where they are not, the union
    // over ranks means nothing, and this says so.
    const double outside = static_cast<double>(covered_ns(busy, 0, window_from - 1000000) +
                                               covered_ns(busy, window_to + 1000000, INT64_MAX));
    if (outside > 0.01 * std::max(1.0, covered + outside))
      std::printf("warning: %.0f%% of the recorded GPU time lies outside the generation's wall time: the profiler's "
                  "clock is not the system clock, and the busy fraction above is wrong\n",
                  100 * outside / (covered + outside));
  } else {
    std::printf("GPU busy                  -  (not recorded: %s)\n", not_profiled_because.c_str());
  }
  std::printf("tokens/s, all candidates  %.0f  (%.4g tokens)\n", wall > 0 ? tokens / wall : 0.0, tokens);
  std::printf("overhead per training     %.2f s mean: build %.2f, warm-up %.2f, evaluation %.2f (%.1f%% of a "
              "training's wall time)\n",
              overhead / n, build / n, warmup / n, evaluation / n, candidate_wall > 0 ? 100 * overhead / candidate_wall : 0.0);
  std::printf("groups idle               %.1f%% of the wall time (the queue's view: waiting for the last genomes)\n",
              100 * queue.idle_fraction());
  std::printf("data preparation          %.2f s on rank 0, once per run (not in the generation's wall time)\n",
              data_seconds);
}

}  // namespace

int run_bench_generation(const BenchGenerationOptions& o, int* argc, char*** argv) {
  cluster::MpiWorld world(argc, argv);
  const bool root = world.rank() == 0;
  io::Config config;
  try {
    config = io::load_config(o.config_path);
    if (o.genomes > 0) config.evolution.population = o.genomes;
    if (o.tokens > 0) {
      config.train.token_budget = o.tokens;
      if (const auto problem = io::token_budget_problem(config); !problem.empty())
        throw std::invalid_argument("--tokens: " + problem);
    }
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "star bench generation: %s\n", e.what());
    return 2;
  }

  auto groups = cluster::split_into_groups(config.dist.ranks_per_group);
  struct FreeGroups {
    cluster::RankGroups& g;
    ~FreeGroups() { cluster::free_groups(g); }
  } free_at_exit{groups};
  try {
    if (groups.group_count > 1 && !world.thread_multiple())
      throw std::runtime_error("this MPI library does not provide MPI_THREAD_MULTIPLE, which several rank groups need");
    const auto compute = setup_compute(config.run, groups.node_rank, groups.node_size);
    // Why the GPU's busy time is not recorded; empty when it is.
    const std::string not_profiled_because = o.profile == "off"            ? "--profile off"
                                             : !KernelProfile::available() ? "this build cannot record CUDA kernels"
                                             : !compute.device.is_cuda()   ? "training on the CPU"
                                                                           : "";
    const bool profile = not_profiled_because.empty();

    genome::Rng rng;
    rng.seed(config.run.seed);
    const auto genomes = longest_first(search::initial_candidates(config, rng), config);
    const auto data_start = Clock::now();
    std::vector<train::TaskData> data;
    for (const auto& task : config.tasks) data.push_back(train::make_task(task));
    const double data_seconds = since(data_start);
    const auto reducer = cluster::make_gradient_reducer(groups.group_comm, groups.group_size, compute.device);

    const auto ctx = evaluation_context(config, data, compute.device, reducer.get(), groups.group);
    if (root)
      std::printf("star bench generation %s: %zu genomes, %lld tokens each, on %d ranks in %d group%s, %s per rank%s\n",
                  config.source.c_str(), genomes.size(), static_cast<long long>(config.train.token_budget),
                  groups.world_size, groups.group_count, groups.group_count == 1 ? "" : "s", compute.describe().c_str(),
                  profile ? "; GPU activity recorded by the profiler" : "");

    std::vector<TrainingTiming> mine;
    KernelProfile profiler;
    if (profile) profiler.start(false);
    MPI_Barrier(MPI_COMM_WORLD);
    const int64_t window_from = unix_ns();
    const auto start = Clock::now();
    cluster::QueueTime queue;
    cluster::evaluate_all(
        groups, static_cast<int>(genomes.size()),
        [&](const cluster::Work& w) {
          const int i = w.id;
          const auto genome = genome::parse_genome(genomes[i]);
          train::EvalResult last;
          for (size_t task = 0; task < config.tasks.size(); ++task) {
            auto t = timed_training(genome, genomes[i], i, static_cast<int>(task), ctx);
            t.rank = world.rank();
            if (groups.leader()) mine.push_back(t);
            last.status = static_cast<train::EvalStatus>(static_cast<int>(t.status));
          }
          return last;
        },
        {}, &queue);
    MPI_Barrier(MPI_COMM_WORLD);
    const double wall = since(start);
    const int64_t window_to = unix_ns();

    std::vector<BusyInterval> busy;
    if (profile) busy = profiler.stop_gpu_intervals();
    std::vector<double> numbers;
    for (auto& t : mine) {
      if (profile) t.busy_ns = static_cast<double>(covered_ns(busy, static_cast<int64_t>(t.from_ns), static_cast<int64_t>(t.to_ns)));
      t.write(numbers);
    }
    const auto timings_flat = gather_on_root(numbers, MPI_DOUBLE);
    const auto busy_flat = gather_on_root(flatten(busy), MPI_INT64_T);
    if (root) {
      std::vector<TrainingTiming> timings;
      for (size_t k = 0; k + TrainingTiming::kFields <= timings_flat.size(); k += TrainingTiming::kFields)
        timings.push_back(TrainingTiming::read(&timings_flat[k]));
      std::sort(timings.begin(), timings.end(), [](const TrainingTiming& a, const TrainingTiming& b) {
        return a.candidate != b.candidate ? a.candidate < b.candidate : a.task < b.task;
      });
      print_report(config, genomes, timings, merge_intervals(unflatten(busy_flat)), not_profiled_because, window_from,
                   window_to, wall, data_seconds, queue, groups.world_size);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star bench generation: rank %d: %s\n", world.rank(), e.what());
    std::fflush(stderr);
    if (world.size() > 1) cluster::MpiWorld::abort(3);
    return 3;
  }
  std::fflush(stdout);
  return 0;
}

void add_bench_generation_command(CLI::App& bench, app::Subcommands& out) {
  auto o = std::make_shared<BenchGenerationOptions>();
  auto* cmd = bench.add_subcommand(
      "generation", "Train one generation of a configuration's search on this node's ranks (mpirun -np K): wall "
                    "time, GPU busy fraction, tokens/s over all candidates, overhead per candidate");
  cmd->add_option("config", o->config_path, "Run configuration (TOML), e.g. inputs/star_lm.toml")->required();
  cmd->add_option("--genomes", o->genomes, "Candidates (default: [evolution] population)")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--tokens", o->tokens, "Tokens per training (default: [train] token_budget)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--profile", o->profile, "auto (the GPU busy fraction, on a CUDA build) or off")
      ->check(CLI::IsMember({"auto", "off"}));
  out.push_back({cmd, [o](int* argc, char*** argv) { return run_bench_generation(*o, argc, argv); }});
}

}  // namespace star::bench
