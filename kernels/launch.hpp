#pragma once
// Where a kernel runs. Kernels take raw pointers, so the caller says whether they point to
// GPU memory (and on which stream to queue the work) or to host memory.

namespace star::kernels {

struct Launch {
  bool on_gpu = false;     // pointers are device memory; run on the GPU backend
  void* stream = nullptr;  // cudaStream_t when on_gpu; ignored on the host
};

// True when this build has a GPU backend (Kokkos with CUDA).
bool gpu_backend_available();

// Starts and stops Kokkos once per process. `gpu_device` is the CUDA device this rank uses
// (ignored without a GPU backend). Safe to call more than once; finalize is also registered
// to run at exit.
void initialize(int gpu_device = 0);
void finalize();

}  // namespace star::kernels
