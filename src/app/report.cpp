#include "app/report.hpp"

#include <algorithm>

namespace star::app {

void print_generation(std::FILE* out, const io::GenerationRecord& g, int generations,
                      const std::vector<std::string>& names, const std::vector<double>& reference, int trained,
                      int reused, double seconds, int show) {
  int failed = 0, stopped = 0;
  double fidelity = 0;  // summed: the share of their budgets the genomes were given
  for (const auto& p : g.evaluated) {
    stopped += p.result.status == train::EvalStatus::stopped ? 1 : 0;
    failed += p.result.feasible() || p.result.status == train::EvalStatus::stopped ? 0 : 1;
    fidelity += p.result.fidelity;
  }
  // Only with [train] hurdles: a run without them prints what it always printed.
  char hurdles[96] = "";
  if (stopped > 0)
    std::snprintf(hurdles, sizeof hurdles, ", %d stopped at hurdles (%.0f%% of the budget saved)", stopped,
                  100.0 * (1.0 - fidelity / static_cast<double>(g.evaluated.size())));
  double box = 1;
  for (double r : reference) box *= r;
  char hypervolume[32] = "n/a";
  if (!reference.empty() && box > 0) std::snprintf(hypervolume, sizeof hypervolume, "%.4f", g.hypervolume / box);
  std::fprintf(out, "generation %d/%d: %d trained, %d reused, %d failed%s, hypervolume %s, %.1f s\n", g.index + 1,
               generations, trained, reused, failed, hurdles, hypervolume, seconds);
  // Population order: best front first, then by the first objective.
  std::vector<const io::Individual*> order;
  for (const auto& p : g.population) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const io::Individual* a, const io::Individual* b) {
    if (a->front_rank != b->front_rank) return a->front_rank < b->front_rank;
    return a->objectives.at(0) < b->objectives.at(0);
  });
  // The measured inference, where the run times it.
  const bool measured = std::any_of(order.begin(), order.end(), [](const io::Individual* p) {
    return p->result.prefill_ms > 0 || p->result.decode_ms > 0;
  });
  std::fprintf(out, "  %-5s %-32s %-9s %9s %7s %10s %10s%s\n", "front", "genome", "status", "loss", "acc", "params",
               "cache[B]", measured ? "  prefill[ms] decode[ms]   memory[B]" : "");
  for (int i = 0; i < std::min<int>(show, static_cast<int>(order.size())); ++i) {
    const auto& p = *order[i];
    std::fprintf(out, "  %-5d %-32s %-9s %9.4f %7.3f %10lld %10lld", p.front_rank, p.genome.c_str(),
                 train::to_string(p.result.status), p.result.loss, p.result.accuracy,
                 static_cast<long long>(p.result.parameters), static_cast<long long>(p.result.cache_bytes));
    if (measured)
      std::fprintf(out, "  %11.3f %10.4f %11lld", p.result.prefill_ms, p.result.decode_ms,
                   static_cast<long long>(p.result.inference_memory_bytes));
    std::fprintf(out, "\n");
  }
  std::string objectives;
  for (const auto& n : names) objectives += (objectives.empty() ? "" : ", ") + n;
  std::fprintf(out, "  (objectives, all minimised: %s)\n", objectives.c_str());
  std::fflush(out);
}

void print_queue_time(std::FILE* out, const cluster::QueueTime& t) {
  std::fprintf(out, "groups busy %.1f of %d x %.1f group-seconds: idle %.1f%%\n", t.busy_seconds, t.groups,
               t.wall_seconds, 100.0 * t.idle_fraction());
  std::fflush(out);
}

}  // namespace star::app
