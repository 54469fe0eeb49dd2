#include "app/check_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "app/evaluate_genome.hpp"
#include "data/token_shard.hpp"
#include "io/config.hpp"
#include "io/config_schema.hpp"
#include "io/results_file.hpp"

namespace star::app {

int run_check(const CheckOptions& options) {
  if (options.explain) {
    std::fputs(io::config_reference().c_str(), stdout);
    if (options.config_path.empty()) return 0;
  }
  if (options.config_path.empty()) {
    std::fprintf(stderr, "star check: give a configuration file (or --explain for the reference of every key)\n");
    return 2;
  }
  io::Config config;
  try {
    config = io::load_config(options.config_path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star check: %s\n", e.what());
    return 2;
  }
  // load_config opened every shard (headers, lengths); every token of every shard is checked here.
  try {
    for (const auto& task : config.tasks) {
      if (task.kind != "shards") continue;
      const std::pair<const char*, std::string> sets[] = {{"train_shards", task.train_shards},
                                                          {"val_shards", task.val_shards}};
      for (const auto& [key, pattern] : sets)
        if (const auto bad = train::first_out_of_vocabulary(pattern, task.vocab_size)) {
          std::fprintf(stderr,
                       "star check: %s: [task] %s: %s: token %u at token %lld (byte offset %lld) is not below the "
                       "vocabulary size %lld ([task] vocab_size)\n",
                       config.source.c_str(), key, bad->path.c_str(), static_cast<unsigned>(bad->token),
                       static_cast<long long>(bad->index),
                       static_cast<long long>(train::kShardHeaderInts * 4 + 2 * bad->index),
                       static_cast<long long>(task.vocab_size));
          return 2;
        }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star check: %s: [task] %s\n", config.source.c_str(), e.what());
    return 2;
  }
  if (!options.run_dir.empty()) config.run.directory = options.run_dir;
  if (options.print_run_dir) {
    std::printf("%s\n", config.run.directory.c_str());
    return 0;
  }
  std::printf("%s: ok\n", config.source.c_str());
  std::printf("  run directory  %s (%s)\n", config.run.directory.c_str(),
              io::has_results(config.run.directory) ? "holds results: --resume continues them" : "no results yet");
  std::printf("  search         %s, depth %d, population %d, %d generations\n", config.evolution.algorithm.c_str(),
              config.genome.depth, config.evolution.population, config.evolution.generations);
  // load_config checked every task's sizes (core/task_sizes.hpp), so the sizes of each fit together.
  for (const auto& task : config.tasks)
    std::printf("  %-14s %s: vocabulary %lld, length %lld, %lld training and %lld held-out sequences\n",
                config.task_suite ? "suite task" : "task", task.kind.c_str(), static_cast<long long>(task.vocab_size),
                static_cast<long long>(task.seq_len), static_cast<long long>(task.train_examples),
                static_cast<long long>(task.test_examples));
  std::printf("  training       %lld tokens per genome%s\n", static_cast<long long>(config.train.token_budget),
              config.task_suite ? " and task; quality is the mean over the suite" : "");
  if (!config.train.hurdles.empty()) {
    std::string points;
    for (const auto& h : config.train.hurdles)
      points += (points.empty() ? "" : ", ") + std::to_string(static_cast<int>(h.fraction * 100 + 0.5)) +
                "% (stop when more than " + std::to_string(static_cast<int>(h.percentile + 0.5)) + "% rank ahead)";
    std::printf("  hurdles        at %s of the budget; none stops a genome before %d genomes reached it\n",
                points.c_str(), static_cast<int>(hurdle_quorum(config)));
  }
  return 0;
}

void add_check_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = star.add_subcommand("check", "Check a run configuration (no MPI, no GPU) and summarise it");
  cmd->add_option("config", o->config_path, "Run configuration (TOML)");
  cmd->add_flag("--explain", o->explain, "Print every section and key: type, default, bounds, resume rule, description");
  cmd->add_option("--run-dir", o->run_dir, "Run directory (overrides [run] directory)");
  cmd->add_flag("--print-run-dir", o->print_run_dir, "Print only the run directory (for job scripts)");
  out.push_back({cmd, [o](int*, char***) { return run_check(*o); }});
}

}  // namespace star::app
