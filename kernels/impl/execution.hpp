#pragma once
// Internal to kernels/: maps a Launch to a Kokkos execution space instance and wraps raw
// pointers in unmanaged Views. Only kernel sources include this (it pulls in Kokkos).
#include <Kokkos_Core.hpp>

#include <climits>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "../launch.hpp"

namespace star::kernels::impl {

using HostExec = Kokkos::DefaultHostExecutionSpace;
using DeviceExec = Kokkos::DefaultExecutionSpace;  // Cuda in the GPU build, Serial otherwise

template <class Exec, class T, int Rank>
struct ViewOf;
template <class Exec, class T>
struct ViewOf<Exec, T, 2> {
  using type = Kokkos::View<T**, Kokkos::LayoutRight, typename Exec::memory_space,
                            Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
};
template <class Exec, class T>
struct ViewOf<Exec, T, 3> {
  using type = Kokkos::View<T***, Kokkos::LayoutRight, typename Exec::memory_space,
                            Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
};
// Unmanaged View over memory owned by someone else (torch), e.g. View3<Exec, const float>.
template <class Exec, class T>
using View2 = typename ViewOf<Exec, T, 2>::type;
template <class Exec, class T>
using View3 = typename ViewOf<Exec, T, 3>::type;

// The device execution space instance bound to `stream` (cached: creating a Kokkos CUDA
// instance allocates, so one per stream is kept until finalize).
DeviceExec device_instance(void* stream);

// `count` 64-bit words for kernels queued on `launch`'s stream (on the host: this thread's),
// zeroed when first allocated and kept for the next call (grown when too small). Work on one
// stream runs in order, so no two kernels use them at once. Freed by finalize.
uint64_t* stream_words(const Launch& launch, int64_t count);
// Whether work queued on `launch`'s stream is being captured into a CUDA graph: it then runs
// only when the graph is replayed, with the arguments it was captured with, at every replay.
bool capturing(const Launch& launch);
// Queues the zeroing of `count` words at `words` on `launch`'s stream (in a graph, a memset node).
void clear_words(const Launch& launch, uint64_t* words, int64_t count);
// A tag told apart from every other launch's (never 0, repeats only after 2^32 - 1 launches),
// for kernels that mark what they write in stream_words as their own (see chained_scan.hpp).
uint32_t next_launch_tag();

template <class Exec>
using TeamMember = typename Kokkos::TeamPolicy<Exec>::member_type;

// For kernels of one team per row of [rows, width]: throws std::invalid_argument ("<kernel>: bad
// shape N=<rows> <width_name>=<width>") unless rows fit a league of int size and width is at
// least min_width.
inline void check_row_shape(const char* kernel, int64_t rows, const char* width_name, int64_t width,
                            int64_t min_width) {
  if (rows < 0 || rows > INT_MAX || width < min_width)
    throw std::invalid_argument(std::string(kernel) + ": bad shape N=" + std::to_string(rows) + " " + width_name + "=" +
                                std::to_string(width));
}

// Whether Exec runs on the host (where a kernel's team is one thread), not on a GPU.
template <class Exec>
constexpr bool runs_on_host() {
  return Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Exec::memory_space>::accessible;
}

// `league` teams. On the host a team is one thread; on a GPU, enough threads that each gets about
// `per_thread` of the team's `work` items, in whole warps, from 32 to `max_threads`.
template <class Exec>
Kokkos::TeamPolicy<Exec> team_policy(const Exec& exec, int64_t league, int64_t work, int64_t per_thread,
                                     int64_t max_threads) {
  int64_t threads = 1;
  if (!runs_on_host<Exec>()) {
    const int64_t wanted = (work + per_thread - 1) / per_thread;
    threads = wanted < 32 ? 32 : (wanted + 31) / 32 * 32;
    if (threads > max_threads) threads = max_threads;
  }
  return Kokkos::TeamPolicy<Exec>(exec, static_cast<int>(league), static_cast<int>(threads));
}

// Runs `body(exec)` with the host or device execution space the launch asks for.
template <class Body>
void dispatch(const Launch& launch, Body&& body) {
  if (launch.on_gpu) {
#if defined(KOKKOS_ENABLE_CUDA)
    body(device_instance(launch.stream));
#else
    throw std::runtime_error("star kernels: this build has no GPU backend, but a GPU launch was asked for");
#endif
  } else {
    body(HostExec());
  }
}

}  // namespace star::kernels::impl
