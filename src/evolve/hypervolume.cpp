#include "evolve/hypervolume.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace star::evolve {
namespace {

// 2-D: sweep by the first objective, adding the strip each point adds below the best second
// objective seen so far.
double hypervolume_2d(std::vector<std::pair<double, double>> pts, double rx, double ry) {
  std::sort(pts.begin(), pts.end());
  double area = 0, last_y = ry;
  for (const auto& [x, y] : pts) {
    if (y < last_y) {
      area += (rx - x) * (last_y - y);
      last_y = y;
    }
  }
  return area;
}

}  // namespace

double hypervolume(const ObjectiveMatrix& points, const std::vector<double>& ref) {
  const size_t m = ref.size();
  if (m < 1 || m > 3) throw std::invalid_argument("hypervolume: 1 to 3 objectives, got " + std::to_string(m));
  ObjectiveMatrix inside;
  for (const auto& p : points) {
    if (p.size() != m) throw std::invalid_argument("hypervolume: a point and the reference differ in length");
    bool below = true;
    for (size_t k = 0; k < m; ++k) below = below && p[k] < ref[k];
    if (below) inside.push_back(p);
  }
  if (inside.empty()) return 0.0;
  if (m == 1) {
    double best = ref[0];
    for (const auto& p : inside) best = std::min(best, p[0]);
    return ref[0] - best;
  }
  if (m == 2) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : inside) pts.emplace_back(p[0], p[1]);
    return hypervolume_2d(std::move(pts), ref[0], ref[1]);
  }
  // 3-D: slices along the third objective; between consecutive values, the 2-D hypervolume of
  // the points at or below the slice. O(N^2 log N), ample for populations of thousands.
  std::sort(inside.begin(), inside.end(), [](const auto& a, const auto& b) { return a[2] < b[2]; });
  double volume = 0;
  std::vector<std::pair<double, double>> slice;
  for (size_t k = 0; k < inside.size(); ++k) {
    slice.emplace_back(inside[k][0], inside[k][1]);
    const double next_z = k + 1 < inside.size() ? inside[k + 1][2] : ref[2];
    if (next_z > inside[k][2]) volume += (next_z - inside[k][2]) * hypervolume_2d(slice, ref[0], ref[1]);
  }
  return volume;
}

}  // namespace star::evolve
