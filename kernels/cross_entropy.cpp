// Kokkos implementation of the fused cross-entropy; see cross_entropy.hpp for the definition and
// layouts.
//
// One team per row of logits, its threads striding over the V classes side by side (coalesced).
// On a GPU a thread reads 16 bytes at once (8 bf16 or 4 fp32 classes) where the rows allow it,
// else bf16 pairs (one 32-bit access): a 50k-wide bf16 row read pairwise kept too few bytes in
// flight, and the forward pass ran at under half the memory's bandwidth. The forward pass is a
// single sweep: each thread keeps a running maximum m and the sum s of exp(x - m) over its
// elements, rescaling s when m grows (per element, or per access of 4 or more classes: the
// access's maximum first, so that its exponentials do not wait on each other), and the team then
// combines its threads' (m, s) with a max and a sum reduction. The backward pass recomputes
// exp(x - lse) from the saved lse in one more sweep that writes the gradient; the fused
// forward-backward pass runs that sweep right after the reduction, while the row may still be in
// the GPU's L2 cache (at 65536 x 50304 bf16 it is not: see cross_entropy.hpp). On the host a
// team is one thread and the same code walks the row. Team reductions combine in a fixed order,
// so results do not change from run to run.
#include "cross_entropy.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "impl/access_width.hpp"
#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

constexpr float kLowest = -3.40282347e+38f;  // the running max's start: -FLT_MAX, so -inf logits add exp(-inf) = 0

void check_shape(const CrossEntropyShape& s) {
  if (s.plan) check_cross_entropy_plan(*s.plan);
  impl::check_row_shape("cross_entropy", s.rows, "V", s.classes, 1);
}

template <class Exec>
using Member = impl::TeamMember<Exec>;

CrossEntropyPlan plan_of(const CrossEntropyShape& s) { return s.plan ? *s.plan : CrossEntropyPlan(); }

// One team per row. On a GPU: enough threads for about 8 groups of P classes each, in whole warps,
// from 32 to the plan's team_threads (V = 50304 in groups of 8 bf16 at 512: 512 threads, 12 or 13
// groups each). On the host: one thread.
template <class Exec>
Kokkos::TeamPolicy<Exec> row_teams(const Exec& exec, const CrossEntropyShape& s, int P) {
  return impl::team_policy(exec, s.rows, s.classes / P, 8, plan_of(s).team_threads);
}

// Folds x into the running (max m, sum s of exp(. - m)).
KOKKOS_INLINE_FUNCTION void fold(float x, float& m, float& s) {
  if (x > m) {
    s = s * expf(m - x) + 1.0f;
    m = x;
  } else {
    s += expf(x - m);  // NaN logits land here and make s NaN
  }
}

// Folds P values into (m, s) at once: their maximum first, then one exp each (x == m adds 1, so
// that an infinite logit gives an infinite lse as fold does, not inf - inf).
template <int P>
KOKKOS_INLINE_FUNCTION void fold_access(const float (&x)[P], float& m, float& s) {
  float top = x[0];
  STAR_UNROLL for (int p = 1; p < P; ++p) top = x[p] > top ? x[p] : top;  // a NaN is skipped here, summed below
  if (top > m) {
    s *= expf(m - top);
    m = top;
  }
  STAR_UNROLL for (int p = 0; p < P; ++p) s += x[p] == m ? 1.0f : expf(x[p] - m);
}

// logsumexp of row[0 .. V) by the whole team, P classes per access (P divides V); every thread
// gets the result.
template <int P, int A, class Member, class Elem>
KOKKOS_INLINE_FUNCTION float row_logsumexp(const Member& team, const Elem* row, int64_t V) {
  float m = kLowest, s = 0.0f;
  const int64_t stride = int64_t(team.team_size()) * P;
  int64_t i = int64_t(team.team_rank()) * P;
  if constexpr (P >= 4) {
    // A accesses issued before any is folded (in the same order as one at a time): A times the
    // bytes in flight per thread while the loads wait on memory.
    for (; i + (A - 1) * stride < V; i += A * stride) {
      float x[A][P];
      STAR_UNROLL for (int a = 0; a < A; ++a) impl::load<P>(row + i + a * stride, x[a]);
      STAR_UNROLL for (int a = 0; a < A; ++a) fold_access<P>(x[a], m, s);
    }
  }
  for (; i < V; i += stride) {
    float x[P];
    impl::load<P>(row + i, x);
    if constexpr (P >= 4) {
      fold_access<P>(x, m, s);
    } else {
      STAR_UNROLL for (int p = 0; p < P; ++p) fold(x[p], m, s);
    }
  }
  float team_max = m;
  team.team_reduce(Kokkos::Max<float>(team_max));
  float team_sum = s * expf(m - team_max);  // a thread without elements has s = 0
  team.team_reduce(Kokkos::Sum<float>(team_sum));
  return team_max + logf(team_sum);
}

