#include "cluster/nccl_gradient_reducer.hpp"

#include <unistd.h>

#include <stdexcept>

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace star::cluster {
namespace {

void check(ncclResult_t result, const char* call) {
  if (result == ncclSuccess) return;
  std::string message = std::string(call) + " failed: " + ncclGetErrorString(result);
  // NCCL's last error names the cause (a duplicate GPU, a network problem); it ignores the argument.
  const char* detail = ncclGetLastError(nullptr);
  if (detail && *detail) message += std::string(" (") + detail + ")";
  throw std::runtime_error(message);
}

}  // namespace

NcclGradientReducer::NcclGradientReducer(MPI_Comm group_comm, torch::Device device)
    : MpiGroupReducer(group_comm), device_(device), flat_(device) {
  if (!device.is_cuda() || !device.has_index())
    throw std::invalid_argument("NCCL sums gradients on one CUDA device per rank, not on " + device.str());
  // The group's leader names the communicator; the other ranks hear the name through MPI.
  ncclUniqueId id;
  if (rank_ == 0) check(ncclGetUniqueId(&id), "ncclGetUniqueId");
  MPI_Bcast(&id, static_cast<int>(sizeof(id)), MPI_BYTE, 0, comm_);
  // The communicator belongs to the device that is current when it is made.
  c10::cuda::CUDAGuard guard(device_);
  check(ncclCommInitRank(&nccl_, size_, id, rank_), "ncclCommInitRank");
}

NcclGradientReducer::~NcclGradientReducer() {
  // Not checked: a destructor must not throw, and a failure here at worst leaks until exit.
  if (nccl_) ncclCommDestroy(nccl_);
}

void NcclGradientReducer::sum(std::vector<torch::Tensor>& gradients) {
  if (gradients.empty()) return;
  c10::cuda::CUDAGuard guard(device_);
  const cudaStream_t stream = c10::cuda::getCurrentCUDAStream(device_.index()).stream();
  // Every use of the buffer stays on the stream it was allocated on: torch's caching allocator
  // hands freed memory out again only behind that stream's work, and calls on one stream are
  // ordered among themselves. A call from another stream therefore starts a new buffer.
  if (stream != stream_) flat_.release();
  stream_ = stream;
  auto& flat = flat_.pack(gradients);
  check(ncclAllReduce(flat.data_ptr<float>(), flat.data_ptr<float>(), static_cast<size_t>(flat.numel()), ncclFloat32,
                      ncclSum, nccl_, stream),
        "ncclAllReduce");
  flat_.unpack(gradients);
}

std::string gpu_identity(const torch::Device& device) {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  char bus[32] = {};
  const cudaError_t error = cudaDeviceGetPCIBusId(bus, sizeof(bus), device.index());
  if (error != cudaSuccess)
    throw std::runtime_error(std::string("cudaDeviceGetPCIBusId failed: ") + cudaGetErrorString(error));
  return std::string(host) + "/" + bus;
}

}  // namespace star::cluster
