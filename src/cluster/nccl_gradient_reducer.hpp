#pragma once
// Gradient sums inside a rank group through NCCL (the GPU path; CUDA build only). One rank per
// GPU: the gradients are packed into one fp32 buffer on the GPU and summed by one all-reduce
// queued on torch's current stream, between the copies in and out, so the step never waits on
// the host. NCCL takes its settings from the environment (NCCL_DEBUG, NCCL_NVLS_ENABLE, ...).
#include <string>

#include <mpi.h>
#include <nccl.h>

#include "cluster/flat_gradients.hpp"
#include "cluster/mpi_gradient_reducer.hpp"

namespace star::cluster {

// Host values (losses, counts) are summed through MPI, as MpiGradientReducer does: the trainer
// reads them on the host once per step anyway.
class NcclGradientReducer : public MpiGroupReducer {
 public:
  // Collective over group_comm: every rank of the group, each with its own CUDA device (with an
  // index). Throws std::invalid_argument for another device, std::runtime_error when NCCL fails.
  NcclGradientReducer(MPI_Comm group_comm, torch::Device device);
  ~NcclGradientReducer() override;
  NcclGradientReducer(const NcclGradientReducer&) = delete;
  NcclGradientReducer& operator=(const NcclGradientReducer&) = delete;

  using MpiGroupReducer::sum;
  // Gradients on this rank's device, any floating dtype. Returns once the sum is queued.
  void sum(std::vector<torch::Tensor>& gradients) override;
  // NCCL's all-reduce may be captured in a CUDA graph (the buffer is made in the eager steps
  // before, on the same stream, and reused by every replay).
  bool sums_in_graph() const override { return true; }

 private:
  torch::Device device_;
  ncclComm_t nccl_ = nullptr;
  FlatGradients flat_;
  cudaStream_t stream_ = nullptr;  // the stream flat_'s buffer was allocated and used on
};

// This GPU as the whole job can tell it apart: host name and PCI bus id ("node7/0000:1B:00.0").
// The device index is not enough: ranks with different CUDA_VISIBLE_DEVICES all say cuda:0.
std::string gpu_identity(const torch::Device& device);

}  // namespace star::cluster
