// The `star` command: evolve architectures under MPI, inspect genomes, check the engine, and
// simulate the work queue at scale (the subcommands are listed in src/cli/cli.cpp).
#include "cli/cli.hpp"

int main(int argc, char** argv) { return star::cli::run_cli(argc, argv); }
