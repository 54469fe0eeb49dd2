#!/usr/bin/env bash
# The layering check: fails when a folder of the code includes a folder above it, or when a folder
# that must stay free of torch, MPI or HDF5 includes (or links) one of them.
#   bash tests/layering/check_layers.sh [repository root]       (ctest: layering_check)
# This table is the source of truth for the direction of dependencies; docs/ARCHITECTURE.md
# repeats it for readers. Lower layers first; a folder may include itself and the folders listed.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}

declare -A may_include=(
  [core]=""                                                # plain value types
  [data]=""                                                # token shard files
  [genome]="core"
  [evolve]="core genome"
  [kernels]=""                                             # Kokkos behind raw pointers
  [model]="core genome kernels"
  [train]="core data genome model kernels"
  [io]="core data genome evolve"                           # files: TOML, HDF5, journals
  [search]="core genome evolve io"                         # ask/tell algorithms and the search drivers
  [cluster]="core data kernels model train"                   # MPI, the work queue, gradient sums
  [app]="core data genome evolve kernels model train io search cluster"   # the star commands, the search under MPI
  [bench]="core data genome evolve kernels model train io search cluster app"   # star bench: benchmarks
  [cli]="core data genome evolve kernels model train io search cluster app bench"   # the command line, main()
)

# Known violations that cannot be fixed in this change, as "file include". Each names the change
# that removes it; remove the line with the include.
exceptions=(
)

# External headers (by include path prefix) and CMake targets that a folder must not use.
torch_headers='torch/|ATen/|c10/'
mpi_headers='mpi\.h|nccl\.h'
hdf5_headers='hdf5\.h|H5[A-Za-z]*\.h'
kokkos_headers='Kokkos|cuda'
declare -A forbidden_headers=(
  [core]="$torch_headers|$mpi_headers|$hdf5_headers|$kokkos_headers"
  [data]="$torch_headers|$mpi_headers|$hdf5_headers|$kokkos_headers"
  [genome]="$torch_headers|$mpi_headers|$hdf5_headers|$kokkos_headers"
  [evolve]="$torch_headers|$mpi_headers|$hdf5_headers|$kokkos_headers"
  [kernels]="$torch_headers|$mpi_headers|$hdf5_headers"
  [io]="$torch_headers|$mpi_headers|$kokkos_headers"
  [search]="$torch_headers|$mpi_headers|$hdf5_headers|$kokkos_headers"
  [model]="$mpi_headers|$hdf5_headers|$kokkos_headers"
  [train]="$mpi_headers|$hdf5_headers|$kokkos_headers"
  [cluster]="$hdf5_headers|$kokkos_headers"
  [app]="$kokkos_headers"
  [bench]="$kokkos_headers"
  [cli]="$kokkos_headers"
)
forbidden_targets='star_torch|star_kokkos|star_hdf5|star_nccl|MPI::|star_model|star_train|star_io|star_cluster|star_app'

failures=0
fail() { echo "layering: $*"; failures=$((failures + 1)); }

layer_of() {  # a path relative to the root -> its folder's layer, or empty
  case $1 in
    kernels/*) echo kernels ;;
    src/*/*) local rest=${1#src/}; echo "${rest%%/*}" ;;
  esac
}

is_exception() {
  local pair
  for pair in "${exceptions[@]}"; do [[ $pair == "$1 $2" ]] && return 0; done
  return 1
}

cd "$root" || { echo "layering: no folder $root"; exit 2; }
files=$(find src kernels -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.cu' -o -name '*.cuh' \) 2>/dev/null | sort)
[[ -n $files ]] || { echo "layering: no sources under $root"; exit 2; }

for file in $files; do
  layer=$(layer_of "$file")
  if [[ -z ${may_include[$layer]+set} ]]; then
    fail "$file: folder '$layer' is not in the table of tests/layering/check_layers.sh"
    continue
  fi
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+) ]] || continue
    kind=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
    if [[ $kind == '<' ]]; then
      if [[ $path =~ ^(${forbidden_headers[$layer]}) ]]; then
        fail "$file includes <$path>: '$layer' must not use it"
      fi
      continue
    fi
    first=${path%%/*}
    if [[ $path == */* && -n ${may_include[$first]+set} ]]; then
      target=$first
    else  # relative to the including file (kernels/impl/x.hpp: "../bf16.hpp")
      target=$(layer_of "$(realpath -m --relative-to=. "$(dirname "$file")/$path")")
      [[ -n $target ]] || continue
    fi
    [[ $target == "$layer" ]] && continue
    [[ " ${may_include[$layer]} " == *" $target "* ]] && continue
    is_exception "$file" "$path" && continue
    fail "$file includes \"$path\": '$layer' may include only: ${may_include[$layer]:-nothing of ours}"
  done < "$file"
done

# The torch-, MPI- and HDF5-free libraries link none of them either (nor a layer that does).
# The search links io (its history is io's records, the configuration io's), so HDF5 reaches it
# through io's files; torch, MPI and Kokkos do not.
search_forbidden_targets='star_torch|star_kokkos|star_nccl|MPI::|star_model|star_train|star_cluster|star_app'
for layer in core data genome evolve search; do
  cmake_file=src/$layer/CMakeLists.txt
  [[ -f $cmake_file ]] || continue
  targets=$forbidden_targets
  [[ $layer == search ]] && targets=$search_forbidden_targets
  if grep -En "$targets" "$cmake_file" > /dev/null; then
    fail "$cmake_file links $(grep -Eo "$targets" "$cmake_file" | sort -u | tr '\n' ' ')"
  fi
done

if ((failures > 0)); then
  echo "layering: $failures problem(s); the allowed dependencies are the table at the top of tests/layering/check_layers.sh"
  exit 1
fi
echo "layering: $(wc -w <<< "$files") files checked, every include goes down"
