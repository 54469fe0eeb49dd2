#pragma once
// The run configuration: one TOML file (inputs/*.toml). Every key is checked when the file is
// read, before any training, and a bad one is reported with the file, line, key and problem.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model_config.hpp"
#include "core/train_settings.hpp"
#include "genome/genome_space.hpp"

namespace star::io {

class ConfigError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunSettings {
  std::string name = "run";
  std::string directory;          // where results go; default runs/<name>
  uint64_t seed = 0;              // every random choice of the run derives from it
  std::string device = "auto";    // auto | cpu | cuda
  int threads_per_rank = 0;       // torch CPU threads; 0 = cores / ranks on the node
};

struct EvolutionSettings {
  int population = 16;   // the STAR paper's population and generations
  int generations = 18;
  std::vector<std::string> objectives = {"quality", "params"};  // all minimised
  std::string algorithm = "nsga2";  // nsga2 | ga | firefly
  // generational: each generation waits for all its genomes; steady_state: every result enters
  // the population at once and its group gets a new candidate (search/steady_state_search.hpp).
  std::string mode = "generational";
  std::vector<double> weights;      // ga and firefly fitness, one per objective (default: the first objective alone)
  int elite_count = 1;              // ga and firefly: best parents carried over unchanged
  int tournament_size = 2;
  int crossover_points = 2;
  double mutation_rate = 0.1;
  double firefly_beta0 = 1.0;  // attractiveness at distance 0
  double firefly_gamma = 1.0;  // light absorption (distances are scaled to 0..1)
  double firefly_alpha = 0.1;  // random step, in units of each position's span
  int64_t max_params = 0;       // budget on the parameter count; 0 = none
  int64_t max_cache_bytes = 0;  // budget on the inference cache; 0 = none
  // Budgets on the measured inference objectives (core/objectives.hpp); 0 = none.
  double max_prefill_ms = 0;
  double max_decode_ms = 0;
  int64_t max_inference_bytes = 0;
  std::vector<double> reference_point;  // hypervolume reference; empty = from the first feasible genomes
  std::vector<std::string> initial_genomes;  // seeds for the first population (rest sampled)
};

// The algorithms [evolution] algorithm may name.
const std::vector<std::string>& known_algorithms();

struct DistSettings {
  int ranks_per_group = 1;
};

struct Config {
  std::string source;  // the file it came from, for messages
  std::string text;    // the file's text, stored with the results
  RunSettings run;
  genome::GenomeSpace genome;
  model::ModelConfig model;  // vocab_size: the first task's (task_model gives each task's)
  // What every genome is trained on: the one task of [task] kind, or the members of [task] suite
  // in the order listed (quality is then the mean over them). Never empty.
  std::vector<train::TaskConfig> tasks = {train::TaskConfig{}};
  bool task_suite = false;  // [task] suite (even of one member): per-task seeds, --task in star train
  train::TrainSettings train;
  train::MetricSettings metrics;
  EvolutionSettings evolution;
  DistSettings dist;

  // The first task: the only one of a `kind` configuration. The parameter count and the cache
  // objectives are measured on its model (see README, Tasks and data).
  const train::TaskConfig& task() const { return tasks.front(); }
};

// The model trained on `task`: the configuration's model with the task's vocabulary.
model::ModelConfig task_model(const Config& config, const train::TaskConfig& task);

// The task of `config` that `star train` and `star eval` use: `kind` names a member of the suite
// (or the kind of a `kind` configuration); empty picks the one task of a `kind` configuration.
// Throws ConfigError listing the suite when a suite configuration names none, or an unknown one.
const train::TaskConfig& pick_task(const Config& config, const std::string& kind);

// The objective names a configuration may list.
const std::vector<std::string>& known_objectives();

// Whether the run times inference on its device (train/inference_timing.hpp): an objective or a
// budget of [evolution] is one of the measured inference objectives.
bool measures_inference(const Config& config);
// Why the run cannot measure its inference objectives on `device_is_gpu`'s device, or "" when it
// can ([metrics] inference_requires_gpu refuses a run without a GPU).
std::string inference_device_problem(const Config& config, bool device_is_gpu);

// Why [train] token_budget cannot make one step of one batch on each task, or "" when it can
// (the configuration's check, and a command that changes the budget, say the same).
std::string token_budget_problem(const Config& config);

Config parse_config(const std::string& text, const std::string& source_name);
Config load_config(const std::string& path);  // throws ConfigError (also for a missing file)

}  // namespace star::io
