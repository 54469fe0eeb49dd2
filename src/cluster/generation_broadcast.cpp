#include "cluster/generation_broadcast.hpp"

#include <mpi.h>

#include "cluster/broadcast.hpp"

namespace star::cluster {

GenerationAnnouncement announce_generation(GenerationAnnouncement announcement) {
  announcement.generation = broadcast_from_root(announcement.generation);
  if (announcement.generation < 0) {
    announcement.genomes.clear();
    return announcement;
  }
  broadcast_strings(announcement.genomes, MPI_COMM_WORLD);
  return announcement;
}

int broadcast_from_root(int value) {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

}  // namespace star::cluster
