// The steady-state search with stand-in scores (a pure function of the genome) and results that
// arrive out of order, as a cluster's would: the budget, the records, survival, and that the event
// log rebuilds the search bit for bit. The MPI driver is covered by e2e/steady_state.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "../support/scratch_dir.hpp"
#include "../support/stand_in_score.hpp"
#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "io/event_log.hpp"
#include "search/selection.hpp"
#include "search/steady_state_search.hpp"

namespace {

using namespace star;

io::Config config(int seed = 5) {
  return io::parse_config(R"(
[run]
seed = )" + std::to_string(seed) + R"(
[genome]
depth = 4
[evolution]
mode = "steady_state"
population = 8
generations = 6
objectives = ["quality", "params"]
initial_genomes = ["31111-11111-31111-11111"]
)",
                          "test.toml");
}

train::EvalResult score(const std::string& text) { return test::stand_in_score(text); }

// Runs the search with `workers` evaluations in flight, finishing a random one of them each
// time (drawn from `order_seed`). Returns the events as the driver would log them.
std::vector<io::SteadyEvent> run(search::SteadyStateSearch& s, int workers, uint64_t order_seed) {
  std::mt19937_64 order(order_seed);
  std::vector<std::pair<int, std::string>> out;
  std::vector<io::SteadyEvent> events;
  auto hand_out = [&] {
    const int seq = static_cast<int>(s.handed_out());
    out.emplace_back(seq, s.hand_out());
    events.push_back({io::SteadyEvent::Kind::handout, seq, out.back().second, s.rng_fingerprint(), {}});
  };
  while (s.can_hand_out() && static_cast<int>(out.size()) < workers) hand_out();
  while (!out.empty()) {
    const size_t pick = std::uniform_int_distribution<size_t>(0, out.size() - 1)(order);
    const auto [seq, genome] = out[pick];
    out.erase(out.begin() + static_cast<long>(pick));
    events.push_back({io::SteadyEvent::Kind::result, seq, genome, "", score(genome)});
    s.receive(seq, genome, events.back().result);
    if (s.can_hand_out()) hand_out();
  }
  return events;
}

void expect_same_history(const io::RunHistory& a, const io::RunHistory& b) {
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].seq, b.events[i].seq);
    EXPECT_EQ(a.events[i].result, b.events[i].result);
    EXPECT_EQ(a.events[i].genome, b.events[i].genome);
  }
  ASSERT_EQ(a.generations.size(), b.generations.size());
  for (size_t g = 0; g < a.generations.size(); ++g) {
    const auto &x = a.generations[g], &y = b.generations[g];
    EXPECT_EQ(x.rng_state, y.rng_state);
    EXPECT_EQ(x.hypervolume, y.hypervolume);
    ASSERT_EQ(x.population.size(), y.population.size());
    for (size_t i = 0; i < x.population.size(); ++i) {
      EXPECT_EQ(x.population[i].genome, y.population[i].genome);
      EXPECT_EQ(x.population[i].objectives, y.population[i].objectives);
    }
    ASSERT_EQ(x.evaluated.size(), y.evaluated.size());
    for (size_t i = 0; i < x.evaluated.size(); ++i) EXPECT_EQ(x.evaluated[i].genome, y.evaluated[i].genome);
  }
}

TEST(SteadyStateSearch, SpendsTheBudgetAndRecordsEveryPopulationOfResults) {
  const auto c = config();
  search::SteadyStateSearch s(c);
  EXPECT_EQ(s.budget(), 48);
  run(s, 3, 1);
  EXPECT_TRUE(s.finished());
  EXPECT_FALSE(s.can_hand_out());
  EXPECT_THROW(s.hand_out(), std::logic_error);
  ASSERT_EQ(s.history().generations.size(), 6u);
  for (const auto& g : s.history().generations) {
    EXPECT_EQ(g.evaluated.size(), 8u);
    EXPECT_EQ(g.population.size(), 8u);
  }
  // The first hand-out is the configured seed; the population ends NSGA-II-ranked, its
  // first front first.
  EXPECT_EQ(s.history().generations[0].evaluated.size(), 8u);
  const auto& last = s.history().generations.back().population;
  EXPECT_EQ(last.front().front_rank, 0);
  EXPECT_TRUE(std::is_sorted(last.begin(), last.end(),
                             [](const io::Individual& a, const io::Individual& b) { return a.front_rank < b.front_rank; }));
  EXPECT_GT(s.history().generations.back().hypervolume, 0.0);
  // The history keeps every event for the results file: 48 hand-outs and 48 results.
  const auto& events = s.history().events;
  ASSERT_EQ(events.size(), 96u);
  EXPECT_FALSE(events.front().result);
  EXPECT_EQ(events.front().genome, "31111-11111-31111-11111");
  EXPECT_TRUE(events.back().result);
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const io::SearchEvent& e) { return e.result; }), 48);
}

