#include "app/retrain_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/compute_setup.hpp"
#include "app/evaluate_genome.hpp"
#include "app/saved_training.hpp"
#include "app/train_checkpoint.hpp"
#include "cluster/generation_broadcast.hpp"
#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/stop_request.hpp"
#include "core/derived_seed.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "io/results_file.hpp"
#include "io/retrain_file.hpp"
#include "io/run_lock.hpp"
#include "model/backbone.hpp"
#include "model/model_metrics.hpp"
#include "train/token_shards.hpp"

namespace star::app {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The pool of training windows is held in memory (16 bytes a token): at most this many windows.
constexpr int64_t kMaxPoolWindows = 1 << 16;

// Everything the retraining needs, decided before any GPU time is spent.
struct Plan {
  io::Config config;  // one task; token budget and pool already scaled
  io::RetrainRecord record;
  std::string out_dir, file;
};

io::RunHistory read_search(const std::string& results, std::string* path) {
  if (fs::is_directory(results)) {
    std::string note;
    auto history = io::read_latest_results(results, &note);
    if (!note.empty()) std::fprintf(stderr, "star retrain: %s\n", note.c_str());
    *path = io::results_path(results);
    return history;
  }
  *path = results;
  return io::read_results(results);
}

// The search's loss of a genome: from the generation that last trained it; NaN when none did.
double search_loss(const io::RunHistory& history, const std::string& genome) {
  for (auto g = history.generations.rbegin(); g != history.generations.rend(); ++g)
    for (const auto& p : g->evaluated)
      if (p.genome == genome && p.result.status == train::EvalStatus::ok) return p.result.loss;
  return kNaN;
}

// The final population's feasible genomes, by front and then loss: the first `top`.
std::vector<io::RetrainEntry> front_entries(const io::RunHistory& history, int top) {
  std::vector<const io::Individual*> ok;
  for (const auto& p : history.generations.back().population)
    if (p.result.status == train::EvalStatus::ok) ok.push_back(&p);
  std::stable_sort(ok.begin(), ok.end(), [](const io::Individual* a, const io::Individual* b) {
    return a->front_rank != b->front_rank ? a->front_rank < b->front_rank : a->result.loss < b->result.loss;
  });
  std::vector<io::RetrainEntry> out;
  for (const auto* p : ok) {
    if (static_cast<int>(out.size()) == top) break;
    io::RetrainEntry e;
    e.name = "front-" + std::to_string(out.size() + 1);
    e.role = "front";
    e.genome = p->genome;
    e.front_rank = p->front_rank;
    e.search_loss = p->result.loss;
    out.push_back(e);
  }
  return out;
}

// Adds each baseline (NAME=GENOME, or GENOME named baseline-N) to `entries`; one already there
// (a baseline on the front) is trained once, under the baseline's name.
void add_baselines(const std::vector<std::string>& specs, const io::Config& config, const io::RunHistory& history,
                   std::vector<io::RetrainEntry>& entries) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto eq = specs[i].find('=');
    const std::string name = eq == std::string::npos ? "baseline-" + std::to_string(i + 1) : specs[i].substr(0, eq);
    const std::string text = eq == std::string::npos ? specs[i] : specs[i].substr(eq + 1);
    if (name.empty() || name.find_first_of(" \t/") != std::string::npos)
      throw std::invalid_argument("--baseline " + specs[i] + ": the name before '=' must be a word without spaces or '/'");
    const std::string genome = genome::to_text(trainable_genome(text, config));
    auto same = std::find_if(entries.begin(), entries.end(), [&](const io::RetrainEntry& e) { return e.genome == genome; });
    if (same != entries.end()) {
      if (same->role != "front") throw std::invalid_argument("--baseline " + specs[i] + ": that genome is listed twice");
      same->name = name;
      same->role = "front+baseline";
      continue;
    }
    io::RetrainEntry e;
    e.name = name;
    e.role = "baseline";
    e.genome = genome;
    for (const auto& p : history.generations.back().population)
      if (p.genome == genome) e.front_rank = p.front_rank;
    e.search_loss = search_loss(history, genome);
    entries.push_back(e);
  }
}

