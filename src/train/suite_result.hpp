#pragma once
// A genome's result on a suite of tasks ([task] suite): one EvalResult made of the results of
// its trainings on each task. Plain C++ (no torch).
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::train {

// `results[i]` is the training on `kinds[i]`. A genome's trainings stop at the first task that
// does not end ok, so there may be fewer results than kinds. The combined result:
//   loss, accuracy       the mean over the results
//   parameters, cache    the first task's (its model; the models differ only in embedding rows)
//   tokens, seconds      summed; tokens_per_second = tokens / seconds
//   peak_memory_bytes    the largest
//   loss_curve           point i is the mean of point i of the curves that have one (all have
//                        kLossCurvePoints points when every task trains that many steps)
//   fidelity             the mean over the suite's tasks (a task never started counts 0)
//   hurdle_losses        task by task, in order: the hurdles in order (each falls in one task:
//                        core/hurdles.hpp)
//   micro_batch_size     the smallest
//   status, message      ok when every result is; else those of the first result that is not,
//                        the message starting with the task's kind
EvalResult combine_task_results(const std::vector<std::string>& kinds, const std::vector<EvalResult>& results);

}  // namespace star::train
