// Kokkos implementation of sum_rows; see sum_rows.hpp.
//
// A team owns kColumns neighbouring columns (a warp reads 128 contiguous bytes of a row) and
// splits the rows among kSlices threads per column: slice s adds rows s, s + kSlices, ... into
// kChains running sums in turn (so that many loads are in flight: a single chain waits for each
// load before the next, which took 11 us for 1024 rows), adds the chains, and one thread per
// column adds the slices' sums. The order depends only on the shape, never on timing.
#include "sum_rows.hpp"

#include <climits>
#include <stdexcept>
#include <string>

#include "impl/execution.hpp"

namespace star::kernels {
namespace {

constexpr int kColumns = 32, kSlices = 16, kChains = 4;

template <class Exec>
void sum_rows_on(const Exec& exec, int64_t rows, int64_t width, const float* partial, float* out) {
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  const int64_t league = (width + kColumns - 1) / kColumns;
  Kokkos::TeamPolicy<Exec> policy(exec, static_cast<int>(league), impl::runs_on_host<Exec>() ? 1 : kColumns * kSlices);
  policy.set_scratch_size(0, Kokkos::PerTeam(Scratch::shmem_size(kColumns * kSlices)));
  Kokkos::parallel_for(
      "star::sum_rows", policy, KOKKOS_LAMBDA(const impl::TeamMember<Exec>& team) {
        Scratch slices(team.team_scratch(0), kColumns * kSlices);
        const int64_t first = int64_t(team.league_rank()) * kColumns;
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, kColumns * kSlices), [&](const int i) {
          const int64_t n = first + i % kColumns;
          float chain[kChains] = {};
          if (n < width) {
            int64_t r = i / kColumns;
            for (; r + (kChains - 1) * kSlices < rows; r += kChains * kSlices)
              for (int k = 0; k < kChains; ++k) chain[k] += partial[(r + k * kSlices) * width + n];
            for (int k = 0; r < rows; r += kSlices, ++k) chain[k] += partial[r * width + n];
          }
          float sum = 0.0f;
          for (int k = 0; k < kChains; ++k) sum += chain[k];
          slices(i) = sum;
        });
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, kColumns), [&](const int c) {
          if (first + c >= width) return;
          float sum = 0.0f;
          for (int s = 0; s < kSlices; ++s) sum += slices(s * kColumns + c);
          out[first + c] = sum;
        });
      });
}

}  // namespace

void sum_rows(const Launch& launch, int64_t rows, int64_t width, const float* partial, float* out) {
  if (rows < 0 || width < 0 || (width + kColumns - 1) / kColumns > INT_MAX)
    throw std::invalid_argument("sum_rows: bad shape rows=" + std::to_string(rows) + " width=" + std::to_string(width));
  if (width == 0) return;
  impl::dispatch(launch, [&](const auto& exec) { sum_rows_on(exec, rows, width, partial, out); });
}

}  // namespace star::kernels