Plan make_plan(const RetrainOptions& o) {
  Plan plan;
  std::string results;
  const auto history = read_search(o.results, &results);
  if (history.generations.empty()) throw std::invalid_argument(results + " holds no complete generation yet");
  auto& config = plan.config;
  config = io::parse_config(history.config_text, results + " (its /config)");
  const train::TaskConfig picked = io::pick_task(config, o.task);
  config.tasks = {picked};
  config.model = io::task_model(config, picked);
  auto& task = config.tasks.front();
  auto& r = plan.record;
  r.results = results;
  r.config_text = history.config_text;
  r.top_k = o.top;
  r.budget_factor = o.budget_factor;
  const double budget = std::round(static_cast<double>(config.train.token_budget) * o.budget_factor);
  if (!(budget >= 1 && budget < 1e15))
    throw std::invalid_argument("--budget-factor " + std::to_string(o.budget_factor) + " gives a token budget of " +
                                std::to_string(budget));
  config.train.token_budget = static_cast<int64_t>(budget);
  r.token_budget = config.train.token_budget;
  r.seq_len = task.seq_len;
  // A longer training draws from a larger pool, so it does not see the same windows again.
  task.train_examples =
      std::max(task.train_examples, std::min(kMaxPoolWindows, r.token_budget / std::max<int64_t>(1, task.seq_len)));
  if (!o.heldout.empty() && task.kind != "shards")
    throw std::invalid_argument("--heldout takes token shards, but the search's task is " + task.kind);
  r.heldout = task.kind != "shards" ? "(the task's held-out set)" : o.heldout.empty() ? task.val_shards : o.heldout;
  r.heldout_windows = o.heldout_windows > 0 ? o.heldout_windows : task.test_examples;
  if (task.kind == "shards") train::shard_paths(r.heldout);  // throws when nothing matches
  r.cache_bytes_per_value = config.metrics.cache_bytes_per_value;
  r.genomes = front_entries(history, o.top);
  std::vector<std::string> baselines = o.baselines;
  if (baselines.empty())
    for (size_t i = 0; i < config.evolution.initial_genomes.size(); ++i)
      baselines.push_back("initial-" + std::to_string(i + 1) + "=" + config.evolution.initial_genomes[i]);
  add_baselines(baselines, config, history, r.genomes);
  if (r.genomes.empty()) throw std::invalid_argument(results + ": the final population has no trained genome and no baseline was given");
  // Every genome's first training, then every genome's second, ...: a retraining stopped early
  // holds whole rounds.
  r.seeds = o.seeds;
  const auto genomes = r.genomes;
  for (int seed = 2; seed <= o.seeds; ++seed)
    for (auto e : genomes) {
      e.seed = seed;
      r.genomes.push_back(e);
    }
  plan.out_dir = o.out_dir.empty() ? (fs::path(results).parent_path() / "retrain").string() : o.out_dir;
  plan.file = (fs::path(plan.out_dir) / "retrain.h5").string();
  return plan;
}

// The held-out set every genome is scored on: the same windows for all.
train::TaskData retrain_data(const Plan& plan) {
  const auto& task = plan.config.task();
  auto data = train::make_task(task);
  if (task.kind == "shards")
    data.test = train::sample_windows(plan.record.heldout, plan.record.heldout_windows, task.seq_len, task.vocab_size,
                                      train::derived_seed(task.seed, "retrain held-out"));
  return data;
}

int64_t cache_at(const model::Backbone& net, int64_t length, int64_t bytes_per_value) {
  return model::summarize(net, length, bytes_per_value).cache_bytes;
}

std::string cache_column(int64_t length) { return "cache@" + std::to_string(length); }

// A training's name in the log: the genome's, with its seed when there are several.
std::string entry_name(const io::RetrainEntry& e, const io::RetrainRecord& r) {
  return r.seeds > 1 ? e.name + " seed " + std::to_string(e.seed) : e.name;
}

// Where a training keeps its checkpoints: the genome's folder (seed 1, as before seeds existed),
// or <genome>.seed-<k>.
std::string checkpoint_folder(const io::RetrainEntry& e) {
  return e.seed > 1 ? e.genome + ".seed-" + std::to_string(e.seed) : e.genome;
}

// Each genome's held-out loss over its finished trainings: mean, lowest, highest, how many.
struct SeedSummary {
  const io::RetrainEntry* first = nullptr;  // the genome's seed-1 row (name, role, sizes)
  double mean = 0, low = 0, high = 0;
  int finished = 0;
};

std::vector<SeedSummary> summarize_seeds(const io::RetrainRecord& r) {
  std::vector<SeedSummary> out;
  for (const auto& e : r.genomes) {
    if (e.seed == 1) out.push_back({&e});
    if (e.pending || e.result.status != train::EvalStatus::ok) continue;
    for (auto& s : out)
      if (s.first->name == e.name) {
        const double loss = e.result.loss;
        s.low = s.finished ? std::min(s.low, loss) : loss;
        s.high = s.finished ? std::max(s.high, loss) : loss;
        s.mean = (s.mean * s.finished + loss) / (s.finished + 1);
        ++s.finished;
      }
  }
  return out;
}

