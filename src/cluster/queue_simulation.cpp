#include "cluster/queue_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <stdexcept>

namespace star::cluster {
namespace {

// The groups' free times; the earliest takes the next genome.
class Groups {
 public:
  explicit Groups(int groups) {
    if (groups < 1) throw std::invalid_argument("queue simulation: groups must be at least 1");
    for (int g = 0; g < groups; ++g) free_at_.push(0.0);
  }
  int size() const { return static_cast<int>(free_at_.size()); }
  // Runs `cost` of work on `width` groups (the first `width` free), in cost / width once all are free.
  void run(double cost, int width) {
    double start = 0;  // the last of the `width` groups to be free
    for (int i = 0; i < width; ++i) {
      start = std::max(start, free_at_.top());
      free_at_.pop();
    }
    const double end = start + cost / width;
    for (int i = 0; i < width; ++i) free_at_.push(end);
    schedule_.busy += cost;
    schedule_.makespan = std::max(schedule_.makespan, end);
  }
  SimulatedSchedule finish() const {
    SimulatedSchedule s = schedule_;
    s.idle_fraction = s.makespan > 0 ? 1.0 - s.busy / (size() * s.makespan) : 0.0;
    return s;
  }

 private:
  std::priority_queue<double, std::vector<double>, std::greater<double>> free_at_;
  SimulatedSchedule schedule_;
};

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace

SimulatedSchedule simulate_generation(const std::vector<double>& costs, int groups, DispatchPolicy policy) {
  Groups free(groups);
  for (int item : dispatch_order(costs, policy)) free.run(costs[item], 1);
  return free.finish();
}

SimulatedSchedule simulate_steady_state(const std::vector<double>& costs, int groups, double wide_above) {
  if (!(wide_above >= 0)) throw std::invalid_argument("queue simulation: wide_above must be >= 0");
  Groups free(groups);
  const double wide = wide_above * median(costs);
  for (double cost : costs) {
    int width = 1;
    if (wide > 0 && cost > wide) width = static_cast<int>(std::min<double>(groups, std::ceil(cost / wide)));
    free.run(cost, width);
  }
  return free.finish();
}

}  // namespace star::cluster
