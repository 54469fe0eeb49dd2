// GoogleTest main for tests run under mpirun: MPI is started once for the process, every rank
// runs every test, and rank 0 prints the report.
#include <gtest/gtest.h>
#include <mpi.h>

#include "cluster/mpi_world.hpp"

int main(int argc, char** argv) {
  star::cluster::MpiWorld world(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  // Only rank 0 prints the report; every rank's failures still fail the run through its exit code.
  if (world.rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int failed = RUN_ALL_TESTS();
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return failed;
}
