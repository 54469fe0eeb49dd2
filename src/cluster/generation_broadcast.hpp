#pragma once
// The generational search's protocol between rank 0 and the other ranks of MPI_COMM_WORLD: rank
// 0 announces each generation (its number and the genomes to train) or the end of the search,
// and every rank then takes part in training that generation through the work queue
// (work_queue.hpp). Both sides call the same functions in the same order.
#include <string>
#include <vector>

namespace star::cluster {

// What rank 0 announces: a generation to train, or the end of the search.
struct GenerationAnnouncement {
  int generation = -1;  // -1: the search is over
  std::vector<std::string> genomes;
};
// Collective. Rank 0 passes its announcement; every rank returns rank 0's.
GenerationAnnouncement announce_generation(GenerationAnnouncement announcement);

// Rank 0's value on every rank (an exit status, a verdict every rank must share).
int broadcast_from_root(int value);

}  // namespace star::cluster
