# Sourced by the CUDA build scripts: sets `sm`, nvcc's -arch for the Kokkos architecture in `arch`
# (Kokkos_ARCH_<arch>; sm_90 for one not listed). nvcc_wrapper's own default (sm_70) is gone from
# CUDA 13, so a compiler check must name a real one.
case "$arch" in
  HOPPER90) sm=sm_90 ;; AMPERE80) sm=sm_80 ;; AMPERE86) sm=sm_86 ;; ADA89) sm=sm_89 ;;
  BLACKWELL100) sm=sm_100 ;; *) sm=sm_90 ;;
esac
