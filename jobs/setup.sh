#!/usr/bin/env bash
# Installs the build dependencies (Debian 12 / Ubuntu) and builds the CPU preset.
#   bash jobs/setup.sh            # dependencies + everything (program and tests) into build/cpu
#   bash jobs/setup.sh star       # dependencies + only the `star` program
# Set STAR_SKIP_APT=1 where the dependencies are already there (or installed as modules).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${STAR_SKIP_APT:-0}" != 1 ] && command -v apt-get > /dev/null; then
  packages=(cmake ninja-build g++ libtorch-dev libtrilinos-kokkos-dev libopenmpi-dev openmpi-bin libhdf5-dev
            hdf5-tools zlib1g-dev libgtest-dev libtomlplusplus-dev libcli11-dev
            python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-pytest)
  missing=()
  for p in "${packages[@]}"; do
    dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  fi
fi

cmake --preset cpu > /dev/null
cmake --build --preset cpu -j "$(nproc)" ${1:+--target "$@"}
