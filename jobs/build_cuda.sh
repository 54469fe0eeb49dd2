#!/usr/bin/env bash
# Configures and builds the CUDA preset (build/cuda) on a GPU node where LibTorch with CUDA,
# CUDA, NCCL, Open MPI and HDF5 are installed and Kokkos (CUDA backend) is installed at
# $STAR_KOKKOS_PREFIX. jobs/README.md says how to get each at a site.
#   STAR_KOKKOS_PREFIX=/path/to/kokkos bash jobs/build_cuda.sh
# Optional: STAR_TORCH_PREFIX (default: asked from python's torch), STAR_EXTRA_INCLUDE (a folder
# with toml++ and CLI11 headers where the system has none).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${STAR_KOKKOS_PREFIX:?set STAR_KOKKOS_PREFIX to a Kokkos install with the CUDA backend}"
export STAR_KOKKOS_PREFIX
export STAR_TORCH_PREFIX=${STAR_TORCH_PREFIX:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')}
export STAR_EXTRA_INCLUDE=${STAR_EXTRA_INCLUDE:-}
cmake --preset cuda "$@"
cmake --build --preset cuda -j "$(nproc)"
