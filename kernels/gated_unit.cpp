// Kokkos implementation of the fused gated unit; see gated_unit.hpp for the definition and
// layouts.
//
// One team per row n, its threads striding over the h hidden channels side by side: each thread
// reads g and u at channel j (two coalesced streams, the two halves of the row) and writes y, or,
// backward, reads g, u and dy and writes dg and du, 16 bytes per access where the rows allow it
// (8 bf16 or 4 fp32 channels), else bf16 pairs (one 32-bit access each). Teams by row keep index
// arithmetic to a multiply-add per access (no 64-bit division per element). On the host a team
// is one thread and the same code walks the row.
// The activation is a template parameter, so each kernel has one branch-free body.
#include "gated_unit.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "impl/access_width.hpp"
#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

constexpr float kSqrtHalf = 0.707106781186547524f;      // 1 / sqrt(2)
constexpr float kInvSqrtTwoPi = 0.398942280401432678f;  // 1 / sqrt(2 pi): the normal density at 0

void check_shape(const GatedUnitShape& s) { impl::check_row_shape("gated_unit", s.rows, "h", s.hidden, 0); }

// act(x), written as torch writes it (silu x / (1 + e^-x), gelu x / 2 (1 + erf(x / sqrt 2)),
// sigmoid 1 / (1 + e^-x)), so fp32 results agree to an ulp or two.
template <GateActivation A>
KOKKOS_INLINE_FUNCTION float activate(float x) {
  if constexpr (A == GateActivation::silu) return x / (1.0f + expf(-x));
  else if constexpr (A == GateActivation::gelu) return x * 0.5f * (1.0f + erff(x * kSqrtHalf));
  else if constexpr (A == GateActivation::sigmoid) return 1.0f / (1.0f + expf(-x));
  else return x;
}

// act(x) and act'(x) together (they share their exponential).
template <GateActivation A>
KOKKOS_INLINE_FUNCTION void activate_with_slope(float x, float& value, float& slope) {
  if constexpr (A == GateActivation::silu) {
    const float e = expf(-x), s = 1.0f / (1.0f + e);
    value = x / (1.0f + e);
    slope = s * (1.0f + x * (1.0f - s));
  } else if constexpr (A == GateActivation::gelu) {
    const float cdf = 0.5f * (1.0f + erff(x * kSqrtHalf)), pdf = kInvSqrtTwoPi * expf(-0.5f * x * x);
    value = x * cdf;
    slope = cdf + x * pdf;
  } else if constexpr (A == GateActivation::sigmoid) {
    const float s = 1.0f / (1.0f + expf(-x));
    value = s;
    slope = s * (1.0f - s);
  } else {
    value = x;
    slope = 1.0f;
  }
}

template <class Exec>
using Member = impl::TeamMember<Exec>;

// One team per row. On a GPU: about 4 groups of P channels per thread, in whole warps, from 32
// to 256 threads (h = 2048 in bf16 pairs: 256 threads, 4 pairs each). On the host: one thread.
template <class Exec>
Kokkos::TeamPolicy<Exec> row_teams(const Exec& exec, const GatedUnitShape& s, int P) {
  return impl::team_policy(exec, s.rows, s.hidden / P, 4, 256);
}

// gate_up [N, 2h] -> y [N, h]; P channels per access.
template <GateActivation A, int P, class Exec, class Elem>
void forward_rows(const Exec& exec, const GatedUnitShape& s, const Elem* gate_up, Elem* y) {
  const int64_t h = s.hidden;
  Kokkos::parallel_for(
      "star::gated_unit_forward", row_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank();
        const Elem* g_row = gate_up + n * 2 * h;
        const Elem* u_row = g_row + h;
        Elem* y_row = y + n * h;
        for (int64_t j = int64_t(team.team_rank()) * P; j < h; j += int64_t(team.team_size()) * P) {
          float g[P], u[P];
          impl::load<P>(g_row + j, g);
          impl::load<P>(u_row + j, u);
          STAR_UNROLL for (int p = 0; p < P; ++p) u[p] *= activate<A>(g[p]);
          impl::store<P>(y_row + j, u);
        }
      });
}

