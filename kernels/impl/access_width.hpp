#pragma once
// Internal to kernels/: how many elements a row kernel's thread reads and writes per access,
// chosen at run time from the rows' width and the arrays' alignment, and handed to the kernel as
// a compile-time constant (the width sizes its register arrays). Host-side only.
#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "element.hpp"
#include "execution.hpp"

namespace star::kernels::impl {

// Runs body(exec, std::integral_constant<int, P>()) on the launch's execution space, P the
// elements per access for rows of `channels` elements in `arrays`: 16 bytes (kWide) where every
// array is aligned to it, else a bf16 pair where they allow it, else one. `wide_on_host`: whether
// the host takes 16 bytes too; a kernel whose results depend on the grouping of its sums keeps
// the host's narrower sweep, so that the CPU build's results stay as they were.
template <class Elem, class Body>
void with_access_width(const Launch& launch, int64_t channels, std::initializer_list<const void*> arrays,
                       bool wide_on_host, Body&& body) {
  const bool pairs = pairs_channels<Elem>(channels, arrays);
  const bool wide = aligned_to<Elem>(kWide<Elem>, channels, arrays);
  dispatch(launch, [&](const auto& exec) {
    if (wide && (wide_on_host || !runs_on_host<std::decay_t<decltype(exec)>>()))
      body(exec, std::integral_constant<int, kWide<Elem>>());
    else if (pairs) body(exec, std::integral_constant<int, 2>());
    else body(exec, std::integral_constant<int, 1>());
  });
}

}  // namespace star::kernels::impl