// With several seeds: each genome's mean held-out loss, its range, and the change of the mean
// against the reference's mean.
void print_seed_means(const io::RetrainRecord& r, const std::string& reference) {
  const auto summaries = summarize_seeds(r);
  const SeedSummary* ref = nullptr;
  for (const auto& s : summaries)
    if (s.first->name == reference && s.finished > 0) ref = &s;
  std::printf("\nheld-out loss over %lld seeds:\n%-16s %-14s %6s %8s %17s %8s %8s  %s\n", static_cast<long long>(r.seeds),
              "name", "role", "seeds", "mean", "lowest..highest", "d mean", "d cache", "genome");
  for (const auto& s : summaries) {
    char mean[32] = "-", range[40] = "-", delta_loss[32] = "-", delta_cache[32] = "-";
    if (s.finished > 0) {
      std::snprintf(mean, sizeof mean, "%.4f", s.mean);
      std::snprintf(range, sizeof range, "%.4f..%.4f", s.low, s.high);
    }
    if (s.finished > 0 && ref) {
      std::snprintf(delta_loss, sizeof delta_loss, "%+.1f%%", 100.0 * (s.mean / ref->mean - 1));
      if (ref->first->cache_bytes_short > 0)
        std::snprintf(delta_cache, sizeof delta_cache, "%+.0f%%",
                      100.0 * (static_cast<double>(s.first->cache_bytes_short) / ref->first->cache_bytes_short - 1));
    }
    std::printf("%-16s %-14s %6d %8s %17s %8s %8s  %s\n", s.first->name.c_str(), s.first->role.c_str(), s.finished,
                mean, range, delta_loss, delta_cache, s.first->genome.c_str());
  }
}

// The table of every genome, with its change against the first baseline that trained.
void print_summary(const io::RetrainRecord& r) {
  const io::RetrainEntry* reference = nullptr;
  for (const auto& e : r.genomes)
    if (e.role != "front" && !e.pending && e.result.status == train::EvalStatus::ok) {
      reference = &e;
      break;
    }
  std::printf("\n%-16s %4s %-14s %8s %8s %7s %11s %12s %12s %8s %8s  %s\n", "name", "seed", "role", "search", "held-out", "bits",
              "params", cache_column(r.cache_lengths[0]).c_str(), cache_column(r.cache_lengths[1]).c_str(), "d loss",
              "d cache", "genome");
  for (const auto& e : r.genomes) {
    const bool ok = !e.pending && e.result.status == train::EvalStatus::ok;
    char loss[32], bits[32] = "-", delta_loss[32] = "-", delta_cache[32] = "-";
    std::snprintf(loss, sizeof loss, "%s", e.pending ? "pending" : train::to_string(e.result.status));
    if (ok) {
      std::snprintf(loss, sizeof loss, "%.4f", e.result.loss);
      std::snprintf(bits, sizeof bits, "%.4f", e.result.loss / std::log(2.0));
    }
    if (ok && reference) {
      std::snprintf(delta_loss, sizeof delta_loss, "%+.1f%%", 100.0 * (e.result.loss / reference->result.loss - 1));
      if (reference->cache_bytes_short > 0)
        std::snprintf(delta_cache, sizeof delta_cache, "%+.0f%%",
                      100.0 * (static_cast<double>(e.cache_bytes_short) / reference->cache_bytes_short - 1));
    }
    std::printf("%-16s %4d %-14s %8.4f %8s %7s %11lld %12lld %12lld %8s %8s  %s\n", e.name.c_str(), e.seed, e.role.c_str(),
                e.search_loss, loss, bits, static_cast<long long>(e.result.parameters),
                static_cast<long long>(e.cache_bytes_short), static_cast<long long>(e.cache_bytes_long), delta_loss,
                delta_cache, e.genome.c_str());
  }
  if (reference)
    std::printf("d loss, d cache: against %s (held-out loss; cache at %lld tokens, bytes per sequence)\n",
                reference->name.c_str(), static_cast<long long>(r.cache_lengths[0]));
  if (r.seeds > 1 && reference) print_seed_means(r, reference->name);
}

}  // namespace