// gate_up [N, 2h], dy [N, h] -> dgate_up [N, 2h]: dg in the first half, du in the second.
template <GateActivation A, int P, class Exec, class Elem>
void backward_rows(const Exec& exec, const GatedUnitShape& s, const Elem* gate_up, const Elem* dy, Elem* dgate_up) {
  const int64_t h = s.hidden;
  Kokkos::parallel_for(
      "star::gated_unit_backward", row_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank();
        const Elem* g_row = gate_up + n * 2 * h;
        const Elem* u_row = g_row + h;
        const Elem* dy_row = dy + n * h;
        Elem* dg_row = dgate_up + n * 2 * h;
        Elem* du_row = dg_row + h;
        for (int64_t j = int64_t(team.team_rank()) * P; j < h; j += int64_t(team.team_size()) * P) {
          float g[P], u[P], d[P], dg[P], du[P];
          impl::load<P>(g_row + j, g);
          impl::load<P>(u_row + j, u);
          impl::load<P>(dy_row + j, d);
          STAR_UNROLL for (int p = 0; p < P; ++p) {
            float value, slope;
            activate_with_slope<A>(g[p], value, slope);
            dg[p] = d[p] * u[p] * slope;
            du[p] = d[p] * value;
          }
          impl::store<P>(dg_row + j, dg);
          impl::store<P>(du_row + j, du);
        }
      });
}

// Calls body(std::integral_constant<GateActivation, act>()).
template <class Body>
void with_activation(GateActivation act, Body&& body) {
  using A = GateActivation;
  switch (act) {
    case A::identity: body(std::integral_constant<A, A::identity>()); return;
    case A::silu: body(std::integral_constant<A, A::silu>()); return;
    case A::gelu: body(std::integral_constant<A, A::gelu>()); return;
    case A::sigmoid: body(std::integral_constant<A, A::sigmoid>()); return;
  }
  throw std::invalid_argument("gated_unit: unknown activation " + std::to_string(static_cast<int>(act)));
}

template <class Elem>
void forward(const Launch& launch, const GatedUnitShape& s, GateActivation act, const Elem* gate_up, Elem* y) {
  check_shape(s);
  with_activation(act, [&](auto a) {
    constexpr GateActivation A = decltype(a)::value;
    if (s.rows * s.hidden == 0) return;
    const auto run = [&](const auto& exec, auto P) { forward_rows<A, decltype(P)::value>(exec, s, gate_up, y); };
    // The same arithmetic per channel at any width: wide on the host too, with the same results.
    impl::with_access_width<Elem>(launch, s.hidden, {gate_up, y}, /*wide_on_host=*/true, run);
  });
}

template <class Elem>
void backward(const Launch& launch, const GatedUnitShape& s, GateActivation act, const Elem* gate_up, const Elem* dy,
              Elem* dgate_up) {
  check_shape(s);
  with_activation(act, [&](auto a) {
    constexpr GateActivation A = decltype(a)::value;
    if (s.rows * s.hidden == 0) return;
    const auto run = [&](const auto& exec, auto P) {
      backward_rows<A, decltype(P)::value>(exec, s, gate_up, dy, dgate_up);
    };
    impl::with_access_width<Elem>(launch, s.hidden, {gate_up, dy, dgate_up}, /*wide_on_host=*/true, run);
  });
}

}  // namespace

void gated_unit_forward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const float* gate_up,
                        float* y) {
  forward(launch, shape, act, gate_up, y);
}
void gated_unit_forward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const Bf16* gate_up,
                        Bf16* y) {
  forward(launch, shape, act, gate_up, y);
}

void gated_unit_backward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const float* gate_up,
                         const float* dy, float* dgate_up) {
  backward(launch, shape, act, gate_up, dy, dgate_up);
}
void gated_unit_backward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const Bf16* gate_up,
                         const Bf16* dy, Bf16* dgate_up) {
  backward(launch, shape, act, gate_up, dy, dgate_up);
}

}  // namespace star::kernels
