#pragma once
// Which gradient reducer a rank group uses: none for a group of one rank; NCCL in the CUDA build
// when every rank of the group computes on a GPU of its own; MPI through host memory otherwise.
#include <memory>
#include <string>

#include <mpi.h>

#include "train/gradient_reducer.hpp"

namespace star::cluster {

// Collective over group_comm when group_size > 1 (every rank of the group calls it, with its own
// device); every rank of the group gets the same kind of reducer.
std::unique_ptr<train::GradientReducer> make_gradient_reducer(MPI_Comm group_comm, int group_size,
                                                              const torch::Device& device);

// Whether every rank of comm holds a key of its own, none of them empty; the same answer on every
// rank. Collective.
bool keys_all_distinct(const std::string& key, MPI_Comm comm);

}  // namespace star::cluster
