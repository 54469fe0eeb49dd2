#!/usr/bin/env bash
# Builds and installs Kokkos with the CUDA backend (plus Serial on the host) for the GPU build.
#   bash jobs/build_kokkos.sh <kokkos source tree> <install prefix> [cuda arch, default HOPPER90]
# The source is a Kokkos release (4.6.01 is what we test). Kokkos 4.6.01 predates CUDA 13,
# which changed three runtime calls Kokkos wraps (jobs/README.md says how to adapt them; upstream
# Kokkos fixed it in its pull request 8298); newer Kokkos releases build as they are.
# Sites with Spack can use `spack install kokkos +cuda cuda_arch=90` instead.
set -euo pipefail
src=${1:?kokkos source tree}
prefix=${2:?install prefix}
arch=${3:-HOPPER90}
build=${KOKKOS_BUILD_DIR:-$(mktemp -d)}
source "$(dirname "$0")/cuda_arch.sh"  # sm: nvcc's -arch for $arch
cmake -S "$src" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_CXX_COMPILER="$(cd "$src" && pwd)/bin/nvcc_wrapper" \
  -DCMAKE_CXX_STANDARD=17 -DCMAKE_CXX_FLAGS="-arch=$sm" \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  -DKokkos_ENABLE_CUDA=ON -DKokkos_ENABLE_SERIAL=ON \
  -DKokkos_ENABLE_CUDA_LAMBDA=ON \
  -DKokkos_ARCH_"$arch"=ON \
  -DKokkos_ENABLE_TESTS=OFF -DKokkos_ENABLE_EXAMPLES=OFF
cmake --build "$build" -j "${KOKKOS_BUILD_JOBS:-$(nproc)}"
cmake --install "$build"
