#include "cluster/mpi_gradient_reducer.hpp"

namespace star::cluster {

MpiGroupReducer::MpiGroupReducer(MPI_Comm group_comm) : comm_(group_comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

double MpiGroupReducer::sum(double value) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, comm_);
  return value;
}

void MpiGradientReducer::sum(std::vector<torch::Tensor>& gradients) {
  if (gradients.empty()) return;
  auto& flat = flat_.pack(gradients);
  MPI_Allreduce(MPI_IN_PLACE, flat.data_ptr<float>(), static_cast<int>(flat.numel()), MPI_FLOAT, MPI_SUM, comm_);
  flat_.unpack(gradients);
}

}  // namespace star::cluster
