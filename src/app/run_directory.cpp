#include "app/run_directory.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/atomic_file.hpp"
#include "io/event_log.hpp"
#include "io/journal.hpp"
#include "io/results_file.hpp"

namespace star::app {

namespace {

// The task data a genome's scores depend on (the kind and the sizes, as [task] always compared).
bool same_data(const train::TaskConfig& a, const train::TaskConfig& b) {
  return a.kind == b.kind && a.vocab_size == b.vocab_size && a.seq_len == b.seq_len &&
         a.train_examples == b.train_examples && a.test_examples == b.test_examples && a.seed == b.seed;
}

// "[task]" for a different task of a `kind` configuration or a change between kind and suite;
// "[task] suite" for other members; "[task.<kind>]" for a member whose data changed.
void differs_in_tasks(const io::Config& a, const io::Config& b, std::vector<std::string>& keys) {
  if (a.task_suite != b.task_suite || (!a.task_suite && !same_data(a.task(), b.task()))) {
    keys.push_back("[task]");
    return;
  }
  if (!a.task_suite) return;
  bool same_members = a.tasks.size() == b.tasks.size();
  for (size_t i = 0; same_members && i < a.tasks.size(); ++i) same_members = a.tasks[i].kind == b.tasks[i].kind;
  if (!same_members) {
    keys.push_back("[task] suite");
    return;
  }
  for (size_t i = 0; i < a.tasks.size(); ++i)
    if (!same_data(a.tasks[i], b.tasks[i])) keys.push_back("[task." + a.tasks[i].kind + "]");
}

}  // namespace

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
  differs(a.model.embedding_init_std != b.model.embedding_init_std, "[model] embedding_init_std");
  differs_in_tasks(a, b, keys);
  differs(a.train.token_budget != b.train.token_budget, "[train] token_budget");
  differs(a.train.batch_size != b.train.batch_size, "[train] batch_size");
  differs(a.train.learning_rate != b.train.learning_rate, "[train] learning_rate");
  differs(a.evolution.population != b.evolution.population, "[evolution] population");
  differs(a.evolution.objectives != b.evolution.objectives, "[evolution] objectives");
  differs(a.evolution.algorithm != b.evolution.algorithm, "[evolution] algorithm");
  differs(a.evolution.mode != b.evolution.mode, "[evolution] mode");
  differs(a.evolution.weights != b.evolution.weights, "[evolution] weights");
  differs(a.evolution.elite_count != b.evolution.elite_count, "[evolution] elite_count");
  differs(a.evolution.firefly_beta0 != b.evolution.firefly_beta0 ||
              a.evolution.firefly_gamma != b.evolution.firefly_gamma ||
              a.evolution.firefly_alpha != b.evolution.firefly_alpha,
          "[evolution] firefly_beta0, firefly_gamma or firefly_alpha");
  differs(a.evolution.max_params != b.evolution.max_params, "[evolution] max_params");
  differs(a.evolution.max_cache_bytes != b.evolution.max_cache_bytes, "[evolution] max_cache_bytes");
  differs(a.evolution.reference_point != b.evolution.reference_point, "[evolution] reference_point");
  differs(a.evolution.tournament_size != b.evolution.tournament_size, "[evolution] tournament_size");
  differs(a.evolution.crossover_points != b.evolution.crossover_points, "[evolution] crossover_points");
  differs(a.evolution.mutation_rate != b.evolution.mutation_rate, "[evolution] mutation_rate");
  return keys;
}

namespace {

// "" when `stored` (the checkpoint's or the run directory's configuration) may be continued
// with `config`, else why not.
std::string check_compatible(const io::Config& config, const std::string& stored_text, const std::string& stored_name,
                             const std::string& dir) {
  try {
    const auto stored = io::parse_config(stored_text, stored_name);
    const auto keys = resume_incompatibilities(config, stored);
    if (keys.empty()) return "";
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    return "cannot resume " + dir + " with " + config.source + ": it differs from the checkpoint's configuration in " +
           list + " (only [evolution] generations and operational settings may change)";
  } catch (const std::exception& e) {
    return std::string("the checkpoint's stored configuration is unreadable: ") + e.what();
  }
}

std::string start_new_run(const io::Config& config) {
  namespace fs = std::filesystem;
  const std::string& dir = config.run.directory;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create the run directory " + dir + ": " + ec.message();
  io::write_file_atomically((fs::path(dir) / "config.toml").string(), config.text);  // throws io::WriteError
  return "";
}

// Moves a damaged newest checkpoint aside, so the next checkpoint written never rotates it over
// the good previous one (write_results keeps the file it replaces as results.prev.h5). The name
// carries the time it was set aside, and a counter if that name is taken: no damaged file ever
// replaces another.
void set_damaged_aside(const std::string& dir, std::string& note) {
  const std::string newest = io::results_path(dir);
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string aside = newest + ".damaged-" + stamp;
  struct stat st {};
  for (int n = 2; ::lstat(aside.c_str(), &st) == 0; ++n)
    aside = newest + ".damaged-" + stamp + "-" + std::to_string(n);
  if (std::rename(newest.c_str(), aside.c_str()) == 0) note += "; the damaged file is kept as " + aside;
}

}  // namespace

std::unique_ptr<io::RunLock> lock_run_directory(const io::Config& config, ResumeMode resume) {
  namespace fs = std::filesystem;
  const std::string& dir = config.run.directory;
  std::error_code ec;
  if (resume == ResumeMode::strict && !fs::is_directory(dir, ec)) return nullptr;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create the run directory " + dir + ": " + ec.message());
  return std::make_unique<io::RunLock>(dir);
}

std::string prepare_run_directory(const io::Config& config, ResumeMode resume, io::RunHistory& history,
                                  std::string& note) {
  namespace fs = std::filesystem;
  const std::string& dir = config.run.directory;
  const bool has_checkpoint = io::has_results(dir), has_journal = io::has_journal(dir) || io::has_event_log(dir);
  if (resume == ResumeMode::automatic && !has_checkpoint && !has_journal) {
    note = "--resume auto: " + dir + " has no checkpoint and no journal, starting a new run";
    resume = ResumeMode::none;
  }
  if (resume == ResumeMode::none) {
    if (has_checkpoint)
      return dir + " already holds the results of a run: add --resume to continue it, or choose another [run] name "
                   "or directory to start a new one";
    if (has_journal)
      return dir + " holds the journal of a run stopped before its first checkpoint: add --resume to continue it, or "
                   "choose another [run] name or directory to start a new one";
    return start_new_run(config);
  }
  if (!has_checkpoint) {
    if (!has_journal)
      return "nothing to resume: " + dir + " has no results.h5 (run without --resume to start the search)";
    // Stopped during generation 0: the journal holds what was finished, config.toml the settings.
    std::ifstream in(fs::path(dir) / "config.toml");
    const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open()) return "cannot resume " + dir + ": it has a journal but no config.toml";
    note = dir + " has no checkpoint yet: resuming " +
           (config.evolution.mode == "steady_state" ? "from its event log" : "generation 1 from its journal");
    return check_compatible(config, stored, dir + "/config.toml", dir);
  }
  try {
    history = io::read_latest_results(dir, &note);
  } catch (const std::exception& e) {
    return e.what();
  }
  if (!note.empty()) set_damaged_aside(dir, note);
  return check_compatible(config, history.config_text, io::results_path(dir) + ":/config", dir);
}

}  // namespace star::app
