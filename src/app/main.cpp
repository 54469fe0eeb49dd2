// The `star` command: evolve architectures under MPI, inspect genomes, check the engine, and
// simulate the work queue at scale (the subcommands are src/app/cli.cpp's).
#include "app/cli.hpp"

int main(int argc, char** argv) { return star::app::run_cli(argc, argv); }
