#pragma once
// What evaluating one genome produced: its scores and how the training went. Plain data (no
// torch) so rank 0, the journals and the HDF5 writer can carry it. Its fields are also listed
// once, as a table (eval_result_fields), which every writer and reader of a record walks.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace star::train {

// stopped: at one of [train] hurdles it ranked behind more than that hurdle's percentile of the
// run's genomes there (core/hurdles.hpp); it stopped there and was scored on the held-out
// examples as it was (ranked behind every genome that trained to the end).
// timeout: training passed [train] max_seconds and was stopped there (recorded, infeasible).
// interrupted: training was stopped by a signal before it finished. It is never recorded (not in
// the journal, not in the results): the genome is trained again when the run resumes. It stays
// last: the message codec checks a status against it.
constexpr int kLossCurvePoints = 32;

enum class EvalStatus { ok, diverged, oom, failed, timeout, stopped, interrupted };

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
  // The share of its token budget the genome was given: 1, or the hurdle's fraction where it
  // was stopped (status stopped). In a suite, the mean over the suite's tasks.
  double fidelity = 1;
  // Its training loss at each hurdle it reached, in order (a suite: each in its task); the last is
  // where it was stopped, when it was. Later genomes are judged at the hurdles against these.
  std::vector<double> hurdle_losses;
  // Sequences per forward pass it trained at: [train] micro_batch_size (or the rank's share of
  // the batch), halved after each out-of-memory (dynamic batch sizing). 0 in older records.
  int64_t micro_batch_size = 0;
  // Inference measured on the rank's device before training ([metrics] decides the conditions;
  // train/inference_timing.hpp): ms to prefill a prompt, ms per decoded token at a context, and
  // the peak bytes during decode. 0 when the run does not measure them.
  double prefill_ms = 0;
  double decode_ms = 0;
  int64_t inference_memory_bytes = 0;
  // LTC routing (model/ltc_router.hpp), on the held-out examples; 0 for a genome with no routed
  // block. The mean gate over token-block pairs of routed blocks; the share of those pairs whose
  // gate is below the skip threshold; the forward compute those pairs' blocks cost, as a share of
  // the model's; and the held-out loss with them skipped minus the loss without.
  double gate_mean = 0;
  double gate_skip_share = 0;
  double skip_compute_saved = 0;
  double skip_loss_change = 0;

  bool feasible() const { return status == EvalStatus::ok; }
};

// One field of EvalResult. The journal line, the MPI message, the HDF5 columns and their
// checksum all walk eval_result_fields() in order, so a field added there is carried by all.
struct EvalResultField {
  using Member = std::variant<EvalStatus EvalResult::*, double EvalResult::*, int64_t EvalResult::*,
                              std::vector<double> EvalResult::*, std::string EvalResult::*>;
  const char* name;  // the HDF5 column's name
  Member member;
  // The record format that added it: 1 the first, 2 peak memory and loss curve, 3 the hurdles and
  // the micro-batch, 4 the measured inference and the routing gates.
  // A record of an older format lacks it; reading one leaves the field at EvalResult's default.
  int since;
};

constexpr int kEvalRecordFormat = 4;  // the newest record format (the since of the newest field)

// Every field, in the order records carry them: a new field goes at the end with the next
// format's number (older journals list their fields in this order too).
const std::vector<EvalResultField>& eval_result_fields();

}  // namespace star::train
