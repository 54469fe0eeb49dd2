#pragma once
// Rank 0 sends a list of strings (a generation's genomes) to every rank.
#include <string>
#include <vector>

#include <mpi.h>

namespace star::dist {

void broadcast_strings(std::vector<std::string>& values, MPI_Comm comm);

}  // namespace star::dist