template <int P, int A, class Exec, class Elem>
void forward_rows(const Exec& exec, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
                  int64_t ignore, float* loss, float* lse) {
  const int64_t V = s.classes;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Kokkos::parallel_for(
      "star::cross_entropy_forward", row_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank(), target = targets[n];
        if (target == ignore) {  // the same for the whole team: no thread waits in a reduction alone
          if (team.team_rank() == 0) loss[n] = lse[n] = 0.0f;
          return;
        }
        const Elem* row = logits + n * V;
        const float l = row_logsumexp<P, A>(team, row, V);
        if (team.team_rank() == 0) {
          lse[n] = l;
          loss[n] = target >= 0 && target < V ? l - impl::to_float(row[target]) : nan;
        }
      });
}

// Writes row n's gradient, scale * (exp(x - lse) - [v == target]), NaN throughout where the
// target is out of range; the team's threads stride over the row, P classes per access, A
// accesses loaded before any is stored.
template <int P, int A, class Member, class Elem>
KOKKOS_INLINE_FUNCTION void write_gradient_row(const Member& team, const Elem* row, int64_t V, int64_t target, float l,
                                               float scale, Elem* out) {
  const bool valid = target >= 0 && target < V;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto gradient = [&](int64_t i, float(&x)[P]) {
    STAR_UNROLL for (int p = 0; p < P; ++p)
      x[p] = valid ? scale * (expf(x[p] - l) - (i + p == target ? 1.0f : 0.0f)) : nan;
  };
  const int64_t stride = int64_t(team.team_size()) * P;
  int64_t i = int64_t(team.team_rank()) * P;
  if constexpr (P >= 4) {
    for (; i + (A - 1) * stride < V; i += A * stride) {  // all loads before any store, as in row_logsumexp
      float x[A][P];
      STAR_UNROLL for (int a = 0; a < A; ++a) impl::load<P>(row + i + a * stride, x[a]);
      STAR_UNROLL for (int a = 0; a < A; ++a) gradient(i + a * stride, x[a]);
      STAR_UNROLL for (int a = 0; a < A; ++a) impl::store<P>(out + i + a * stride, x[a]);
    }
  }
  for (; i < V; i += stride) {
    float x[P];
    impl::load<P>(row + i, x);
    gradient(i, x);
    impl::store<P>(out + i, x);
  }
}

// Zeroes row `out` (an ignored target's gradient).
template <int P, class Member, class Elem>
KOKKOS_INLINE_FUNCTION void zero_row(const Member& team, int64_t V, Elem* out) {
  const float zeros[P] = {};
  for (int64_t i = int64_t(team.team_rank()) * P; i < V; i += int64_t(team.team_size()) * P)
    impl::store<P>(out + i, zeros);
}

template <int P, int A, class Exec, class Elem>
void backward_rows(const Exec& exec, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
                   int64_t ignore, const float* lse, const float* grad_scale, Elem* dlogits) {
  const int64_t V = s.classes;
  Kokkos::parallel_for(
      "star::cross_entropy_backward", row_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank(), target = targets[n];
        if (target == ignore) return zero_row<P>(team, V, dlogits + n * V);
        write_gradient_row<P, A>(team, logits + n * V, V, target, lse[n], *grad_scale, dlogits + n * V);
      });
}

template <int P, int A, class Exec, class Elem>
void forward_backward_rows(const Exec& exec, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
                           int64_t ignore, const float* grad_scale, float* loss, Elem* dlogits) {
  const int64_t V = s.classes;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Kokkos::parallel_for(
      "star::cross_entropy_forward_backward", row_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank(), target = targets[n];
        const Elem* row = logits + n * V;
        if (target == ignore) {
          if (team.team_rank() == 0) loss[n] = 0.0f;
          return zero_row<P>(team, V, dlogits + n * V);
        }
        const float l = row_logsumexp<P, A>(team, row, V);
        if (team.team_rank() == 0) loss[n] = target >= 0 && target < V ? l - impl::to_float(row[target]) : nan;
        write_gradient_row<P, A>(team, row, V, target, l, *grad_scale, dlogits + n * V);
      });
}

// A fixed league of teams, each reading the two scales first: where they are equal (always, in
// a training step) the whole launch costs a few microseconds.
constexpr int kRescaleTeams = 1024;

template <class Exec, class Elem>
void rescale_all(const Exec& exec, int64_t count, const float* carried, const float* actual, Elem* dlogits) {
  Kokkos::parallel_for(
      "star::cross_entropy_rescale", impl::team_policy(exec, kRescaleTeams, count / kRescaleTeams, 8, 256),
      KOKKOS_LAMBDA(const Member<Exec>& team) {
        const float from = *carried, to = *actual;
        if (from == to) return;
        const int64_t step = int64_t(team.league_size()) * team.team_size();
        for (int64_t i = int64_t(team.league_rank()) * team.team_size() + team.team_rank(); i < count; i += step) {
          float x[1];
          impl::load<1>(dlogits + i, x);
          x[0] *= to / from;
          impl::store<1>(dlogits + i, x);
        }
      });
}

