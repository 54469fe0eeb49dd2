#include "app/evolve_command.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "app/compute_setup.hpp"
#include "app/evaluate_genome.hpp"
#include "app/generation_plan.hpp"
#include "app/report.hpp"
#include "app/run_directory.hpp"
#include "app/steady_state_run.hpp"
#include "cluster/generation_broadcast.hpp"
#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/stop_request.hpp"
#include "cluster/work_queue.hpp"
#include "io/atomic_file.hpp"
#include "io/journal.hpp"
#include "io/results_file.hpp"
#include "search/generational_search.hpp"
#include "search/steady_state_search.hpp"

namespace star::app {
namespace {

using Clock = std::chrono::steady_clock;

struct RunContext {
  const cluster::RankGroups* groups = nullptr;
  const EvaluationContext* eval = nullptr;
  cluster::StopCoordinator* stop = nullptr;
  std::unique_ptr<io::JournalWriter> journal;  // group leaders only
  cluster::QueueTime time;                        // rank 0: the groups' time over all generations
  train::HurdleBoard* hurdles = nullptr;       // rank 0, with [train] hurdles: the run's losses there
};

// Every rank takes part in training an announced generation's genomes. A group leader journals
// each result it finishes before rank 0 hears of it.
std::vector<train::EvalResult> evaluate_generation(RunContext& run, const cluster::GenerationAnnouncement& announced) {
  const int generation = announced.generation;
  const auto& genomes = announced.genomes;
  // A rank that gets no genome never reaches a training step: it reports its signal here.
  run.stop->poll();
  return cluster::evaluate_all(
      *run.groups, static_cast<int>(genomes.size()),
      [&](const cluster::Work& w) {
        const auto& genome = genomes[static_cast<size_t>(w.id)];
        auto result = evaluate_genome(genome, *run.eval, w.hurdle_points);
        if (run.journal && result.status != train::EvalStatus::interrupted)
          run.journal->append({generation, genome, result});
        return result;
      },
      [&] { return run.stop->poll(); }, &run.time, run.hurdles);
}

// Returns the exit status: 0 when the search is complete, kResubmitExitStatus when it stopped
// for a signal.
int run_search(const io::Config& config, io::RunHistory history, RunContext& run) {
  search::GenerationalSearch search(config, std::move(history));
  const std::string& dir = config.run.directory;
  // The losses at the hurdles of every genome trained so far, this run and the runs it resumes.
  auto hurdles = hurdle_board(config, search.history());
  if (!hurdles.empty()) run.hurdles = &hurdles;
  // The search's wall time goes on from where the last checkpoint left it.
  const auto run_start = Clock::now();
  const double elapsed_before =
      search.history().generations.empty() ? 0.0 : search.history().generations.back().elapsed_seconds;
  const std::string results = io::results_path(dir);
  if (search.next_generation() > 0)
    std::printf("resuming %s after generation %d of %d\n", results.c_str(), search.next_generation(),
                config.evolution.generations);
  while (!search.finished() && !run.stop->poll()) {
    const auto start = Clock::now();
    const int generation = search.next_generation();
    const auto candidates = search.draw_candidates();
    auto plan = plan_generation(config, generation, search.untrained(candidates));
    if (!plan.replayed.empty() || plan.ignored_records > 0)
      std::printf("generation %d: %zu finished evaluations replayed from %s (not trained again)%s\n", generation + 1,
                  plan.replayed.size(), io::journal_directory(dir).c_str(),
                  plan.ignored_records > 0
                      ? (", " + std::to_string(plan.ignored_records) + " journal lines ignored").c_str()
                      : "");
    std::fflush(stdout);
    for (const auto& [index, result] : plan.replayed) hurdles.record(result);
    const auto outcomes = evaluate_generation(run, cluster::announce_generation({generation, plan.to_train}));
    auto fresh = plan.replayed;
    int interrupted = 0;
    for (size_t i = 0; i < plan.to_train.size(); ++i) {
      if (outcomes[i].status == train::EvalStatus::interrupted) ++interrupted;
      else fresh[plan.to_train[i]] = outcomes[i];
    }
    if (interrupted > 0) {
      std::printf("generation %d stopped: %zu of %zu evaluations finished and are in the journal, %d to train on "
                  "resume\n",
                  generation + 1, fresh.size(), fresh.size() + interrupted, interrupted);
      break;
    }
    const auto& record = search.complete_generation(
        candidates, fresh, elapsed_before + std::chrono::duration<double>(Clock::now() - run_start).count());
    io::write_results(results, search.history());
    io::prune_journal(dir, search.next_generation());  // those generations are in the checkpoint now
    print_generation(stdout, record, config.evolution.generations, config.evolution.objectives,
                     search.history().hypervolume_reference, static_cast<int>(fresh.size()),
                     search.reused_in_last_generation(), std::chrono::duration<double>(Clock::now() - start).count());
  }
  cluster::announce_generation({});  // the end
  run.hurdles = nullptr;
  print_queue_time(stdout, run.time);
  if (search.finished()) {
    std::printf("search complete: %d generations in %s\n", search.next_generation(), results.c_str());
    return 0;
  }
  std::printf("stopped by a signal: %s holds %d complete generation%s; exit status %d means resubmit: run "
              "`star evolve %s --resume auto` to continue\n",
              results.c_str(), search.next_generation(), search.next_generation() == 1 ? "" : "s",
              cluster::kResubmitExitStatus, config.source.c_str());
  return cluster::kResubmitExitStatus;
}

void serve_search(RunContext& run) {
  for (auto announced = cluster::announce_generation({}); announced.generation >= 0;
       announced = cluster::announce_generation({}))
    evaluate_generation(run, announced);
}

}  // namespace

int run_evolve(const EvolveOptions& options, int* argc, char*** argv) {
  cluster::MpiWorld world(argc, argv);
  cluster::install_stop_signal_handlers();  // after MPI_Init, which may install handlers of its own
  const bool root = world.rank() == 0;

  // Every rank reads the same file, so every rank reaches the same verdict.
  io::Config config;
  try {
    config = io::load_config(options.config_path);
    if (!options.run_dir.empty()) config.run.directory = options.run_dir;
    if (const auto problem = io::inference_device_problem(config, runs_on_gpu(config.run)); !problem.empty())
      throw std::invalid_argument(config.source + ": " + problem);
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "star evolve: %s\n", e.what());
    return 2;
  }

