#include "app/simulate_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>

#include "app/generation_plan.hpp"
#include "cluster/queue_simulation.hpp"
#include "genome/sampling.hpp"
#include "io/config.hpp"

namespace star::app {
namespace {

using CostSource = std::function<double(std::mt19937_64&)>;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(sep, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

double number(const std::string& text, const std::string& what) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v >= 0)) throw std::invalid_argument(what + ": \"" + text + "\" is not a number >= 0");
  return v;
}

// A draw of one genome's cost, from the --costs specification.
CostSource cost_source(const std::string& spec, std::string& description) {
  const auto parts = split(spec, ':');
  if (parts[0] == "lognormal" && parts.size() == 2) {
    const double sigma = number(parts[1], "--costs lognormal:SIGMA");
    description = "log-normal costs, sigma " + parts[1];
    return [sigma](std::mt19937_64& rng) { return std::lognormal_distribution<double>(0.0, sigma)(rng); };
  }
  if (parts[0] == "uniform" && parts.size() == 3) {
    const double lo = number(parts[1], "--costs uniform:LO:HI"), hi = number(parts[2], "--costs uniform:LO:HI");
    if (hi < lo) throw std::invalid_argument("--costs uniform:LO:HI needs LO <= HI");
    description = "uniform costs in [" + parts[1] + ", " + parts[2] + "]";
    return [lo, hi](std::mt19937_64& rng) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  }
  if (parts[0] == "genomes" && parts.size() >= 2) {
    const auto config = io::load_config(spec.substr(spec.find(':') + 1));
    description = "estimated training FLOPs of random genomes of " + config.source;
    return [config](std::mt19937_64& rng) {
      return estimated_training_flops(genome::sample_genome(config.genome, rng), config);
    };
  }
  std::ifstream in(spec);
  if (!in) throw std::invalid_argument("--costs: \"" + spec + "\" is neither a readable file nor lognormal:SIGMA, "
                                       "uniform:LO:HI or genomes:CONFIG.toml");
  std::vector<double> costs;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    costs.push_back(number(line, spec + ":" + std::to_string(line_number)));
  }
  if (costs.empty()) throw std::invalid_argument("--costs: " + spec + " holds no costs");
  description = std::to_string(costs.size()) + " costs from " + spec + ", drawn with replacement";
  return [costs](std::mt19937_64& rng) {
    return costs[std::uniform_int_distribution<size_t>(0, costs.size() - 1)(rng)];
  };
}

struct Row {
  double makespan = 0, idle = 0;  // makespan per generation
};

struct Rows {
  Row in_order, longest_first, steady_state;
};

// `trials` generations of `population` genomes on `groups` groups, every schedule seeing the same
// costs: generational (in-order and longest-first dispatch, a barrier after each generation; the
// means over the generations) and steady-state (one run of trials x population candidates, no
// barrier; its makespan over the generations' count, so the rows compare).
Rows simulate(int groups, int population, int trials, double wide_above, const CostSource& draw,
              std::mt19937_64& rng) {
  Rows rows;
  std::vector<double> stream;
  stream.reserve(static_cast<size_t>(population) * trials);
  for (int t = 0; t < trials; ++t) {
    std::vector<double> costs(static_cast<size_t>(population));
    for (auto& c : costs) c = draw(rng);
    const auto a = cluster::simulate_generation(costs, groups, cluster::DispatchPolicy::in_order);
    const auto b = cluster::simulate_generation(costs, groups, cluster::DispatchPolicy::longest_first);
    rows.in_order.makespan += a.makespan / trials;
    rows.in_order.idle += a.idle_fraction / trials;
    rows.longest_first.makespan += b.makespan / trials;
    rows.longest_first.idle += b.idle_fraction / trials;
    stream.insert(stream.end(), costs.begin(), costs.end());
  }
  const auto s = cluster::simulate_steady_state(stream, groups, wide_above);
  rows.steady_state = {s.makespan / trials, s.idle_fraction};
  return rows;
}

}  // namespace

int run_simulate(const SimulateOptions& o) {
  std::string description;
  CostSource draw;
  try {
    draw = cost_source(o.costs, description);
    for (int g : o.groups)
      if (g < 1 || g > (1 << 20)) throw std::invalid_argument("--groups: " + std::to_string(g) + " is out of range");
    if (!(o.wide_above >= 0)) throw std::invalid_argument("--wide-above: must be >= 0 (0: never)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star simulate: %s\n", e.what());
    return 2;
  }
  std::mt19937_64 rng(o.seed);
  // Weak scaling: the reference is one group with per_group genomes, whose makespan is their sum:
  // per_group x the mean cost (estimated from many draws, so the reference carries no trial noise).
  constexpr int kMeanDraws = 100000;
  double mean_cost = 0;
  for (int i = 0; i < kMeanDraws; ++i) mean_cost += draw(rng) / kMeanDraws;
  const double reference = o.per_group * mean_cost;
  std::printf("star simulate: %s; %d genomes per group (weak scaling), %d generations, seed %llu\n",
              description.c_str(), o.per_group, o.trials, static_cast<unsigned long long>(o.seed));
  std::printf("generational: a barrier after each generation (makespan: the mean per generation); steady-state: "
              "one run of the same candidates without barriers (makespan: over the generations' count)%s\n",
              o.wide_above > 0 ? ("; a candidate above " + std::to_string(o.wide_above) +
                                  " x the median cost runs on several groups").c_str()
                               : "");
  std::printf("eff = weak-scaling efficiency: %d x mean cost (1 group's makespan) / makespan of G groups with %d G "
              "genomes (above 100%%: the row's costs came out below their mean); idle = 1 - busy / (G x makespan)\n",
              o.per_group, o.per_group);
  std::printf("%8s %10s | %12s %7s %7s | %12s %7s %7s | %12s %7s %7s\n", "groups", "population", "in-order", "idle",
              "eff", "longest-1st", "idle", "eff", "steady-state", "idle", "eff");
  for (int g : o.groups) {
    const int population = o.per_group * g;
    const auto rows = simulate(g, population, o.trials, o.wide_above, draw, rng);
    std::printf("%8d %10d", g, population);
    for (const Row& r : {rows.in_order, rows.longest_first, rows.steady_state})
      std::printf(" | %12.4g %6.1f%% %6.1f%%", r.makespan, 100 * r.idle, 100 * reference / r.makespan);
    std::printf("\n");
  }
  return 0;
}

void add_simulate_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<SimulateOptions>();
  auto* cmd = star.add_subcommand(
      "simulate", "Replay genome costs on G groups with the work queue's dispatch policies (no MPI, no training)");
  cmd->add_option("--groups", o->groups, "Numbers of groups, e.g. 1,2,8,64,1024")
      ->delimiter(',')
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--per-group", o->per_group, "Genomes per group (population = this x groups)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--costs", o->costs, "A file of costs (one per line), lognormal:SIGMA, uniform:LO:HI or genomes:CONFIG.toml");
  cmd->add_option("--seed", o->seed, "Random seed");
  cmd->add_option("--trials", o->trials,
                  "Generations per row (generational: means; steady-state: their candidates in one run)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--wide-above", o->wide_above,
                  "Steady-state: a candidate costing more than this x the median runs on several groups (0: never)")
      ->check(CLI::Range(0.0, 1e6));
  out.push_back({cmd, [o](int*, char***) { return run_simulate(*o); }});
}

}  // namespace star::app
