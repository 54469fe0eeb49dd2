#include "app/run_directory.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/atomic_file.hpp"
#include "io/config_schema.hpp"
#include "io/event_log.hpp"
#include "io/journal.hpp"
#include "io/results_file.hpp"

namespace star::app {

namespace {

// "" when `stored` (the checkpoint's or the run directory's configuration) may be continued
// with `config`, else why not.
std::string check_compatible(const io::Config& config, const std::string& stored_text, const std::string& stored_name,
                             const std::string& dir) {
  try {
    const auto stored = io::parse_config(stored_text, stored_name);
    const auto keys = io::resume_differences(config, stored);
    if (keys.empty()) return "";
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    return "cannot resume " + dir + " with " + config.source + ": it differs from the checkpoint's configuration in " +
           list + " (only the keys that `star check --explain` marks \"may change on resume\" may change)";
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
