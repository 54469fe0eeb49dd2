#!/usr/bin/env bash
# Compiles star's Kokkos kernels (kernels/*.cpp) for a GPU on a machine with CUDA's compiler but
# no GPU and no LibTorch with CUDA: the device code's compile errors, and ptxas's registers and
# spills per kernel (-Xptxas=-v), without device time. It does not run them: the GPU tests
# (tests/perf/gpu_check.sh) still must, on a GPU.
#   bash jobs/check_kernels_cuda.sh <kokkos source tree> [out dir, default build/kernels-cuda] [cuda arch]
# Kokkos is built with CUDA into <out dir>/kokkos once (jobs/build_kokkos.sh), then the kernels:
# 4 min 14 s in all on 2 idle cores for the 554 kernels of 402c865 (2026-12-06). Exit status: the
# compile's. The ptxas report of each kernel is in <out dir>/ptxas.log.
set -euo pipefail
src=${1:?kokkos source tree}
out=${2:-build/kernels-cuda}
arch=${3:-HOPPER90}
cd "$(dirname "$0")/.."
root=$PWD
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
command -v nvcc > /dev/null || export PATH=/usr/local/cuda/bin:$PATH
command -v nvcc > /dev/null || { echo "check_kernels_cuda: no nvcc on PATH or in /usr/local/cuda/bin" >&2; exit 2; }
source "$root/jobs/cuda_arch.sh"  # sm: nvcc's -arch for $arch
if [ ! -f "$out/kokkos/lib/cmake/Kokkos/KokkosConfig.cmake" ] && [ ! -f "$out/kokkos/lib64/cmake/Kokkos/KokkosConfig.cmake" ]; then
  KOKKOS_BUILD_DIR="$out/kokkos-build" bash jobs/build_kokkos.sh "$src" "$out/kokkos" "$arch" > "$out/kokkos.log" 2>&1 \
    || { tail -30 "$out/kokkos.log"; exit 1; }
fi
# The kernels alone, as kernels/CMakeLists.txt builds them (its warnings), in a project of their own.
mkdir -p "$out/project"
cat > "$out/project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(star_kernels_cuda_check CXX)
find_package(Kokkos REQUIRED)
file(GLOB sources "$root/kernels/*.cpp")
add_library(star_kernels STATIC \${sources})
target_include_directories(star_kernels PUBLIC "$root")
target_compile_options(star_kernels PRIVATE -Wall -Wextra -Wno-unused-parameter -Xptxas=-v)
target_link_libraries(star_kernels PRIVATE Kokkos::kokkos)
CMAKE
cmake -S "$out/project" -B "$out/project-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKokkos_ROOT="$out/kokkos" \
  -DCMAKE_CXX_COMPILER="$src/bin/nvcc_wrapper" -DCMAKE_CXX_FLAGS="-arch=$sm" -DCMAKE_CXX_STANDARD=17 > "$out/configure.log" 2>&1 \
  || { tail -30 "$out/configure.log"; exit 1; }
if cmake --build "$out/project-build" -j "$(nproc)" > "$out/ptxas.log" 2>&1; then
  echo "check_kernels_cuda: kernels/ compiles for $sm ($(grep -c 'Compiling entry' "$out/ptxas.log") kernels; spills:" \
       "$(grep -c '[1-9][0-9]* bytes spill stores' "$out/ptxas.log") with any; ptxas report in $out/ptxas.log)"
else
  grep -E "error|Error" "$out/ptxas.log" | head -40
  echo "check_kernels_cuda: kernels/ does not compile for $sm (log: $out/ptxas.log)" >&2
  exit 1
fi
