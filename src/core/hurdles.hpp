#pragma once
// Multi-fidelity search by hurdles ([train] hurdles, as in the Evolved Transformer's progressive
// hurdles and successive halving, made multi-objective as MO-ASHA does): at each hurdle, a
// fraction of the token budget, a genome that more than `percentile` percent of the genomes that
// reached that point rank ahead of stops there, and the budget goes to the others. They rank by
// NSGA-II's fronts over the run's objectives, with the training loss at the hurdle as quality
// (evolve/hurdle_rank.hpp): with quality alone, a genome stops when its loss is above that
// percentile of theirs; with parameters or cache too, a small genome is not stopped for being
// behind large ones on loss alone.
//
// The genomes compared are every one that reached the hurdle so far in the run, its resumes
// included: rank 0 keeps them on a HurdleBoard and sends with each genome it hands out what its
// trainer needs of them (one front per hurdle), so the genomes trained first meet none.
//
// A suite's tasks train one after the other on equal token budgets, and a hurdle is a fraction of
// the genome's whole budget: each falls once, in the task that budget reaches (task_hurdles), and
// the genomes are compared there on that task's training loss. (Held on every task in turn, a
// suite of 3 tasks would cut at each hurdle three times.)
#include <cstdint>
#include <functional>
#include <vector>

#include "core/eval_result.hpp"
#include "core/train_settings.hpp"

namespace star::train {

// The training loss at a hurdle is the mean over this many of the steps just before it (the loss
// curve's share of the steps): one step's loss is too noisy to cut on.
int64_t hurdle_window(int64_t steps);

// The step before which a hurdle at `fraction` falls in a training of `steps` steps (the steps
// before it make at least that fraction); 0 when it falls on no step between the first and the
// last (too few steps), and then the hurdle is not held. A fraction of 1 (a suite's hurdle on
// the boundary between two tasks) falls before the last step.
int64_t hurdle_step(double fraction, int64_t steps);

// A hurdle as a genome's training on one task of its run holds it: its index in [train] hurdles
// and the fraction of that task's budget where it falls, in (0, 1].
struct TaskHurdle {
  size_t index = 0;
  double fraction = 0;
};

// The hurdles that fall in the training on task `task_index` of `tasks` (1, or a suite's
// members, each trained in turn on the same token budget). A hurdle at fraction f of the whole
// budget falls in task ceil(f * tasks) - 1, at f * tasks less that task's index. One task: every
// hurdle, where it says.
std::vector<TaskHurdle> task_hurdles(const std::vector<Hurdle>& hurdles, size_t tasks, size_t task_index);

// A genome's objective values at a hurdle (all minimised; quality: its training loss there).
using HurdlePoint = std::vector<double>;
// Per hurdle, the points of the genomes that reached it.
using HurdlePoints = std::vector<std::vector<HurdlePoint>>;
// The point of a genome's result at a hurdle where its loss was `loss`.
using HurdlePointOf = std::function<HurdlePoint(const EvalResult& result, double loss)>;
// What goes out with a genome for one hurdle: of the points that reached it, those its
// trainer needs for the verdict at that hurdle's percentile (the run's: the deciding front of
// evolve/hurdle_rank.hpp, none while fewer than app::hurdle_quorum reached it).
using HurdleHandout = std::function<std::vector<HurdlePoint>(const std::vector<HurdlePoint>& reached, double percentile)>;

class HurdleBoard {
 public:
  // No `handout`: every point goes out.
  HurdleBoard(std::vector<Hurdle> hurdles, HurdlePointOf point_of, HurdleHandout handout = nullptr);
  // Adds a finished genome's points at the hurdles it reached (whatever its status; a point with
  // a non-finite loss, from a diverged step, is left out). A result with more hurdle losses than
  // hurdles is left out whole: a suite run's genome from before the hurdles fell once per genome
  // (one loss per task and hurdle), not comparable with the points now.
  void record(const EvalResult& result);
  const HurdlePoints& points() const { return points_; }
  // Per hurdle, what a genome handed out now takes with it: the handout of points(), recomputed
  // for the hurdles recorded to since the last call.
  const HurdlePoints& handout();
  bool empty() const { return hurdles_.empty(); }

 private:
  std::vector<Hurdle> hurdles_;
  HurdlePointOf point_of_;
  HurdleHandout handout_;
  HurdlePoints points_, handed_;
  std::vector<bool> stale_;  // per hurdle: recorded to since handed_ was computed
};

}  // namespace star::train
