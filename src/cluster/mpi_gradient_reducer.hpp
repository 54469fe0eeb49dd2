#pragma once
// Gradient sums inside a rank group through MPI (the CPU path; GPU tensors are staged through
// host memory). Gradients travel as one flat fp32 buffer: one allreduce per step.
#include <mpi.h>

#include "cluster/flat_gradients.hpp"
#include "train/gradient_reducer.hpp"

namespace star::cluster {

// What every reducer of a group shares, whatever carries its gradients: the group's
// communicator, this rank's place in it, and sums of host values (losses, counts) through MPI.
class MpiGroupReducer : public train::GradientReducer {
 public:
  explicit MpiGroupReducer(MPI_Comm group_comm);
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  using train::GradientReducer::sum;
  double sum(double value) override;

 protected:
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

class MpiGradientReducer : public MpiGroupReducer {
 public:
  explicit MpiGradientReducer(MPI_Comm group_comm) : MpiGroupReducer(group_comm) {}
  using MpiGroupReducer::sum;
  void sum(std::vector<torch::Tensor>& gradients) override;

 private:
  FlatGradients flat_{torch::kCPU};
};

}  // namespace star::cluster
