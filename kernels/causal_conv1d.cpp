// Kokkos implementation of the causal depthwise convolution; see causal_conv1d.hpp for the
// definition and layouts. One flat parallel loop per output element with channels fastest, so
// neighbouring GPU threads read neighbouring channels (coalesced).
#include "causal_conv1d.hpp"

#include <stdexcept>
#include <string>

#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

void check_shape(const ConvShape& s) {
  if (s.batch < 0 || s.length < 0 || s.channels < 0 || s.taps < 1)
    throw std::invalid_argument("causal_conv1d: bad shape B=" + std::to_string(s.batch) +
                                " T=" + std::to_string(s.length) + " C=" + std::to_string(s.channels) +
                                " K=" + std::to_string(s.taps));
}

template <class Exec, class Elem>
void forward_impl(const Exec& exec, const ConvShape& s, const Elem* x_ptr, const float* w_ptr,
                  Elem* y_ptr) {
  const int64_t B = s.batch, T = s.length, C = s.channels, K = s.taps;
  impl::View3<Exec, const Elem> x(x_ptr, B, T, C);
  impl::View2<Exec, const float> w(w_ptr, C, K);
  impl::View3<Exec, Elem> y(y_ptr, B, T, C);
  Kokkos::parallel_for(
      "star::causal_conv1d_forward", Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>(exec, 0, B * T * C),
      KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, t = (i / C) % T, b = i / (C * T);
        float acc = 0.0f;
        for (int64_t j = 0; j < K; ++j) {
          const int64_t src = t - (K - 1) + j;
          if (src >= 0) acc += w(c, j) * impl::to_float(x(b, src, c));
        }
        y(b, t, c) = impl::from_float<Elem>(acc);
      });
}

template <class Exec, class Elem>
void backward_impl(const Exec& exec, const ConvShape& s, const Elem* x_ptr, const float* w_ptr,
                   const Elem* dy_ptr, Elem* dx_ptr, float* dw_ptr) {
  const int64_t B = s.batch, T = s.length, C = s.channels, K = s.taps;
  impl::View3<Exec, const Elem> x(x_ptr, B, T, C);
  impl::View2<Exec, const float> w(w_ptr, C, K);
  impl::View3<Exec, const Elem> dy(dy_ptr, B, T, C);
  impl::View3<Exec, Elem> dx(dx_ptr, B, T, C);
  impl::View2<Exec, float> dw(dw_ptr, C, K);

  // dx[b, s, c] = sum_j w[c, j] * dy[b, s + (K - 1) - j, c]: the same stencil run backwards in time.
  Kokkos::parallel_for(
      "star::causal_conv1d_backward_input", Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>(exec, 0, B * T * C),
      KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, t = (i / C) % T, b = i / (C * T);
        float acc = 0.0f;
        for (int64_t j = 0; j < K; ++j) {
          const int64_t dst = t + (K - 1) - j;
          if (dst < T) acc += w(c, j) * impl::to_float(dy(b, dst, c));
        }
        dx(b, t, c) = impl::from_float<Elem>(acc);
      });

  // dw[c, j] = sum_{b, t} dy[b, t, c] * x[b, t - (K - 1) + j, c]: one team per weight, the team
  // reduces over all B * T positions.
  using Team = Kokkos::TeamPolicy<Exec>;
  using Member = typename Team::member_type;
  const int64_t positions = B * T;
  Kokkos::parallel_for(
      "star::causal_conv1d_backward_weight", Team(exec, static_cast<int>(C * K), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Member& team) {
        const int64_t c = team.league_rank() / K, j = team.league_rank() % K;
        float sum = 0.0f;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, positions),
            [&](const int64_t p, float& part) {
              const int64_t b = p / T, t = p % T, src = t - (K - 1) + j;
              if (src >= 0) part += impl::to_float(dy(b, t, c)) * impl::to_float(x(b, src, c));
            },
            sum);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { dw(c, j) = sum; });
      });
}

template <class Elem>
void forward(const Launch& launch, const ConvShape& shape, const Elem* x, const float* w, Elem* y) {
  check_shape(shape);
  if (shape.batch * shape.length * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) { forward_impl(exec, shape, x, w, y); });
}

template <class Elem>
void backward(const Launch& launch, const ConvShape& shape, const Elem* x, const float* w, const Elem* dy, Elem* dx,
              float* dw) {
  check_shape(shape);
  impl::dispatch(launch, [&](const auto& exec) { backward_impl(exec, shape, x, w, dy, dx, dw); });
}

}  // namespace

void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const float* x, const float* w, float* y) {
  forward(launch, shape, x, w, y);
}
void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const Bf16* x, const float* w, Bf16* y) {
  forward(launch, shape, x, w, y);
}

void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const float* x, const float* w,
                            const float* dy, float* dx, float* dw) {
  backward(launch, shape, x, w, dy, dx, dw);
}
void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const Bf16* x, const float* w,
                            const Bf16* dy, Bf16* dx, float* dw) {
  backward(launch, shape, x, w, dy, dx, dw);
}

}  // namespace star::kernels
