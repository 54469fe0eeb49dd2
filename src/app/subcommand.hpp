#pragma once
// A subcommand of `star`. Each command's file adds itself to the command line (its name, options
// and their checks) and says how it runs once chosen; src/cli/cli.cpp only lists the commands.
#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace star::app {

struct Subcommand {
  CLI::App* cli = nullptr;  // chosen when the parse selected it
  // Runs the command with the options the parse filled in; argc and argv for MPI_Init.
  std::function<int(int* argc, char*** argv)> run;
};
using Subcommands = std::vector<Subcommand>;

}  // namespace star::app
