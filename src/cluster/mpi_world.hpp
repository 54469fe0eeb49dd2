#pragma once
// The MPI world of one run, and its split into rank groups. A group trains one genome at a time
// (data parallel over its ranks); groups take genomes independently of each other.
#include <mpi.h>

namespace star::cluster {

// Initialises MPI with full thread support (rank 0 serves work requests from a helper thread
// while it trains) and finalises it on destruction.
class MpiWorld {
 public:
  MpiWorld(int* argc, char*** argv);
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool thread_multiple() const { return thread_multiple_; }
  // Stops every rank of the job (after an error on one rank, so the others do not wait forever).
  [[noreturn]] static void abort(int code);

 private:
  int rank_ = 0, size_ = 1;
  bool thread_multiple_ = false;
};

struct RankGroups {
  int world_rank = 0, world_size = 1;
  int ranks_per_group = 1;
  int group = 0, group_count = 1;     // this rank's group, and how many there are
  int group_rank = 0, group_size = 1; // within the group; rank 0 of a group is its leader
  int node_rank = 0, node_size = 1;   // among the ranks on this node (to pick a GPU)
  MPI_Comm group_comm = MPI_COMM_NULL;
  MPI_Comm work_comm = MPI_COMM_NULL;  // world duplicate for work requests and results

  bool leader() const { return group_rank == 0; }
  int leader_of(int g) const { return g * ranks_per_group; }
};

// Consecutive ranks form a group of `ranks_per_group` (the last one smaller when the world size
// does not divide). Collective over MPI_COMM_WORLD. Throws std::invalid_argument when
// ranks_per_group < 1.
RankGroups split_into_groups(int ranks_per_group);
void free_groups(RankGroups& groups);

}  // namespace star::cluster
