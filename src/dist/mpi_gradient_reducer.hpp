#pragma once
// Gradient sums inside a rank group through MPI (the CPU path; GPU tensors are staged through
// host memory). Gradients travel as one flat fp32 buffer: one allreduce per step.
#include <mpi.h>

#include "train/gradient_reducer.hpp"

namespace star::dist {

class MpiGradientReducer : public train::GradientReducer {
 public:
  explicit MpiGradientReducer(MPI_Comm group_comm);
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::vector<torch::Tensor>& gradients) override;
  double sum(double value) override;

 private:
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace star::dist
