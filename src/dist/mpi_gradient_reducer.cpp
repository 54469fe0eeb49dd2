#include "dist/mpi_gradient_reducer.hpp"

namespace star::dist {

MpiGradientReducer::MpiGradientReducer(MPI_Comm group_comm) : comm_(group_comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

void MpiGradientReducer::sum(std::vector<torch::Tensor>& gradients) {
  if (gradients.empty()) return;
  std::vector<torch::Tensor> flat_parts;
  for (const auto& g : gradients) flat_parts.push_back(g.reshape({-1}).to(torch::kCPU, torch::kFloat32));
  auto flat = torch::cat(flat_parts).contiguous();
  MPI_Allreduce(MPI_IN_PLACE, flat.data_ptr<float>(), static_cast<int>(flat.numel()), MPI_FLOAT, MPI_SUM, comm_);
  int64_t offset = 0;
  for (auto& g : gradients) {
    const int64_t n = g.numel();
    g.copy_(flat.narrow(0, offset, n).view(g.sizes()));
    offset += n;
  }
}

double MpiGradientReducer::sum(double value) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, comm_);
  return value;
}

}  // namespace star::dist
