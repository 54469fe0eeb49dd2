#include "app/train_command.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "app/compute_setup.hpp"
#include "app/evaluate_genome.hpp"
#include "app/saved_training.hpp"
#include "app/trained_model.hpp"
#include "app/train_checkpoint.hpp"
#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/stop_request.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "io/run_lock.hpp"
#include "model/backbone.hpp"
#include "model/derived_sizes.hpp"
#include "model/model_metrics.hpp"
#include "train/precision.hpp"
#include "train/trainer.hpp"  // evaluate_on

namespace star::app {

int run_train(const TrainOptions& o, int* argc, char*** argv) {
  cluster::MpiWorld world(argc, argv);
  const bool root = world.rank() == 0;
  TrainSetup setup;
  std::string dir = o.out_dir;
  TrainState state;
  std::unique_ptr<io::RunLock> lock;  // rank 0's, on the checkpoint directory, until it returns
  int refused = 0;
  try {
    setup = prepare_training(o.config_path, o.task, o.genome, o.width, o.heads, o.tokens);
    const std::string member = suite_member(setup.config);
    if (dir.empty()) dir = setup.config.run.directory + "/train/" + (member.empty() ? "" : member + "/") + o.genome;
    if (root && !o.resume) make_directories(dir);
    struct stat st {};
    if (root && ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) lock = std::make_unique<io::RunLock>(dir);
    if (o.resume) {
      state = read_train_state(dir);
      if (state.genome != o.genome || state.width != setup.config.model.width || state.heads != setup.config.model.heads)
        throw std::invalid_argument(dir + " holds " + state.genome + " at width " + std::to_string(state.width) +
                                    ", not this genome and width");
      check_task(dir, state, setup.config);
    } else if (has_train_state(dir)) {
      throw std::invalid_argument(dir + " already holds a trained model: add --resume to continue it, or --out");
    }
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "star train: %s\n", e.what());
    refused = 2;
  }
  // Every rank leaves when any is refused (rank 0 alone holds the lock).
  MPI_Allreduce(MPI_IN_PLACE, &refused, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (refused) return refused;

  auto groups = cluster::split_into_groups(world.size());  // every rank trains the one model
  const auto compute = setup_compute(setup.config.run, groups.node_rank, groups.node_size);
  const auto data = train::make_task(setup.config.task());
  const auto reducer = cluster::make_gradient_reducer(groups.group_comm, groups.group_size, compute.device);
  cluster::install_stop_signal_handlers();

  if (!o.resume) state = new_train_state(setup.config, o.genome, o.config_path);
  SavedTraining job(setup.config, setup.genome, data, compute, reducer.get(), root, dir, o.save_every);
  const auto& t = setup.config.train;
  if (root)
    std::printf("star train %s%s: width %lld, %lld heads, %lld steps of %lld x %lld tokens, %d rank%s, %s; %s%s\n",
                o.genome.c_str(), state.task.empty() ? "" : (" on " + state.task).c_str(),
                static_cast<long long>(state.width), static_cast<long long>(state.heads),
                static_cast<long long>(training_steps(setup.config)), static_cast<long long>(t.batch_size),
                static_cast<long long>(setup.config.task().seq_len), world.size(), world.size() == 1 ? "" : "s",
                compute.describe().c_str(), o.resume ? "resuming after step " : "saving to ",
                o.resume ? std::to_string(state.step).c_str() : dir.c_str());

  const auto outcome = train_saved(job, state);
  const auto& result = outcome.result;
  if (!outcome.restore_error.empty()) {
    // Nothing was trained: state.toml keeps the record of the model it names, untouched.
    if (root) std::fprintf(stderr, "star train: cannot resume %s: %s\n", dir.c_str(), outcome.restore_error.c_str());
    cluster::free_groups(groups);
    return 2;
  }
  if (!outcome.save_error.empty()) {
    // After a save that failed, the previous checkpoint and its state.toml stay as they were.
    if (root) {
      const std::string saved = has_train_state(dir) ? "the last checkpoint saved is what " + dir + "/state.toml names"
                                                     : "no checkpoint was saved in " + dir;
      std::fprintf(stderr, "star train: stopped for the failed save: %s\n", saved.c_str());
    }
    cluster::free_groups(groups);
    return 3;
  }
  if (root && result.status == train::EvalStatus::interrupted)
    std::printf("stopped by a signal: %s holds step %lld of %lld; exit status %d means resubmit: add --resume to "
                "continue\n",
                dir.c_str(), static_cast<long long>(state.step), static_cast<long long>(state.steps),
                cluster::kResubmitExitStatus);
  else if (root) {
    std::printf("%s  %s  held-out loss %.4f (perplexity %.2f)  accuracy %.3f  params %lld  %.1f s  %.0f tok/s%s%s\n",
                o.genome.c_str(), state.status.c_str(), result.loss, std::exp(result.loss), result.accuracy,
                static_cast<long long>(result.parameters), result.seconds, result.tokens_per_second,
                result.message.empty() ? "" : "  ", result.message.c_str());
    if (result.gate_mean > 0)
      std::printf("routing: mean gate %.3f; %.1f%% of token-blocks below %.2f, whose skipping saves %.1f%% of the "
                  "forward compute and changes the held-out loss by %+.4f\n",
                  result.gate_mean, 100 * result.gate_skip_share, model::kSkipThreshold, 100 * result.skip_compute_saved,
                  result.skip_loss_change);
    std::printf("saved in %s\n", dir.c_str());
  }
  cluster::free_groups(groups);
  if (result.status == train::EvalStatus::interrupted) return cluster::kResubmitExitStatus;
  return result.status == train::EvalStatus::ok ? 0 : 3;
}

int run_eval(const EvalOptions& o) {
  try {
    auto saved = load_saved_model(o.config_path, o.task, o.checkpoint);
    const auto& config = saved.setup.config;
    const auto data = train::make_task(config.task());
    train::EvalResult result;
    train::evaluate_on(saved.net, data.test, saved.compute.device, result,
                       train::uses_bf16(config.train.precision, saved.compute.device), config.model.kernels);
    std::printf("%s  step %lld/%lld  held-out loss %.4f (perplexity %.2f)  accuracy %.3f on %lld sequences\n",
                saved.state.genome.c_str(), static_cast<long long>(saved.state.step),
                static_cast<long long>(saved.state.steps), result.loss, std::exp(result.loss), result.accuracy,
                static_cast<long long>(data.test.inputs.size(0)));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star eval: %s\n", e.what());
    return 2;
  }
}

void add_train_commands(CLI::App& star, Subcommands& out) {
  auto t = std::make_shared<TrainOptions>();
  auto* train_cmd = star.add_subcommand("train", "Train one genome (at any width), saving weights as it goes");
  train_cmd->add_option("config", t->config_path, "Run configuration (TOML): task, training, model sizes")->required();
  train_cmd->add_option("--genome", t->genome, "Genome text")->required();
  train_cmd->add_option("--task", t->task, "The task of a [task] suite to train on (its kind)");
  train_cmd->add_option("--out", t->out_dir,
                        "Checkpoint directory (default <run dir>/train/<genome>; suite: <run dir>/train/<task>/<genome>)");
  train_cmd->add_option("--width", t->width, "Model width (default [model] width)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--heads", t->heads, "Attention heads (default [model] heads)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--tokens", t->tokens, "Token budget (default [train] token_budget)")->check(CLI::PositiveNumber);
  train_cmd->add_option("--save-every", t->save_every, "Steps between checkpoints")->check(CLI::PositiveNumber);
  train_cmd->add_flag("--resume", t->resume, "Continue the training saved in the checkpoint directory");
  out.push_back({train_cmd, [t](int* argc, char*** argv) { return run_train(*t, argc, argv); }});

  auto e = std::make_shared<EvalOptions>();
  auto* eval_cmd = star.add_subcommand("eval", "Score a model saved by star train on the configuration's task");
  eval_cmd->add_option("config", e->config_path, "Run configuration (TOML): the task to score on")->required();
  eval_cmd->add_option("--checkpoint", e->checkpoint, "Checkpoint directory written by star train")->required();
  eval_cmd->add_option("--task", e->task, "The task of a [task] suite to score on (its kind)");
  out.push_back({eval_cmd, [e](int*, char***) { return run_eval(*e); }});
}

}  // namespace star::app
