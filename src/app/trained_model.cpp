#include "app/trained_model.hpp"

#include <stdexcept>

#include "app/saved_training.hpp"

namespace star::app {

TrainSetup prepare_training(const std::string& config_path, const std::string& task, const std::string& text,
                            int64_t width, int64_t heads, int64_t tokens) {
  TrainSetup s;
  s.config = io::load_config(config_path);
  // One model on one task: a suite's member becomes the configuration's only task.
  const train::TaskConfig picked = io::pick_task(s.config, task);
  s.config.tasks = {picked};
  s.config.model = io::task_model(s.config, picked);
  if (width > 0) s.config.model.width = width;
  if (heads > 0) s.config.model.heads = heads;
  if (tokens > 0) s.config.train.token_budget = tokens;
  if (s.config.model.width % s.config.model.heads != 0)
    throw std::invalid_argument("width " + std::to_string(s.config.model.width) + " is not divisible by " +
                                std::to_string(s.config.model.heads) + " heads");
  s.genome = trainable_genome(text, s.config);
  return s;
}

std::string suite_member(const io::Config& config) { return config.task_suite ? config.task().kind : ""; }

void check_task(const std::string& dir, const TrainState& state, const io::Config& config) {
  const std::string member = suite_member(config);
  if (state.task == member) return;
  const std::string saved = state.task.empty() ? "the task of a configuration without a suite" : "task " + state.task;
  const std::string wanted = member.empty() ? "this configuration's task (it has no suite)" : "task " + member;
  throw std::invalid_argument(dir + " holds a model trained on " + saved + ", not " + wanted);
}

SavedModel load_saved_model(const std::string& config_path, const std::string& task, const std::string& checkpoint) {
  SavedModel m;
  m.state = read_train_state(checkpoint);
  if (m.state.weights.empty()) throw std::invalid_argument(checkpoint + " holds no saved weights yet");
  m.setup = prepare_training(config_path, task, m.state.genome, m.state.width, m.state.heads, 0);
  check_task(checkpoint, m.state, m.setup.config);
  m.compute = setup_compute(m.setup.config.run, 0, 1);
  m.net = model::Backbone(m.setup.genome, m.setup.config.model);
  m.net->to(m.compute.device);
  load_model(checkpoint, m.state, *m.net, m.compute.device);
  return m;
}

}  // namespace star::app
