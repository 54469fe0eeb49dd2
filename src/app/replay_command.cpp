#include "app/replay_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "io/event_log.hpp"
#include "io/results_file.hpp"
#include "search/steady_state_search.hpp"

namespace star::app {
namespace {

// The first way record `g` of `a` differs from that of `b`, or "" when they are the same.
std::string difference(const io::GenerationRecord& a, const io::GenerationRecord& b) {
  auto members = [](const std::vector<io::Individual>& x, const std::vector<io::Individual>& y, const char* what) {
    if (x.size() != y.size()) return std::string(what) + " sizes differ";
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i].genome != y[i].genome) return std::string(what) + " member " + std::to_string(i) + ": " + x[i].genome + " vs " + y[i].genome;
      if (x[i].objectives != y[i].objectives) return std::string(what) + " member " + std::to_string(i) + " (" + x[i].genome + "): objectives differ";
    }
    return std::string();
  };
  if (auto d = members(a.evaluated, b.evaluated, "evaluated"); !d.empty()) return d;
  if (auto d = members(a.population, b.population, "population"); !d.empty()) return d;
  if (a.rng_state != b.rng_state) return "the generator's state differs";
  if (a.hypervolume != b.hypervolume) return "the hypervolume differs";
  return "";
}

}  // namespace

int run_replay(const ReplayOptions& options) {
  const std::string& dir = options.run_dir;
  io::Config config;
  try {
    config = io::load_config((std::filesystem::path(dir) / "config.toml").string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star replay: %s is not a run directory: %s\n", dir.c_str(), e.what());
    return 2;
  }
  config.run.directory = dir;
  if (config.evolution.mode != "steady_state") {
    std::fprintf(stderr, "star replay: %s is a %s run: its results file is its history, there is nothing to replay\n",
                 dir.c_str(), config.evolution.mode.c_str());
    return 2;
  }
  if (!io::has_event_log(dir)) {
    std::fprintf(stderr, "star replay: %s has no event log (%s)\n", dir.c_str(), io::event_log_path(dir).c_str());
    return 2;
  }
  const auto log = io::read_event_log(dir);
  search::SteadyStateSearch search(config);
  std::map<int, std::string> out;
  try {
    out = search.replay(log.events, io::event_log_path(dir));
  } catch (const search::EventLogMismatch& e) {
    std::fprintf(stderr, "star replay: %s\n", e.what());
    return 2;
  }
  const auto& replayed = search.history();
  std::printf("replayed %zu events of %s: %lld of %lld results, %zu candidates out, %zu records%s\n", log.events.size(),
              io::event_log_path(dir).c_str(), search.received(), search.budget(), out.size(),
              replayed.generations.size(),
              log.unread_lines > 0 ? (" (" + std::to_string(log.unread_lines) + " damaged lines at the end not read)").c_str()
                                   : "");
  if (!options.out.empty()) {
    io::write_results(options.out, replayed);
    std::printf("wrote the replayed history to %s\n", options.out.c_str());
  }
  if (!io::has_results(dir)) {
    std::printf("%s has no checkpoint to compare with\n", dir.c_str());
    return 0;
  }
  std::string note;
  const auto checkpoint = io::read_latest_results(dir, &note);
  if (!note.empty()) std::printf("note: %s\n", note.c_str());
  if (checkpoint.generations.size() > replayed.generations.size()) {
    std::fprintf(stderr, "star replay: the checkpoint holds %zu records, the event log only %zu\n",
                 checkpoint.generations.size(), replayed.generations.size());
    return 1;
  }
  // The checkpoint's events are the log's first ones.
  bool events_match = checkpoint.events.size() <= replayed.events.size();
  for (size_t i = 0; events_match && i < checkpoint.events.size(); ++i)
    events_match = checkpoint.events[i].seq == replayed.events[i].seq &&
                   checkpoint.events[i].result == replayed.events[i].result &&
                   checkpoint.events[i].genome == replayed.events[i].genome;
  if (!events_match) {
    std::fprintf(stderr, "star replay: the checkpoint's %zu events are not the first of the event log's\n",
                 checkpoint.events.size());
    return 1;
  }
  for (size_t g = 0; g < checkpoint.generations.size(); ++g) {
    const auto d = difference(replayed.generations[g], checkpoint.generations[g]);
    if (!d.empty()) {
      std::fprintf(stderr, "star replay: record %zu differs from the checkpoint's: %s\n", g + 1, d.c_str());
      return 1;
    }
  }
  std::printf("identical to the checkpoint's %zu records and %zu events, bit for bit\n", checkpoint.generations.size(),
              checkpoint.events.size());
  return 0;
}

void add_replay_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<ReplayOptions>();
  auto* cmd = star.add_subcommand(
      "replay", "Rebuild a steady-state run from its event log alone and check it against its checkpoint");
  cmd->add_option("run_dir", o->run_dir, "The run directory (holds config.toml and journal/events.log)")->required();
  cmd->add_option("--out", o->out, "Also write the replayed history as a results file");
  out.push_back({cmd, [o](int*, char***) { return run_replay(*o); }});
}

}  // namespace star::app
