#pragma once
// What evaluating one genome produced: its scores and how the training went. Plain data (no
// torch) so rank 0, the journals and the HDF5 writer can carry it.
#include <cstdint>
#include <string>
#include <vector>

namespace star::train {

// timeout: training passed [train] max_seconds and was stopped there (recorded, infeasible).
// interrupted: training was stopped by a signal before it finished. It is never recorded (not in
// the journal, not in the results): the genome is trained again when the run resumes. It stays
// last: the message codec checks a status against it.
constexpr int kLossCurvePoints = 32;

enum class EvalStatus { ok, diverged, oom, failed, timeout, interrupted };

const char* to_string(EvalStatus status);
EvalStatus eval_status_from_string(const std::string& name);  // throws std::invalid_argument

struct EvalResult {
  EvalStatus status = EvalStatus::failed;
  double loss = 0;            // mean cross-entropy on the held-out examples (nats per target token)
  double accuracy = 0;        // fraction of held-out targets predicted exactly
  int64_t parameters = 0;     // trainable values, shared weights once
  int64_t cache_bytes = 0;    // inference cache per sequence at the task's length
  int64_t tokens = 0;         // tokens trained on (all ranks of the group)
  double seconds = 0;         // wall time of training and evaluation
  double tokens_per_second = 0;
  int64_t peak_memory_bytes = 0;  // GPU: peak bytes allocated by torch during this evaluation;
                                  // CPU: the process's peak resident set so far (an upper bound)
  // Mean training loss over each of kLossCurvePoints equal shares of the steps (fewer points when
  // there are fewer steps; empty when training stopped before the first share ended).
  std::vector<double> loss_curve;
  std::string message;        // why it failed, when it did

  bool feasible() const { return status == EvalStatus::ok; }
};

}  // namespace star::train
