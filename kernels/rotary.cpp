// Kokkos implementation of the fused rotary embedding; see rotary.hpp for the definition and
// layouts.
//
// One team per position t and tile of up to kBatchTile batch rows; its threads stride over the
// (head, channel pair) items of a position, neighbouring threads on neighbouring channels of a
// head (coalesced; bf16 goes two channels per thread, one 32-bit access). Each thread computes
// cos and sin of its angle once and applies them to every batch row of the tile, so the
// transcendental work is shared by up to kBatchTile rotations, and the kernel moves only x in and
// y out: no table is built per call, kept between calls or read.
//
// The angle is computed as torch's reference path computes it (apply_rotary_reference): the
// exponent -2i / Dh, base^exponent and t times that, each rounded to fp32, then cos and sin in
// fp32. On the host a team is one thread and the same code walks the position.
#include "rotary.hpp"

#include <climits>
#include <cmath>
#include <stdexcept>
#include <string>

#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

constexpr int64_t kBatchTile = 8;  // batch rows a thread rotates with one cos and sin

int64_t batch_tiles(int64_t batch) { return (batch + kBatchTile - 1) / kBatchTile; }

void check_shape(const RotaryShape& s) {
  // One team per position and batch tile, one thread item per head and channel: int sizes.
  if (s.batch < 0 || s.length < 0 || s.heads < 0 || s.head_dim < 2 || s.head_dim % 2 != 0 ||
      s.length * batch_tiles(s.batch) > INT_MAX || s.heads * s.head_dim > INT_MAX)
    throw std::invalid_argument("rotary: bad shape B=" + std::to_string(s.batch) + " T=" + std::to_string(s.length) +
                                " H=" + std::to_string(s.heads) + " Dh=" + std::to_string(s.head_dim) +
                                " (Dh must be even)");
}

template <class Exec>
using Member = typename Kokkos::TeamPolicy<Exec>::member_type;

// On a GPU: one thread per (head, group of P pairs) of a position, in whole warps, from 32 to
// 512 threads (12 heads of 64 channels in bf16 pairs: 192). On the host: one thread.
template <class Exec>
Kokkos::TeamPolicy<Exec> position_teams(const Exec& exec, const RotaryShape& s, int P) {
  return impl::team_policy(exec, s.length * batch_tiles(s.batch), s.heads * (s.head_dim / 2 / P), 1, 512);
}

// y = R(sign * angle) x: forward sign = 1, backward sign = -1 (x is then dy, y is dx); without
// kRotate y = x (copy_heads). P channel pairs per access.
template <int P, bool kRotate, class Exec, class Elem>
void rotate(const char* label, const Exec& exec, const RotaryShape& s, float base, float sign, const Elem* x,
            const RotaryStrides& stride, Elem* y, const RotaryStrides& y_stride) {
  const int64_t B = s.batch, T = s.length, Dh = s.head_dim, half = Dh / 2;
  const int64_t sb = stride.batch, st = stride.length, sh = stride.head;
  const int64_t yb = y_stride.batch, yt = y_stride.length, yh = y_stride.head;
  const int groups = static_cast<int>(half / P), items = static_cast<int>(s.heads) * groups;
  const float dim = static_cast<float>(Dh);
  Kokkos::parallel_for(
      label, position_teams(exec, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t t = team.league_rank() % T, b0 = team.league_rank() / T * kBatchTile;
        const int64_t b1 = b0 + kBatchTile < B ? b0 + kBatchTile : B;
        const float position = static_cast<float>(t);
        for (int k = team.team_rank(); k < items; k += team.team_size()) {
          const int64_t h = k / groups, i = int64_t(k % groups) * P;
          float c[P] = {}, sn[P] = {};
          STAR_UNROLL for (int p = 0; p < P; ++p) {
            if (kRotate) {  // not `if constexpr`: nvcc's device lambdas may not first capture inside one
              const float exponent = static_cast<float>(-2 * (i + p)) / dim;
              const float angle = position * powf(base, exponent);
              c[p] = cosf(angle);
              sn[p] = sign * sinf(angle);
            }
          }
          for (int64_t b = b0; b < b1; ++b) {
            const Elem* in = x + b * sb + t * st + h * sh + i;
            Elem* out = y + b * yb + t * yt + h * yh + i;
            float x1[P], x2[P], y1[P], y2[P];
            impl::load<P>(in, x1);
            impl::load<P>(in + half, x2);
            STAR_UNROLL for (int p = 0; p < P; ++p) {
              if constexpr (kRotate) {
                y1[p] = x1[p] * c[p] - x2[p] * sn[p];
                y2[p] = x1[p] * sn[p] + x2[p] * c[p];
              } else {
                y1[p] = x1[p];
                y2[p] = x2[p];
              }
            }
            impl::store<P>(out, y1);
            impl::store<P>(out + half, y2);
          }
        }
      });
}

