#pragma once
// Multi-fidelity search by hurdles ([train] hurdles, as in the Evolved Transformer's progressive
// hurdles and successive halving): at each hurdle, a fraction of the token budget, a genome whose
// training loss is worse than a percentile of the losses the run's genomes had at that point
// stops there, and the budget goes to the others.
//
// The percentile is taken over every genome that reached the hurdle so far in the run (rank 0
// keeps them on a HurdleBoard and sends the thresholds with each genome it hands out), so the
// genomes trained first meet no threshold. A suite's tasks train one after the other, each with
// the same hurdles: a run's hurdle points are task by task, hurdle by hurdle.
#include <cstdint>
#include <limits>
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

// Percentile of `values` with linear interpolation between the nearest ranks (numpy's default);
// +infinity for no values.
double percentile(std::vector<double> values, double percent);

class HurdleBoard {
 public:
  // `tasks`: the tasks a genome trains on in turn (1, or a suite's members).
  HurdleBoard(std::vector<Hurdle> hurdles, int tasks);
  // Adds the hurdle losses a finished genome had (whatever its status).
  void record(const EvalResult& result);
  // Each point's threshold: the percentile of the losses recorded there, +infinity while none is.
  std::vector<double> thresholds() const;
  bool empty() const { return hurdles_.empty(); }

 private:
  std::vector<Hurdle> hurdles_;
  std::vector<std::vector<double>> losses_;  // per point: task by task, hurdle by hurdle
};

// A genome's hurdles on the task at `task_index` of its run: the thresholds for that task's
// points (+infinity where `thresholds` has none).
std::vector<double> task_thresholds(const std::vector<double>& thresholds, size_t hurdles, size_t task_index);

}  // namespace star::train
