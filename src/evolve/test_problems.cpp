#include "evolve/test_problems.hpp"

#include <cmath>
#include <stdexcept>

namespace star::evolve {
namespace {

constexpr double kPi = 3.14159265358979323846;  // M_PI is POSIX, not standard C++

double zdt_g(const std::vector<double>& x) {
  double sum = 0;
  for (size_t i = 1; i < x.size(); ++i) sum += x[i];
  return 1.0 + 9.0 * sum / static_cast<double>(x.size() - 1);
}

std::vector<double> zdt1(const std::vector<double>& x) {
  const double g = zdt_g(x);
  return {x[0], g * (1.0 - std::sqrt(x[0] / g))};
}

std::vector<double> zdt2(const std::vector<double>& x) {
  const double g = zdt_g(x);
  return {x[0], g * (1.0 - (x[0] / g) * (x[0] / g))};
}

std::vector<double> zdt3(const std::vector<double>& x) {
  const double g = zdt_g(x), r = x[0] / g;
  return {x[0], g * (1.0 - std::sqrt(r) - r * std::sin(10.0 * kPi * x[0]))};
}

// DTLZ2 with 3 objectives: the front is the positive octant of the unit sphere.
std::vector<double> dtlz2(const std::vector<double>& x) {
  double g = 0;
  for (size_t i = 2; i < x.size(); ++i) g += (x[i] - 0.5) * (x[i] - 0.5);
  const double a = x[0] * kPi / 2, b = x[1] * kPi / 2;
  return {(1 + g) * std::cos(a) * std::cos(b), (1 + g) * std::cos(a) * std::sin(b), (1 + g) * std::sin(a)};
}

}  // namespace

TestProblem test_problem(const std::string& name) {
  TestProblem p;
  p.name = name;
  // Analytic hypervolumes against (1.1, ..., 1.1): ZDT1: 0.1 * 1.1 + integral_0^1 (1.1 - 1 + sqrt x) dx;
  // ZDT2 likewise with x^2; DTLZ2: 1.1^3 minus the octant of the unit ball, pi / 6.
  if (name == "zdt1") {
    p.evaluate = zdt1;
    p.analytic_hypervolume = 0.11 + 0.1 + 2.0 / 3.0;
  } else if (name == "zdt2") {
    p.evaluate = zdt2;
    p.analytic_hypervolume = 0.11 + 0.1 + 1.0 / 3.0;
  } else if (name == "zdt3") {
    p.evaluate = zdt3;
    p.analytic_hypervolume = 0;  // disconnected front: not computed in closed form here
  } else if (name == "dtlz2") {
    p.evaluate = dtlz2;
    p.variables = 12;
    p.objectives = 3;
    p.analytic_hypervolume = 1.1 * 1.1 * 1.1 - kPi / 6.0;
  } else {
    throw std::invalid_argument("unknown test problem \"" + name + "\" (known: zdt1, zdt2, zdt3, dtlz2)");
  }
  p.lower.assign(p.variables, 0.0);
  p.upper.assign(p.variables, 1.0);
  return p;
}

}  // namespace star::evolve