// y's strides when it is a contiguous [B, T, H, Dh] tensor.
RotaryStrides contiguous(const RotaryShape& s) {
  return {s.length * s.heads * s.head_dim, s.heads * s.head_dim, s.head_dim};
}

bool even(const RotaryStrides& stride) {
  return stride.batch % 2 == 0 && stride.length % 2 == 0 && stride.head % 2 == 0;
}

template <bool kRotate = true, class Elem>
void run(const char* label, const Launch& launch, const RotaryShape& s, float base, float sign, const Elem* x,
         const RotaryStrides& stride, Elem* y, const RotaryStrides& y_stride) {
  check_shape(s);
  if (s.batch * s.length * s.heads == 0) return;
  // Pairs of channels need every head's start aligned to a pair: even strides and an even half.
  const bool pairs = impl::pairs_channels<Elem>(s.head_dim / 2, {x, y}) && even(stride) && even(y_stride);
  impl::dispatch(launch, [&](const auto& exec) {
    if (pairs) rotate<2, kRotate>(label, exec, s, base, sign, x, stride, y, y_stride);
    else rotate<1, kRotate>(label, exec, s, base, sign, x, stride, y, y_stride);
  });
}

}  // namespace

void rotary_forward(const Launch& launch, const RotaryShape& shape, float base, const float* x,
                    const RotaryStrides& x_strides, float* y) {
  run("star::rotary_forward", launch, shape, base, 1.0f, x, x_strides, y, contiguous(shape));
}
void rotary_forward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* x,
                    const RotaryStrides& x_strides, Bf16* y) {
  run("star::rotary_forward", launch, shape, base, 1.0f, x, x_strides, y, contiguous(shape));
}

void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const float* dy,
                     const RotaryStrides& dy_strides, float* dx) {
  run("star::rotary_backward", launch, shape, base, -1.0f, dy, dy_strides, dx, contiguous(shape));
}
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* dy,
                     const RotaryStrides& dy_strides, Bf16* dx) {
  run("star::rotary_backward", launch, shape, base, -1.0f, dy, dy_strides, dx, contiguous(shape));
}

void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const float* dy,
                     const RotaryStrides& dy_strides, float* dx, const RotaryStrides& dx_strides) {
  run("star::rotary_backward", launch, shape, base, -1.0f, dy, dy_strides, dx, dx_strides);
}
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* dy,
                     const RotaryStrides& dy_strides, Bf16* dx, const RotaryStrides& dx_strides) {
  run("star::rotary_backward", launch, shape, base, -1.0f, dy, dy_strides, dx, dx_strides);
}

void copy_heads(const Launch& launch, const RotaryShape& shape, const float* x, const RotaryStrides& x_strides,
                float* y, const RotaryStrides& y_strides) {
  run<false>("star::copy_heads", launch, shape, 1.0f, 1.0f, x, x_strides, y, y_strides);
}
void copy_heads(const Launch& launch, const RotaryShape& shape, const Bf16* x, const RotaryStrides& x_strides,
                Bf16* y, const RotaryStrides& y_strides) {
  run<false>("star::copy_heads", launch, shape, 1.0f, 1.0f, x, x_strides, y, y_strides);
}

}  // namespace star::kernels