  // Rank 0 holds the run directory's lock until it returns: no second run writes there meanwhile.
  io::RunHistory history;
  std::unique_ptr<io::RunLock> lock;
  int refused = 0;  // the exit status when the run cannot start: 2 bad input or in use, 3 an I/O failure
  if (root) {
    std::string note, problem;
    try {
      lock = lock_run_directory(config, options.resume);
      problem = prepare_run_directory(config, options.resume, history, note);
      if (!problem.empty()) refused = 2;
    } catch (const io::WriteError& e) {
      problem = e.what();
      refused = 3;
    } catch (const std::exception& e) {  // io::RunLockedError, or a directory that cannot be made
      problem = e.what();
      refused = 2;
    }
    if (!note.empty()) std::printf("note: %s\n", note.c_str());
    if (refused) std::fprintf(stderr, "star evolve: %s\n", problem.c_str());
  }
  refused = cluster::broadcast_from_root(refused);
  if (refused) return refused;

  auto groups = cluster::split_into_groups(config.dist.ranks_per_group);
  struct FreeGroups {
    cluster::RankGroups& g;
    ~FreeGroups() { cluster::free_groups(g); }
  } free_at_exit{groups};
  cluster::StopCoordinator stop(MPI_COMM_WORLD);
  int status = 0;
  try {
    if (groups.group_count > 1 && !world.thread_multiple())
      throw std::runtime_error("this MPI library does not provide MPI_THREAD_MULTIPLE, which several rank groups need");
    const auto compute = setup_compute(config.run, groups.node_rank, groups.node_size);
    std::vector<train::TaskData> data;  // every task's data, made once for the whole run
    for (const auto& task : config.tasks) data.push_back(train::make_task(task));
    const auto reducer = cluster::make_gradient_reducer(groups.group_comm, groups.group_size, compute.device);

    auto ctx = evaluation_context(config, data, compute.device, reducer.get(), groups.group);
    ctx.should_stop = [&] { return stop.poll(); };
    if (groups.leader()) ctx.log_prefix = "[group " + std::to_string(groups.group) + "]";

    RunContext run;
    run.groups = &groups;
    run.eval = &ctx;
    run.stop = &stop;
    if (groups.leader()) run.journal = std::make_unique<io::JournalWriter>(config.run.directory, groups.group);

    if (root) {
      std::printf("star evolve %s: %d ranks in %d group%s of up to %d, %s per rank; population %d, %d generations%s\n",
                  config.source.c_str(), groups.world_size, groups.group_count, groups.group_count == 1 ? "" : "s",
                  groups.ranks_per_group, compute.describe().c_str(), config.evolution.population,
                  config.evolution.generations,
                  config.evolution.mode == "steady_state" ? " (steady-state: no generation barrier)" : "");
      std::fflush(stdout);
      if (config.evolution.mode == "steady_state") {
        status = run_steady_state(config, history, groups, ctx, stop, run.journal.get());
      } else {
        status = run_search(config, std::move(history), run);
      }
    } else if (config.evolution.mode == "steady_state") {
      run_steady_state(config, io::RunHistory{}, groups, ctx, stop, run.journal.get());
    } else {
      serve_search(run);
    }
    // Every rank leaves with rank 0's verdict, so mpirun's own exit status is 75 or 0 as well.
    status = cluster::broadcast_from_root(status);
    stop.finish();
  } catch (const search::EventLogMismatch& e) {  // rank 0, before any work was handed out
    std::fprintf(stderr, "star evolve: %s\n", e.what());
    std::fflush(stderr);
    if (world.size() > 1) cluster::MpiWorld::abort(2);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star evolve: rank %d: %s\n", world.rank(), e.what());
    std::fflush(stderr);
    if (world.size() > 1) cluster::MpiWorld::abort(3);
    return 3;
  }
  std::fflush(stdout);
  return status;
}

void add_evolve_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<EvolveOptions>();
  auto resume = std::make_shared<std::string>();
  auto* cmd = star.add_subcommand("evolve", "Evolve a population of genomes (run under mpirun or srun)");
  cmd->add_option("config", o->config_path, "Run configuration (TOML), e.g. inputs/quickstart.toml")->required();
  auto* resume_opt = cmd->add_option("--resume", *resume,
                                     "Continue the run from its last complete generation and its journal; "
                                     "`--resume auto` starts a new run when there is nothing to continue")
                         ->expected(0, 1)
                         ->check(CLI::IsMember({"auto"}));
  cmd->add_option("--run-dir", o->run_dir, "Run directory (overrides [run] directory)");
  out.push_back({cmd, [o, resume, resume_opt](int* argc, char*** argv) {
                   if (*resume_opt) o->resume = *resume == "auto" ? ResumeMode::automatic : ResumeMode::strict;
                   return run_evolve(*o, argc, argv);
                 }});
}

}  // namespace star::app
