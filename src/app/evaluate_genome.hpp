#pragma once
// Trains and scores one genome of a run on this rank (and the other ranks of its group).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/eval_result.hpp"
#include "core/hurdles.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "io/run_history.hpp"
#include "train/gradient_reducer.hpp"
#include "train/tasks.hpp"
#include "train/trainer.hpp"

namespace star::app {

// The seed of a genome's weights and batches: a function of the run seed and the genome alone,
// so a genome scores the same whichever group trains it and however many groups there are.
uint64_t genome_seed(uint64_t run_seed, const std::string& genome_text);

// The seed of a genome's training on `task` of `config`: genome_seed for a `kind` configuration;
// in a suite, derived from genome_seed and the task's kind, so each task trains from a seed of
// its own (`star train --task` uses it too, and repeats the search's training).
uint64_t task_training_seed(const io::Config& config, const std::string& genome_text, const train::TaskConfig& task);

struct EvaluationContext {
  const io::Config* config = nullptr;
  const std::vector<train::TaskData>* data = nullptr;  // one per config->tasks, in order
  torch::Device device = torch::kCPU;
  train::GradientReducer* reducer = nullptr;  // group of several ranks; nullptr alone
  std::string log_prefix;                     // e.g. "[group 1]"; empty: print nothing
  std::function<bool()> should_stop;          // polled between training steps (a stop signal)
  int group = 0;                              // this rank's group
};

// The context in which this rank trains: the configuration, every task's data (made once for
// the run, in the order of config.tasks), the device, the group's reducer (nullptr alone) and the
// group. No stop check and no log prefix: those are the caller's.
EvaluationContext evaluation_context(const io::Config& config, const std::vector<train::TaskData>& data,
                                     torch::Device device, train::GradientReducer* reducer, int group);

// The training of `genome` (parsed from `genome_text`, both outliving the job) on `task`, as a
// search runs it: the configuration's model, settings and metrics, the genome's seed for the
// task, the context's device, reducer and stop check. No progress or notice hooks: callers add
// their own (evaluate_genome prints; `star bench generation` times the steps).
train::TrainJob training_job(const genome::Genome& genome, const std::string& genome_text, const train::TaskConfig& task,
                             const train::TaskData& data, const EvaluationContext& context);

// Trains the genome on each task of the configuration in turn and, for a suite, combines the
// results (train/suite_result.hpp): the first task that does not end ok ends the evaluation.
// `hurdle_points`: per hurdle, the front of the run's genomes there that decides the verdict
// when this one was handed out (core/hurdles.hpp, hurdle_board); at each hurdle (in the task its
// fraction of the whole budget reaches) the genome stops if a point of that front dominates the
// genome's (evolve/hurdle_rank.hpp).
// Empty: nothing can stop it yet.
train::EvalResult evaluate_genome(const std::string& genome_text, const EvaluationContext& context,
                                  const train::HurdlePoints& hurdle_points = {});

// The point of a genome at a hurdle as the run compares them (search/objectives' hurdle_point over
// [evolution] objectives): what rank 0's HurdleBoard records.
train::HurdlePointOf hurdle_point_of(const io::Config& config);

// How many genomes must have reached a hurdle before it stops any: half a population, and at
// least 2. A percentile of one or two genomes would cut on noise; waiting for a whole population
// would let the first generation train whole, an eighth of an 8-generation run's tokens.
size_t hurdle_quorum(const io::Config& config);

// Rank 0's board of [train] hurdles, holding the points of every genome `history` evaluated
// (a resumed run's; empty for a new one); it hands out each hurdle's deciding front, once
// hurdle_quorum genomes reached it.
train::HurdleBoard hurdle_board(const io::Config& config, const io::RunHistory& history);

// Tests only: a hook that sees each training job of evaluate_genome just before it runs and may
// change it, e.g. make a group's trainings throw after their first step (the real failure path:
// the genome is recorded as failed and the run goes on; tests/e2e/star_with_failing_group.cpp).
// The `star` command never installs one. Install it before the command runs; empty removes it.
using TrainingHook = std::function<void(train::TrainJob& job, const EvaluationContext& context)>;
void set_training_hook(TrainingHook hook);

}  // namespace star::app
