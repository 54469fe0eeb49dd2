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
// trainer needs of them (one front per hurdle), so the genomes trained first meet none. A suite's tasks train one after the other, each with the
// same hurdles: a run's hurdle points are task by task, hurdle by hurdle.
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
// last (too few steps), and then the hurdle is not held.
int64_t hurdle_step(double fraction, int64_t steps);

// A genome's objective values at a hurdle (all minimised; quality: its training loss there).
using HurdlePoint = std::vector<double>;
// Per hurdle point (task by task, hurdle by hurdle), the points of the genomes that reached it.
using HurdlePoints = std::vector<std::vector<HurdlePoint>>;
// The point of a genome's result at a hurdle where its loss was `loss`.
using HurdlePointOf = std::function<HurdlePoint(const EvalResult& result, double loss)>;
// What goes out with a genome for one hurdle point: of the points that reached it, those its
// trainer needs for the verdict at that hurdle's percentile (the run's: the deciding front of
// evolve/hurdle_rank.hpp, none while fewer than a population reached it).
using HurdleHandout = std::function<std::vector<HurdlePoint>(const std::vector<HurdlePoint>& reached, double percentile)>;

class HurdleBoard {
 public:
  // `tasks`: the tasks a genome trains on in turn (1, or a suite's members). No `handout`: every
  // point goes out.
  HurdleBoard(std::vector<Hurdle> hurdles, int tasks, HurdlePointOf point_of, HurdleHandout handout = nullptr);
  // Adds a finished genome's points at the hurdles it reached (whatever its status; a point with
  // a non-finite loss, from a diverged step, is left out).
  void record(const EvalResult& result);
  const HurdlePoints& points() const { return points_; }
  // Per hurdle point, what a genome handed out now takes with it: the handout of points(),
  // recomputed for the hurdle points recorded since the last call.
  const HurdlePoints& handout();
  bool empty() const { return hurdles_.empty(); }

 private:
  std::vector<Hurdle> hurdles_;
  HurdlePointOf point_of_;
  HurdleHandout handout_;
  HurdlePoints points_, handed_;
  std::vector<bool> stale_;  // per hurdle point: recorded to since handed_ was computed
};

// A genome's hurdles on the task at `task_index` of its run: that task's points (none where
// `points` has none).
HurdlePoints task_points(const HurdlePoints& points, size_t hurdles, size_t task_index);

}  // namespace star::train