int run_retrain(const RetrainOptions& o, int* argc, char*** argv) {
  cluster::MpiWorld world(argc, argv);
  const bool root = world.rank() == 0;
  Plan plan;
  std::unique_ptr<io::RunLock> lock;  // rank 0's, on the output folder, until it returns
  int refused = 0;
  try {
    plan = make_plan(o);
    if (root) {
      fs::create_directories(plan.out_dir);
      lock = std::make_unique<io::RunLock>(plan.out_dir);  // one retraining at a time in a folder
    }
    if (fs::exists(plan.file)) {
      if (!o.resume)
        throw std::invalid_argument(plan.file + " already holds a retraining: add --resume to continue it, or --out");
      auto saved = io::read_retrain(plan.file);
      const std::string differs = saved.difference(plan.record);
      if (!differs.empty())
        throw std::invalid_argument(plan.file + " was started with other settings: " + differs +
                                    " differ; use the same options, or another --out");
      plan.record = std::move(saved);
    }
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "star retrain: %s\n", e.what());
    refused = 2;
  }
  // Every rank leaves when any is refused (rank 0 alone holds the lock).
  MPI_Allreduce(MPI_IN_PLACE, &refused, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (refused) return refused;
  auto& record = plan.record;
  // Rank 0 writes the file; every rank learns whether it could (a full disk ends the job, exit 3).
  auto write_record = [&] {
    int failed = 0;
    if (root) try {
        io::write_retrain(plan.file, record);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "star retrain: cannot write %s: %s\n", plan.file.c_str(), e.what());
        failed = 1;
      }
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return failed == 0;
  };

  auto groups = cluster::split_into_groups(world.size());  // every rank trains each genome
  const auto compute = setup_compute(plan.config.run, groups.node_rank, groups.node_size);
  const auto reducer = cluster::make_gradient_reducer(groups.group_comm, groups.group_size, compute.device);
  cluster::install_stop_signal_handlers();
  const auto pending = std::count_if(record.genomes.begin(), record.genomes.end(), [](const auto& e) { return e.pending; });
  const auto data = pending > 0 ? retrain_data(plan) : train::TaskData{};  // nothing to train: no data to read
  // Rank 0 alone looks for the file: a rank that looked itself could find the one rank 0 had just
  // written and skip write_record's collective, and the ranks would hang (seen under load in
  // e2e_retrain_front: no output, no checkpoint).
  const int fresh = cluster::broadcast_from_root(root && !fs::exists(plan.file) ? 1 : 0);
  if (fresh && !write_record()) return 3;
  if (root) {
    std::printf("star retrain %s: %zu genomes (%d to train), %lld tokens each (%g x the search's), %lld steps of "
                "%lld x %lld; held out: %lld windows of %s; %d rank%s, %s; into %s\n",
                record.results.c_str(), record.genomes.size(), static_cast<int>(pending), static_cast<long long>(record.token_budget),
                record.budget_factor, static_cast<long long>(training_steps(plan.config)),
                static_cast<long long>(plan.config.train.batch_size), static_cast<long long>(record.seq_len),
                static_cast<long long>(record.heldout_windows), record.heldout.c_str(), world.size(),
                world.size() == 1 ? "" : "s", compute.describe().c_str(), plan.file.c_str());
    if (record.heldout == plan.config.task().val_shards)
      std::printf("note: the held-out windows come from the split the search selected on ([task] val_shards); "
                  "--heldout with a test split (star data encode-bytes --test-fraction) judges without that bias\n");
  }

  int status = 0;
  for (size_t i = 0; i < record.genomes.size(); ++i) {
    auto& e = record.genomes[i];
    if (!e.pending) continue;
    const auto genome = genome::parse_genome(e.genome);
    const std::string dir = (fs::path(plan.out_dir) / checkpoint_folder(e)).string();
    const bool resuming = has_train_state(dir);
    TrainState state = resuming ? read_train_state(dir) : new_train_state(plan.config, e.genome, record.results);
    if (!resuming && e.seed > 1) state.seed = train::derived_seed(state.seed, "retrain seed " + std::to_string(e.seed));
    SavedTraining job(plan.config, genome, data, compute, reducer.get(), root, dir, o.save_every);
    job.program = "star retrain";
    job.label = "  [" + std::to_string(i + 1) + "/" + std::to_string(record.genomes.size()) + " " + entry_name(e, record) + "] ";
    if (root) {
      std::printf("retrain %zu/%zu %s (%s, %s, search loss %.4f) %s%s\n", i + 1, record.genomes.size(),
                  entry_name(e, record).c_str(),
                  e.role.c_str(), e.front_rank >= 0 ? ("front " + std::to_string(e.front_rank)).c_str() : "not in the final population",
                  e.search_loss, e.genome.c_str(),
                  state.step > 0 ? (", resuming after step " + std::to_string(state.step)).c_str() : "");
      std::fflush(stdout);
    }
    const auto outcome = train_saved(job, state);
    const auto& result = outcome.result;
    if (!outcome.restore_error.empty()) {
      if (root)
        std::fprintf(stderr, "star retrain: cannot continue %s: %s (delete that folder to train the genome from its start)\n",
                     dir.c_str(), outcome.restore_error.c_str());
      status = 2;
      break;
    }
    if (!outcome.save_error.empty()) {
      if (root) std::fprintf(stderr, "star retrain: stopped for the failed save in %s\n", dir.c_str());
      status = 3;
      break;
    }
    if (result.status == train::EvalStatus::interrupted) {
      if (root)
        std::printf("stopped by a signal: %s holds the genomes finished, %s step %lld of %lld of this one; exit "
                    "status %d means resubmit: run the same command with --resume\n",
                    plan.file.c_str(), dir.c_str(), static_cast<long long>(state.step),
                    static_cast<long long>(state.steps), cluster::kResubmitExitStatus);
      status = cluster::kResubmitExitStatus;
      break;
    }
    e.result = result;
    e.pending = false;
    // A genome resumed from its checkpoint counted only the tokens since; it trained them all.
    if (result.status == train::EvalStatus::ok)
      e.result.tokens = state.steps * plan.config.train.batch_size * record.seq_len;
    if (root) {
      model::Backbone net(genome, plan.config.model);  // on the CPU: only its sizes are read
      e.cache_bytes_short = cache_at(net, record.cache_lengths[0], record.cache_bytes_per_value);
      e.cache_bytes_long = cache_at(net, record.cache_lengths[1], record.cache_bytes_per_value);
    }
    if (!write_record()) {
      status = 3;
      break;
    }
    if (root) {
      std::printf("  %s  %s  held-out loss %.4f (%.4f bits/token)  params %lld  cache %lld B at %lld  %.1f s  %.0f "
                  "tok/s%s%s\n",
                  entry_name(e, record).c_str(), train::to_string(result.status), result.loss, result.loss / std::log(2.0),
                  static_cast<long long>(result.parameters), static_cast<long long>(e.cache_bytes_short),
                  static_cast<long long>(record.cache_lengths[0]), result.seconds, result.tokens_per_second,
                  result.message.empty() ? "" : "  ", result.message.c_str());
      std::fflush(stdout);
    }
  }
  if (root && status == 0) {
    print_summary(record);
    std::printf("retraining complete: %s\n", plan.file.c_str());
  }
  cluster::free_groups(groups);
  return status;
}

