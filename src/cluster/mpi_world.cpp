#include "cluster/mpi_world.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace star::cluster {

MpiWorld::MpiWorld(int* argc, char*** argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided);
  thread_multiple_ = provided >= MPI_THREAD_MULTIPLE;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void MpiWorld::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();
}

RankGroups split_into_groups(int ranks_per_group) {
  if (ranks_per_group < 1) throw std::invalid_argument("ranks_per_group must be at least 1");
  RankGroups g;
  MPI_Comm_rank(MPI_COMM_WORLD, &g.world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g.world_size);
  g.ranks_per_group = ranks_per_group;
  g.group = g.world_rank / ranks_per_group;
  g.group_count = (g.world_size + ranks_per_group - 1) / ranks_per_group;
  MPI_Comm_split(MPI_COMM_WORLD, g.group, g.world_rank, &g.group_comm);
  MPI_Comm_rank(g.group_comm, &g.group_rank);
  MPI_Comm_size(g.group_comm, &g.group_size);
  MPI_Comm_dup(MPI_COMM_WORLD, &g.work_comm);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, g.world_rank, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &g.node_rank);
  MPI_Comm_size(node, &g.node_size);
  MPI_Comm_free(&node);
  return g;
}

void free_groups(RankGroups& g) {
  if (g.group_comm != MPI_COMM_NULL) MPI_Comm_free(&g.group_comm);
  if (g.work_comm != MPI_COMM_NULL) MPI_Comm_free(&g.work_comm);
}

}  // namespace star::cluster