TEST(SteadyStateSearch, KeepsTheBestOfThePopulationAndEachNewcomer) {
  // Elitism: the all-attention genome (best quality by construction) survives once it arrives.
  const auto c = config();
  search::SteadyStateSearch s(c);
  run(s, 4, 2);
  double best_seen = 1e9;
  for (const auto& g : s.history().generations)
    for (const auto& p : g.evaluated) best_seen = std::min(best_seen, p.result.loss);
  double best_kept = 1e9;
  for (const auto& p : s.population()) best_kept = std::min(best_kept, p.result.loss);
  EXPECT_EQ(best_kept, best_seen);
}

TEST(SteadyStateSearch, ArrivalOrderChangesTheRunAndTheLogRebuildsIt) {
  const auto c = config();
  search::SteadyStateSearch a(c), b(c);
  const auto events_a = run(a, 4, 7);
  run(b, 4, 8);
  // Another arrival order is another run (what the event log is for) ...
  bool differs = false;
  for (size_t i = 0; i < a.history().generations.size(); ++i)
    differs |= a.history().generations[i].rng_state != b.history().generations[i].rng_state;
  EXPECT_TRUE(differs);
  // ... and the log of one, replayed into a new search, gives that run exactly.
  search::SteadyStateSearch replayed(c);
  EXPECT_TRUE(replayed.replay(events_a, "test").empty());
  expect_same_history(a.history(), replayed.history());
}

TEST(SteadyStateSearch, ReplayOfAPrefixLeavesItsCandidatesOutAndContinues) {
  const auto c = config();
  search::SteadyStateSearch a(c);
  const auto events = run(a, 4, 3);
  // Cut the log after some hand-out: the candidates without a result are what a resume trains again.
  size_t cut = events.size() / 2;
  while (events[cut - 1].kind != io::SteadyEvent::Kind::handout) --cut;
  search::SteadyStateSearch resumed(c);
  const auto out = resumed.replay({events.begin(), events.begin() + static_cast<long>(cut)}, "test");
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.rbegin()->second, events[cut - 1].genome);
  // Feeding the rest of the original events reproduces the original run.
  EXPECT_TRUE(resumed.replay({events.begin() + static_cast<long>(cut), events.end()}, "test").empty());
  expect_same_history(a.history(), resumed.history());
}

TEST(SteadyStateSearch, ALogOfAnotherConfigurationIsRefused) {
  search::SteadyStateSearch a(config());
  const auto events = run(a, 2, 1);
  search::SteadyStateSearch other(config(6));  // another seed draws other genomes
  EXPECT_THROW(other.replay(events, "test"), search::EventLogMismatch);
  // A result for a candidate never handed out.
  search::SteadyStateSearch fresh(config());
  EXPECT_THROW(fresh.replay({events[0], {io::SteadyEvent::Kind::result, 5, events[0].genome, "", score(events[0].genome)}},
                            "test"),
               search::EventLogMismatch);
}

TEST(EventLog, WritesReadsAndStopsAtATornOrDamagedLine) {
  const auto dir = test::fresh_dir("event_log");
  search::SteadyStateSearch a(config());
  const auto events = run(a, 3, 4);
  io::EventLogWriter writer(dir.string());
  for (size_t i = 0; i < 10; ++i) writer.append(events[i]);
  auto log = io::read_event_log(dir.string());
  ASSERT_EQ(log.events.size(), 10u);
  EXPECT_EQ(log.unread_lines, 0);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(log.events[i].kind, events[i].kind);
    EXPECT_EQ(log.events[i].seq, events[i].seq);
    EXPECT_EQ(log.events[i].genome, events[i].genome);
    EXPECT_EQ(log.events[i].rng_fingerprint, events[i].rng_fingerprint);
    EXPECT_EQ(log.events[i].result.loss, events[i].result.loss);  // bit for bit
  }
  // A line torn by a kill: what came before it is intact.
  {
    std::ofstream out(io::event_log_path(dir.string()), std::ios::app);
    out << io::format_event_line(events[10]).substr(0, 20);
  }
  log = io::read_event_log(dir.string());
  EXPECT_EQ(log.events.size(), 10u);
  EXPECT_EQ(log.unread_lines, 1);
  // A flipped character in an earlier line: reading stops there.
  std::string line = io::format_event_line(events[0]);
  line[30] = line[30] == '1' ? '2' : '1';
  io::SteadyEvent e;
  EXPECT_FALSE(io::parse_event_line(line, e));
  test::remove_tree(dir);
}

}  // namespace
