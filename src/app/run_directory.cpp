#include "app/run_directory.hpp"

#include <filesystem>
#include <fstream>

#include "io/results_file.hpp"

namespace star::app {

std::vector<std::string> resume_incompatibilities(const io::Config& a, const io::Config& b) {
  std::vector<std::string> keys;
  auto differs = [&](bool different, const char* key) {
    if (different) keys.push_back(key);
  };
  differs(a.run.seed != b.run.seed, "[run] seed");
  differs(a.genome.depth != b.genome.depth, "[genome] depth");
  differs(a.genome.classes != b.genome.classes, "[genome] classes");
  differs(a.genome.max_group != b.genome.max_group, "[genome] max_group");
  differs(a.model.width != b.model.width, "[model] width");
  differs(a.model.heads != b.model.heads, "[model] heads");
  differs(a.model.conv_taps != b.model.conv_taps, "[model] conv_taps");
  differs(a.model.mlp_ratio != b.model.mlp_ratio, "[model] mlp_ratio");
  differs(a.task.kind != b.task.kind || a.task.vocab_size != b.task.vocab_size || a.task.seq_len != b.task.seq_len ||
              a.task.train_examples != b.task.train_examples || a.task.test_examples != b.task.test_examples ||
              a.task.seed != b.task.seed,
          "[task]");
  differs(a.train.token_budget != b.train.token_budget, "[train] token_budget");
  differs(a.train.batch_size != b.train.batch_size, "[train] batch_size");
  differs(a.train.learning_rate != b.train.learning_rate, "[train] learning_rate");
  differs(a.evolution.population != b.evolution.population, "[evolution] population");
  differs(a.evolution.objectives != b.evolution.objectives, "[evolution] objectives");
  differs(a.evolution.tournament_size != b.evolution.tournament_size, "[evolution] tournament_size");
  differs(a.evolution.crossover_points != b.evolution.crossover_points, "[evolution] crossover_points");
  differs(a.evolution.mutation_rate != b.evolution.mutation_rate, "[evolution] mutation_rate");
  return keys;
}

std::string prepare_run_directory(const io::Config& config, bool resume, io::RunHistory& history, std::string& note) {
  namespace fs = std::filesystem;
  const std::string& dir = config.run.directory;
  if (!resume) {
    if (io::has_results(dir))
      return dir + " already holds the results of a run: add --resume to continue it, or choose another [run] name "
                   "or directory to start a new one";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return "cannot create the run directory " + dir + ": " + ec.message();
    std::ofstream(fs::path(dir) / "config.toml") << config.text;
    return "";
  }
  if (!io::has_results(dir))
    return "nothing to resume: " + dir + " has no results.h5 (run without --resume to start the search)";
  try {
    history = io::read_latest_results(dir, &note);
  } catch (const std::exception& e) {
    return e.what();
  }
  try {
    const auto stored = io::parse_config(history.config_text, io::results_path(dir) + ":/config");
    const auto keys = resume_incompatibilities(config, stored);
    if (!keys.empty()) {
      std::string list;
      for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
      return "cannot resume " + dir + " with " + config.source + ": it differs from the checkpoint's configuration in " +
             list + " (only [evolution] generations and operational settings may change)";
    }
  } catch (const std::exception& e) {
    return std::string("the checkpoint's stored configuration is unreadable: ") + e.what();
  }
  return "";
}

}  // namespace star::app
