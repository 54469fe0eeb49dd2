#pragma once
// The search's one algorithm interface, in the shape of pymoo's Algorithm.ask / tell: the
// algorithm keeps its population; `ask` proposes the next candidates, the caller evaluates them
// however it likes (one process, MPI rank groups, a test's stand-in score), and `tell` hands back
// what it measured so the algorithm selects the survivors. NSGA-II, the GA and the firefly
// algorithm sit behind it, for genomes and for real vectors alike. No torch, MPI or HDF5.
#include <functional>
#include <vector>

#include "evolve/objectives.hpp"
#include "evolve/survival.hpp"
#include "genome/random.hpp"

namespace star::search {

// A solution with what selection compares: minimised, finite objective values and how far it is
// from feasible (0 = feasible; evolve/objectives.hpp).
template <class Solution>
struct Member {
  Solution solution;
  std::vector<double> objectives;
  double violation = 0;
};

template <class Solution>
evolve::ObjectiveMatrix objective_matrix(const std::vector<Member<Solution>>& members) {
  evolve::ObjectiveMatrix f;
  for (const auto& m : members) f.push_back(m.objectives);
  return f;
}

template <class Solution>
evolve::Violations violations_of(const std::vector<Member<Solution>>& members) {
  evolve::Violations v;
  for (const auto& m : members) v.push_back(m.violation);
  return v;
}

// How an algorithm makes solutions of one kind: the first population, and children of parents
// ranked by `ranking` (one entry per parent). Every random draw comes from the rng.
template <class Solution>
struct Operators {
  std::function<std::vector<Solution>(int count, genome::Rng& rng)> initial;
  std::function<std::vector<Solution>(const std::vector<Solution>& parents, const evolve::Ranking& ranking, int count,
                                      genome::Rng& rng)>
      offspring;
};

template <class Solution>
class Algorithm {
 public:
  virtual ~Algorithm() = default;

  // The next candidates: the first population while there is none, else the new solutions of
  // one generation, bred from the population.
  virtual std::vector<Solution> ask(genome::Rng& rng) = 0;

  // The asked candidates, evaluated (in any order, any subset). Selects the new population from
  // the current one followed by `evaluated`, and returns the survivors as indices into that
  // pool, best first.
  virtual std::vector<int> tell(const std::vector<Member<Solution>>& evaluated) = 0;

  // The population, as the last `tell` (or `restore`) left it.
  const std::vector<Member<Solution>>& population() const { return population_; }

  // Continues from a population saved earlier (a checkpoint), as if `tell` had just selected it.
  void restore(std::vector<Member<Solution>> population) { population_ = std::move(population); }

 protected:
  // The pool `tell` selects from, and the population set to its members at `keep`.
  std::vector<Member<Solution>> pool_with(const std::vector<Member<Solution>>& evaluated) const {
    auto pool = population_;
    pool.insert(pool.end(), evaluated.begin(), evaluated.end());
    return pool;
  }
  void keep(const std::vector<Member<Solution>>& pool, const std::vector<int>& survivors) {
    std::vector<Member<Solution>> next;
    for (int i : survivors) next.push_back(pool[static_cast<size_t>(i)]);
    population_ = std::move(next);
  }
  std::vector<Solution> solutions() const {
    std::vector<Solution> out;
    for (const auto& m : population_) out.push_back(m.solution);
    return out;
  }

  std::vector<Member<Solution>> population_;
};

}  // namespace star::search
