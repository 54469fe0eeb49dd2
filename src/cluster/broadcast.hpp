#pragma once
// Strings between ranks: rank 0 sends a list (a generation's genomes) to every rank, or every
// rank shares one string with all the others.
#include <string>
#include <vector>

#include <mpi.h>

namespace star::cluster {

void broadcast_strings(std::vector<std::string>& values, MPI_Comm comm);
// Every rank's `value`, in rank order, on every rank.
std::vector<std::string> allgather_strings(const std::string& value, MPI_Comm comm);

}  // namespace star::cluster
