#include "cluster/make_gradient_reducer.hpp"

#include <set>

#include "cluster/broadcast.hpp"
#include "cluster/mpi_gradient_reducer.hpp"
#if defined(STAR_HAVE_NCCL)
#include "cluster/nccl_gradient_reducer.hpp"
#endif

namespace star::cluster {

std::unique_ptr<train::GradientReducer> make_gradient_reducer(MPI_Comm group_comm, int group_size,
                                                              const torch::Device& device) {
  if (group_size <= 1) return nullptr;
#if defined(STAR_HAVE_NCCL)
  // NCCL refuses a communicator that holds one GPU twice, as when a node runs more ranks than it
  // has GPUs: such a group stays with MPI (and a rank alone in deciding so would leave the others
  // waiting in NCCL), so the group decides together.
  if (keys_all_distinct(device.is_cuda() ? gpu_identity(device) : std::string(), group_comm))
    return std::make_unique<NcclGradientReducer>(group_comm, device);
#endif
  return std::make_unique<MpiGradientReducer>(group_comm);
}

bool keys_all_distinct(const std::string& key, MPI_Comm comm) {
  std::set<std::string> seen;
  for (const auto& k : allgather_strings(key, comm))
    if (k.empty() || !seen.insert(k).second) return false;
  return true;
}

}  // namespace star::cluster