void add_retrain_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<RetrainOptions>();
  auto* cmd = star.add_subcommand(
      "retrain", "The STAR protocol after a search: retrain the final front's best genomes and the baselines longer "
                 "and score them on held-out text");
  cmd->add_option("results", o->results, "The search's results.h5 (or its run directory)")->required();
  cmd->add_option("--top", o->top, "Genomes of the final front, best held-out loss first (then of the next fronts)")
      ->check(CLI::Range(0, 10000));
  cmd->add_option("--seeds", o->seeds,
                  "Trainings of each genome, each from its own initial weights and batch order; the table adds each "
                  "genome's mean")
      ->check(CLI::Range(1, 16));
  cmd->add_option("--baseline", o->baselines,
                  "NAME=GENOME to retrain beside the front (repeatable; the first is what changes are given against); "
                  "default: the search's [evolution] initial_genomes");
  cmd->add_option("--budget-factor", o->budget_factor, "Token budget per genome, in units of the search's")
      ->check(number_in(0.001, 1e6));
  cmd->add_option("--heldout", o->heldout,
                  "Glob of held-out token shards to score on (default: the task's val_shards, what the search "
                  "selected on)");
  cmd->add_option("--heldout-windows", o->heldout_windows, "Held-out windows (default: [task] test_examples)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 24));
  cmd->add_option("--task", o->task, "The task of a [task] suite to train on (its kind)");
  cmd->add_option("--out", o->out_dir, "Folder for retrain.h5 and each genome's checkpoints (default <run dir>/retrain)");
  cmd->add_option("--save-every", o->save_every, "Steps between each genome's checkpoints")->check(CLI::PositiveNumber);
  cmd->add_flag("--resume", o->resume, "Continue the retraining in the output folder (or start one)");
  out.push_back({cmd, [o](int* argc, char*** argv) { return run_retrain(*o, argc, argv); }});
}

}  // namespace star::app
