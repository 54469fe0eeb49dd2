#include "app/evolve_command.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "app/compute_setup.hpp"
#include "app/evaluate_genome.hpp"
#include "app/report.hpp"
#include "app/run_directory.hpp"
#include "app/search.hpp"
#include "dist/broadcast.hpp"
#include "dist/mpi_gradient_reducer.hpp"
#include "dist/mpi_world.hpp"
#include "dist/work_queue.hpp"
#include "io/results_file.hpp"

namespace star::app {
namespace {

using Clock = std::chrono::steady_clock;
enum Command : int { kStop = 0, kEvaluate = 1 };

// Rank 0 announces each generation's genomes (or the end); every rank takes part in training them.
std::vector<train::EvalResult> evaluate_generation(const dist::RankGroups& groups, std::vector<std::string>& genomes,
                                                   const EvaluationContext& ctx) {
  dist::broadcast_strings(genomes, MPI_COMM_WORLD);
  return dist::evaluate_all(groups, static_cast<int>(genomes.size()),
                            [&](int i) { return evaluate_genome(genomes[i], ctx); });
}

void send_command(int command) { MPI_Bcast(&command, 1, MPI_INT, 0, MPI_COMM_WORLD); }

void run_search(const io::Config& config, io::RunHistory history, const dist::RankGroups& groups,
                const EvaluationContext& ctx) {
  Search search(config, std::move(history));
  const std::string results = io::results_path(config.run.directory);
  if (search.next_generation() > 0)
    std::printf("resuming %s after generation %d of %d\n", results.c_str(), search.next_generation(),
                config.evolution.generations);
  while (!search.finished()) {
    const auto start = Clock::now();
    const auto candidates = search.draw_candidates();
    auto todo = search.untrained(candidates);
    send_command(kEvaluate);
    const auto outcomes = evaluate_generation(groups, todo, ctx);
    std::map<std::string, train::EvalResult> fresh;
    for (size_t i = 0; i < todo.size(); ++i) fresh[todo[i]] = outcomes[i];
    const auto& record = search.complete_generation(candidates, fresh);
    io::write_results(results, search.history());
    print_generation(stdout, record, config.evolution.generations, config.evolution.objectives,
                     static_cast<int>(todo.size()), search.reused_in_last_generation(),
                     std::chrono::duration<double>(Clock::now() - start).count());
  }
  send_command(kStop);
  std::printf("search complete: %d generations in %s\n", search.next_generation(), results.c_str());
}

void serve_search(const dist::RankGroups& groups, const EvaluationContext& ctx) {
  while (true) {
    int command = kStop;
    MPI_Bcast(&command, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (command == kStop) return;
    std::vector<std::string> genomes;
    evaluate_generation(groups, genomes, ctx);
  }
}

}  // namespace

int run_evolve(const EvolveOptions& options, int* argc, char*** argv) {
  dist::MpiWorld world(argc, argv);
  const bool root = world.rank() == 0;

  // Every rank reads the same file, so every rank reaches the same verdict.
  io::Config config;
  try {
    config = io::load_config(options.config_path);
    if (!options.run_dir.empty()) config.run.directory = options.run_dir;
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "star evolve: %s\n", e.what());
    return 2;
  }

  io::RunHistory history;
  int ready = 1;
  if (root) {
    std::string note;
    const std::string problem = prepare_run_directory(config, options.resume, history, note);
    if (!note.empty()) std::printf("note: %s\n", note.c_str());
    if (!problem.empty()) {
      std::fprintf(stderr, "star evolve: %s\n", problem.c_str());
      ready = 0;
    }
  }
  MPI_Bcast(&ready, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ready) return 2;

  auto groups = dist::split_into_groups(config.dist.ranks_per_group);
  struct FreeGroups {
    dist::RankGroups& g;
    ~FreeGroups() { dist::free_groups(g); }
  } free_at_exit{groups};
  try {
    if (groups.group_count > 1 && !world.thread_multiple())
      throw std::runtime_error("this MPI library does not provide MPI_THREAD_MULTIPLE, which several rank groups need");
    const auto compute = setup_compute(config.run, groups.node_rank, groups.node_size);
    const auto data = train::make_task(config.task);
    std::unique_ptr<dist::MpiGradientReducer> reducer;
    if (groups.group_size > 1) reducer = std::make_unique<dist::MpiGradientReducer>(groups.group_comm);

    EvaluationContext ctx;
    ctx.config = &config;
    ctx.data = &data;
    ctx.device = compute.device;
    ctx.reducer = reducer.get();
    if (groups.leader()) ctx.log_prefix = "[group " + std::to_string(groups.group) + "]";

    if (root) {
      std::printf("star evolve %s: %d ranks in %d group%s of up to %d, %s per rank; population %d, %d generations\n",
                  config.source.c_str(), groups.world_size, groups.group_count, groups.group_count == 1 ? "" : "s",
                  groups.ranks_per_group, compute.describe().c_str(), config.evolution.population,
                  config.evolution.generations);
      std::fflush(stdout);
      run_search(config, std::move(history), groups, ctx);
    } else {
      serve_search(groups, ctx);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star evolve: rank %d: %s\n", world.rank(), e.what());
    std::fflush(stderr);
    if (world.size() > 1) dist::MpiWorld::abort(3);
    return 3;
  }
  return 0;
}

}  // namespace star::app
