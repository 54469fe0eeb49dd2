#include "app/train_checkpoint.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include "io/atomic_file.hpp"

namespace star::app {
namespace {

std::string state_path(const std::string& dir) { return dir + "/state.toml"; }

// Reads a LibTorch archive into `use`. A truncated or foreign file is one line naming it: torch's
// own error carries a C++ stack trace of twenty lines.
template <typename Use>
void load_archive(const std::string& path, torch::Device device, Use use) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path, device);
    use(archive);
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    throw std::runtime_error(path + ": cannot be read (damaged or not written by star train): " +
                             what.substr(0, what.find('\n')));
  }
}

// An archive written with checked writes and fsync'd. torch's own file writer fails on a full disk
// by throwing from a destructor, which ends the process (std::terminate): the bytes are gathered
// in memory first.
void save_archive(torch::serialize::OutputArchive& archive, const std::string& path) {
  std::string bytes;
  archive.save_to([&bytes](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  io::write_synced_file(path, bytes);  // throws io::WriteError naming the file
}

void remove_weights(const std::string& folder) {  // not std::filesystem::remove_all: see ENV.md
  for (const char* name : {"/model.pt", "/optimizer.pt"}) ::unlink((folder + name).c_str());
  ::rmdir(folder.c_str());
}

}  // namespace

bool has_train_state(const std::string& dir) {
  struct stat st {};
  return ::stat(state_path(dir).c_str(), &st) == 0;
}

TrainState read_train_state(const std::string& dir) {
  const std::string path = state_path(dir);
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << path << ":" << e.source().begin.line << ": " << e.description();
    throw std::runtime_error(out.str());
  }
  TrainState s;
  auto need = [&](const char* key) {
    if (!t.contains(key)) throw std::runtime_error(path + ": no " + key + " (not a star train checkpoint?)");
    return t[key];
  };
  s.genome = need("genome").value_or(std::string());
  s.width = need("width").value_or(int64_t{0});
  s.heads = need("heads").value_or(int64_t{0});
  s.step = need("step").value_or(int64_t{0});
  s.steps = need("steps").value_or(int64_t{0});
  s.seed = static_cast<uint64_t>(need("seed").value_or(int64_t{0}));
  s.weights = need("weights").value_or(std::string());
  s.config = t["config"].value_or(std::string());
  s.task = t["task"].value_or(std::string());
  s.status = t["status"].value_or(std::string("training"));
  s.loss = t["loss"].value_or(0.0);
  s.accuracy = t["accuracy"].value_or(0.0);
  if (const auto* curve = t["loss_curve"].as_array())
    for (const auto& point : *curve)
      if (const auto* pair = point.as_array(); pair && pair->size() == 2)
        s.loss_curve.emplace_back((*pair)[0].value_or(int64_t{0}), (*pair)[1].value_or(0.0));
  return s;
}

void save_train_state(const std::string& dir, const TrainState& s) {
  toml::array curve;
  for (const auto& [step, loss] : s.loss_curve) curve.push_back(toml::array{step, loss});
  toml::table t{{"genome", s.genome},
                {"width", s.width},
                {"heads", s.heads},
                {"step", s.step},
                {"steps", s.steps},
                {"seed", static_cast<int64_t>(s.seed)},
                {"config", s.config},
                {"status", s.status},
                {"loss", s.loss},
                {"accuracy", s.accuracy},
                {"loss_curve", curve},
                {"weights", s.weights}};
  if (!s.task.empty()) t.insert("task", s.task);
  std::ostringstream text;
  text << "# star train checkpoint (see src/app/train_checkpoint.hpp)\n" << t << "\n";
  io::write_file_atomically(state_path(dir), text.str());
}

void save_training(const std::string& dir, TrainState& state, torch::nn::Module& model,
                   torch::optim::Optimizer& optimizer) {
  char name[32];
  std::snprintf(name, sizeof(name), "step_%08lld", static_cast<long long>(state.step));
  const std::string folder = dir + "/" + name, previous = state.weights;
  ::mkdir(folder.c_str(), 0755);
  torch::serialize::OutputArchive weights;
  model.save(weights);
  save_archive(weights, folder + "/model.pt");
  torch::serialize::OutputArchive moments;
  optimizer.save(moments);
  save_archive(moments, folder + "/optimizer.pt");
  io::sync_path_or_throw(folder);  // both names on disk before state.toml names the folder
  state.weights = name;
  save_train_state(dir, state);
  if (!previous.empty() && previous != state.weights) remove_weights(dir + "/" + previous);
}

void load_model(const std::string& dir, const TrainState& state, torch::nn::Module& model, torch::Device device) {
  load_archive(dir + "/" + state.weights + "/model.pt", device, [&](auto& archive) { model.load(archive); });
}

void load_optimizer(const std::string& dir, const TrainState& state, torch::optim::Optimizer& optimizer,
                    torch::Device device) {
  load_archive(dir + "/" + state.weights + "/optimizer.pt", device, [&](auto& archive) { optimizer.load(archive); });
}

}  // namespace star::app
