#include "app/saved_training.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "app/evaluate_genome.hpp"
#include "cluster/stop_request.hpp"
#include "genome/validity.hpp"
#include "train/trainer.hpp"

namespace star::app {

void make_directories(const std::string& path) {
  for (size_t at = path.find('/', 1);; at = path.find('/', at + 1)) {
    ::mkdir(path.substr(0, at).c_str(), 0755);
    if (at == std::string::npos) break;
  }
}

SavedTraining::SavedTraining(const io::Config& c, const genome::Genome& g, const train::TaskData& d,
                             const ComputeSetup& compute, train::GradientReducer* r, bool is_root, std::string folder,
                             int64_t every)
    : config(&c),
      genome(&g),
      data(&d),
      device(compute.device),
      reducer(r),
      root(is_root),
      dir(std::move(folder)),
      save_every(every),
      should_stop([] { return cluster::stop_signal_received(); }) {}

TrainState new_train_state(const io::Config& config, const std::string& genome_text, const std::string& source) {
  TrainState state;
  state.genome = genome_text;
  state.width = config.model.width;
  state.heads = config.model.heads;
  state.seed = task_training_seed(config, genome_text, config.task());
  state.config = source;
  if (config.task_suite) state.task = config.task().kind;  // the suite member it trains on
  return state;
}

genome::Genome trainable_genome(const std::string& text, const io::Config& config) {
  auto genome = genome::parse_genome(text);
  auto space = config.genome;
  space.depth = static_cast<int>(genome.livs.size());
  const auto problems = genome::violations(genome, space);
  if (!problems.empty()) throw std::invalid_argument("genome " + text + ": " + problems.front());
  return genome;
}

int64_t training_steps(const io::Config& config) {
  const auto& t = config.train;
  return std::max<int64_t>(1, t.token_budget / (t.batch_size * config.task().seq_len));
}

SavedOutcome train_saved(const SavedTraining& s, TrainState& state) {
  SavedOutcome out;
  const bool resume = state.step > 0;
  const int64_t steps = training_steps(*s.config);
  state.steps = steps;
  if (s.root && !resume) make_directories(s.dir);

  train::TrainJob job;
  job.genome = s.genome;
  job.model = s.config->model;
  job.settings = s.config->train;
  job.metrics = s.config->metrics;
  job.data = s.data;
  job.device = s.device;
  job.seed = state.seed;
  job.reducer = s.reducer;
  job.should_stop = s.should_stop;
  job.start_step = state.step;
  if (resume)
    job.restore = [&](torch::nn::Module& model, torch::optim::Optimizer& optimizer) {
      try {
        load_model(s.dir, state, model, s.device);
        load_optimizer(s.dir, state, optimizer, s.device);
      } catch (const std::exception& e) {
        out.restore_error = e.what();
        throw;
      }
    };
  job.save_every = s.save_every;
  // The root alone saves: a save that fails must not end its training while the other ranks wait
  // in the next gradient sum.
  auto save = [&](const std::function<void()>& write) {
    if (!s.root || !out.save_error.empty()) return;
    try {
      write();
    } catch (const std::exception& e) {
      out.save_error = e.what();
      std::fprintf(stderr, "%s: %s (training goes on; nothing more is saved)\n", s.program.c_str(), e.what());
    }
  };
  job.on_save = [&](torch::nn::Module& model, torch::optim::Optimizer& optimizer, int64_t step) {
    state.step = step;
    save([&] { save_training(s.dir, state, model, optimizer); });
  };
  // A few dozen curve points; progress every twentieth of the steps or 15 s, whichever is first.
  const int64_t curve_every = std::max<int64_t>(1, steps / 48), print_every = std::max<int64_t>(1, steps / 20);
  auto last_print = std::chrono::steady_clock::now();
  job.progress_every = 1;
  job.on_progress = [&](const train::TrainProgress& p) {
    if (p.step % curve_every == 0 || p.step == p.steps) state.loss_curve.emplace_back(p.step, p.loss);
    const auto now = std::chrono::steady_clock::now();
    if (!s.root || (p.step % print_every != 0 && p.step != p.steps && now - last_print < std::chrono::seconds(15)))
      return;
    last_print = now;
    std::printf("%sstep %lld/%lld  loss %.4f  %.0f tok/s\n", s.label.c_str(), static_cast<long long>(p.step),
                static_cast<long long>(p.steps), p.loss, p.tokens_per_second);
    std::fflush(stdout);
  };

  job.on_notice = [&](const train::StepNotice& notice) {
    if (!s.root || !job.device.is_cuda()) return;
    std::printf("%s%s\n", s.label.c_str(), notice.text.c_str());
    std::fflush(stdout);
  };
  out.result = train::train_and_evaluate(job);
  if (!out.restore_error.empty()) return out;
  // Its steps are saved (status stays "training") or, after a failed save, the last save stands.
  if (out.result.status != train::EvalStatus::interrupted && out.save_error.empty()) {
    state.status = train::to_string(out.result.status);
    state.loss = out.result.loss;
    state.accuracy = out.result.accuracy;
    if (!state.weights.empty()) save([&] { save_train_state(s.dir, state); });
  }
  double failed = out.save_error.empty() ? 0.0 : 1.0;  // every rank learns of the root's failure
  if (s.reducer) failed = s.reducer->sum(failed);
  if (failed > 0 && out.save_error.empty()) out.save_error = "a checkpoint could not be written (see the first rank)";
  return out;
}

}  // namespace star::app
