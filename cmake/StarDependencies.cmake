# Finds every external dependency once and exposes it as a target, so the folders below
# only say which of them they use.

find_package(Threads REQUIRED)
find_package(MPI REQUIRED COMPONENTS C)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(Torch REQUIRED)

# HDF5 (serial C API) as one target.
add_library(star_hdf5 INTERFACE)
target_include_directories(star_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(star_hdf5 INTERFACE ${HDF5_C_LIBRARIES} ${HDF5_LIBRARIES})
target_compile_definitions(star_hdf5 INTERFACE ${HDF5_C_DEFINITIONS} ${HDF5_DEFINITIONS})

# LibTorch as one target. TORCH_CXX_FLAGS carries the ABI flag that must match the library.
add_library(star_torch INTERFACE)
target_link_libraries(star_torch INTERFACE ${TORCH_LIBRARIES})
target_include_directories(star_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
separate_arguments(_star_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(star_torch INTERFACE ${_star_torch_flags})

# Header-only libraries: toml++ (configuration) and CLI11 (command line).
find_path(STAR_TOMLPP_INCLUDE toml++/toml.h HINTS ${STAR_EXTRA_INCLUDE} REQUIRED)
find_path(STAR_CLI11_INCLUDE CLI/CLI.hpp HINTS ${STAR_EXTRA_INCLUDE} REQUIRED)
add_library(star_tomlpp INTERFACE)
target_include_directories(star_tomlpp SYSTEM INTERFACE ${STAR_TOMLPP_INCLUDE})
target_compile_definitions(star_tomlpp INTERFACE TOML_HEADER_ONLY=1 TOML_EXCEPTIONS=1)
add_library(star_cli11 INTERFACE)
target_include_directories(star_cli11 SYSTEM INTERFACE ${STAR_CLI11_INCLUDE})

# Kokkos. A proper install (the GPU build) provides Kokkos::kokkos. Debian's Kokkos 3.4 from
# Trilinos ships a CMake package whose imported target points at /usr/lib/include, so where
# that package is missing or broken we build the target from the headers and library directly.
find_package(Kokkos CONFIG QUIET)
set(_star_kokkos_ok FALSE)
if(TARGET Kokkos::kokkos)
  get_target_property(_kk_inc Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
  set(_star_kokkos_ok TRUE)
  foreach(_d IN LISTS _kk_inc)
    if(NOT _d MATCHES "^\\$<" AND NOT EXISTS "${_d}")
      set(_star_kokkos_ok FALSE)
    endif()
  endforeach()
endif()
add_library(star_kokkos INTERFACE)
if(_star_kokkos_ok)
  message(STATUS "Kokkos: CMake package ${Kokkos_DIR} (version ${Kokkos_VERSION})")
  target_link_libraries(star_kokkos INTERFACE Kokkos::kokkos)
else()
  find_path(STAR_KOKKOS_INCLUDE Kokkos_Core.hpp PATH_SUFFIXES trilinos REQUIRED)
  find_library(STAR_KOKKOS_CORE NAMES kokkoscore trilinos_kokkoscore REQUIRED)
  message(STATUS "Kokkos: fallback to ${STAR_KOKKOS_INCLUDE} and ${STAR_KOKKOS_CORE}")
  target_include_directories(star_kokkos SYSTEM INTERFACE ${STAR_KOKKOS_INCLUDE})
  target_link_libraries(star_kokkos INTERFACE ${STAR_KOKKOS_CORE} ${CMAKE_DL_LIBS} Threads::Threads)
endif()

if(STAR_ENABLE_CUDA)
  find_package(CUDAToolkit REQUIRED)
  # NCCL sums gradients inside a rank group (src/cluster). Debian and Ubuntu's libnccl-dev install it
  # beside the system's headers, NVIDIA's own packages beside CUDA; NCCL_ROOT names any other place.
  find_path(STAR_NCCL_INCLUDE nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS} $ENV{NCCL_ROOT}/include)
  find_library(STAR_NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR} $ENV{NCCL_ROOT}/lib $ENV{NCCL_ROOT}/lib64)
  if(NOT STAR_NCCL_INCLUDE OR NOT STAR_NCCL_LIBRARY)
    message(FATAL_ERROR "STAR_ENABLE_CUDA needs NCCL, and nccl.h (${STAR_NCCL_INCLUDE}) or libnccl "
                        "(${STAR_NCCL_LIBRARY}) was not found: install libnccl-dev, or set NCCL_ROOT or "
                        "CMAKE_PREFIX_PATH to an NCCL install")
  endif()
  add_library(star_nccl INTERFACE)
  target_include_directories(star_nccl SYSTEM INTERFACE ${STAR_NCCL_INCLUDE})
  target_link_libraries(star_nccl INTERFACE ${STAR_NCCL_LIBRARY} CUDA::cudart)
  message(STATUS "NCCL: ${STAR_NCCL_LIBRARY}")
endif()

if(STAR_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()

# Warnings for our own code only.
add_library(star_warnings INTERFACE)
target_compile_options(star_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wno-unused-parameter>)