// body(exec, P) -> run(exec, P, A) with A the plan's accesses where P takes the wide loops (P >= 4,
// see row_logsumexp), else 2, which the narrower sweeps do not use.
template <class Run>
auto with_plan_accesses(const CrossEntropyShape& s, const Run& run) {
  return [&s, &run](const auto& exec, auto P) {
    if constexpr (decltype(P)::value >= 4) {
      if (plan_of(s).accesses == 4) return run(exec, P, std::integral_constant<int, 4>());
    }
    run(exec, P, std::integral_constant<int, 2>());
  };
}

template <class Elem>
void forward(const Launch& launch, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
             int64_t ignore, float* loss, float* lse) {
  check_shape(s);
  if (s.rows == 0) return;
  const auto run = [&](const auto& exec, auto P, auto A) {
    forward_rows<decltype(P)::value, decltype(A)::value>(exec, s, logits, targets, ignore, loss, lse);
  };
  // Wide on a GPU only: the wide sweep folds its maxima per access (another rounding).
  impl::with_access_width<Elem>(launch, s.classes, {logits}, /*wide_on_host=*/false, with_plan_accesses(s, run));
}

template <class Elem>
void backward(const Launch& launch, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
              int64_t ignore, const float* lse, const float* grad_scale, Elem* dlogits) {
  check_shape(s);
  if (s.rows == 0) return;
  const auto run = [&](const auto& exec, auto P, auto A) {
    backward_rows<decltype(P)::value, decltype(A)::value>(exec, s, logits, targets, ignore, lse, grad_scale, dlogits);
  };
  impl::with_access_width<Elem>(launch, s.classes, {logits, dlogits}, /*wide_on_host=*/false,
                                with_plan_accesses(s, run));
}

template <class Elem>
void forward_backward(const Launch& launch, const CrossEntropyShape& s, const Elem* logits, const int64_t* targets,
                      int64_t ignore, const float* grad_scale, float* loss, Elem* dlogits) {
  check_shape(s);
  if (s.rows == 0) return;
  const auto run = [&](const auto& exec, auto P, auto A) {
    forward_backward_rows<decltype(P)::value, decltype(A)::value>(exec, s, logits, targets, ignore, grad_scale, loss,
                                                                  dlogits);
  };
  impl::with_access_width<Elem>(launch, s.classes, {logits, dlogits}, /*wide_on_host=*/false,
                                with_plan_accesses(s, run));
}

template <class Elem>
void rescale(const Launch& launch, int64_t count, const float* carried, const float* actual, Elem* dlogits) {
  if (count <= 0) return;
  impl::dispatch(launch, [&](const auto& exec) { rescale_all(exec, count, carried, actual, dlogits); });
}

}  // namespace

void check_cross_entropy_plan(const CrossEntropyPlan& plan) {
  if (plan.team_threads < 32 || plan.team_threads > 1024 || plan.team_threads % 32 != 0 ||
      (plan.accesses != 2 && plan.accesses != 4))
    throw std::invalid_argument("cross_entropy: bad plan: " + std::to_string(plan.team_threads) +
                                " threads a team (a multiple of 32 from 32 to 1024), " +
                                std::to_string(plan.accesses) + " accesses in flight (2 or 4)");
}

void cross_entropy_forward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                           const int64_t* targets, int64_t ignore_index, float* loss, float* lse) {
  forward(launch, shape, logits, targets, ignore_index, loss, lse);
}
void cross_entropy_forward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                           const int64_t* targets, int64_t ignore_index, float* loss, float* lse) {
  forward(launch, shape, logits, targets, ignore_index, loss, lse);
}

void cross_entropy_backward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                            const int64_t* targets, int64_t ignore_index, const float* lse,
                            const float* grad_scale, float* dlogits) {
  backward(launch, shape, logits, targets, ignore_index, lse, grad_scale, dlogits);
}
void cross_entropy_backward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                            const int64_t* targets, int64_t ignore_index, const float* lse,
                            const float* grad_scale, Bf16* dlogits) {
  backward(launch, shape, logits, targets, ignore_index, lse, grad_scale, dlogits);
}

void cross_entropy_forward_backward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                                    const int64_t* targets, int64_t ignore_index, const float* grad_scale, float* loss,
                                    float* dlogits) {
  forward_backward(launch, shape, logits, targets, ignore_index, grad_scale, loss, dlogits);
}
void cross_entropy_forward_backward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                                    const int64_t* targets, int64_t ignore_index, const float* grad_scale, float* loss,
                                    Bf16* dlogits) {
  forward_backward(launch, shape, logits, targets, ignore_index, grad_scale, loss, dlogits);
}

void cross_entropy_rescale(const Launch& launch, int64_t count, const float* carried, const float* actual,
                           float* dlogits) {
  rescale(launch, count, carried, actual, dlogits);
}
void cross_entropy_rescale(const Launch& launch, int64_t count, const float* carried, const float* actual,
                           Bf16* dlogits) {
  rescale(launch, count, carried, actual, dlogits);
}

}  // namespace star::kernels
