#include "evolve/sweep_fronts.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>

namespace star::evolve {
namespace {

using Point = std::array<double, 3>;

// The members of one front projected on objectives 2 and 3, keeping only those no other member
// covers: keys ascending, values strictly descending.
class Staircase {
 public:
  // Some member is no worse than p in objectives 2 and 3.
  bool covers(double y, double z) const {
    auto it = steps_.upper_bound(y);
    if (it == steps_.begin()) return false;
    return std::prev(it)->second <= z;
  }
  // Only for a point not covered (the sweep never adds one that is).
  void add(double y, double z) {
    auto it = steps_.lower_bound(y);
    while (it != steps_.end() && it->second >= z) it = steps_.erase(it);
    steps_.emplace_hint(it, y, z);
  }

 private:
  std::map<double, double> steps_;
};

}  // namespace

std::vector<std::vector<int>> sweep_fronts(const ObjectiveMatrix& f, const std::vector<int>& members) {
  std::vector<std::vector<int>> fronts;
  if (members.empty()) return fronts;
  const size_t m = f[members[0]].size();
  if (m < 1 || m > 3) throw std::invalid_argument("sweep_fronts: 1 to 3 objectives, got " + std::to_string(m));
  // Missing objectives are 0 for everybody, which changes no domination.
  std::vector<Point> p(members.size(), Point{0, 0, 0});
  for (size_t i = 0; i < members.size(); ++i)
    for (size_t k = 0; k < m; ++k) p[i][k] = f[members[i]][k];
  std::vector<int> order(members.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return p[a] < p[b] || (p[a] == p[b] && a < b); });

  // In lexicographic order a point's dominators all come before it, and among earlier distinct
  // points q dominates p exactly when q is no worse in objectives 2 and 3. So p's front is the
  // first whose staircase does not cover it, and "front k covers p" is true for every k below
  // that and false above (a member of a later front that dominated p would be dominated by a
  // member of front k, which would then dominate p): binary search applies. Equal points get the
  // front of the first of them; they do not dominate each other.
  std::vector<Staircase> stairs;
  int previous_front = -1;
  for (size_t s = 0; s < order.size(); ++s) {
    const int i = order[s];
    int front;
    if (s > 0 && p[i] == p[order[s - 1]]) {
      front = previous_front;
    } else {
      int lo = 0, hi = static_cast<int>(stairs.size());  // answer in [lo, hi]
      while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (stairs[mid].covers(p[i][1], p[i][2])) lo = mid + 1;
        else hi = mid;
      }
      front = lo;
      if (front == static_cast<int>(stairs.size())) {
        stairs.emplace_back();
        fronts.emplace_back();
      }
      stairs[front].add(p[i][1], p[i][2]);
    }
    fronts[front].push_back(members[i]);
    previous_front = front;
  }
  return fronts;
}

}  // namespace star::evolve
