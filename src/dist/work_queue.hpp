#pragma once
// Dynamic work distribution over rank groups. Items 0..n-1 (the genomes of a generation) are
// handed out one at a time: a group that finishes asks rank 0 for the next, so a slow genome
// never holds up the others while work is left. Rank 0 is a worker too: a helper thread on it
// answers the other groups' requests while its own group trains.
#include <functional>
#include <vector>

#include "dist/mpi_world.hpp"
#include "train/eval_result.hpp"

namespace star::dist {

// Called on every rank of the group that takes the item (the group's ranks train together).
using EvaluateItem = std::function<train::EvalResult(int item)>;

// Rank 0 asks it before handing out each item: true once the run is stopping.
using StopCheck = std::function<bool()>;

// Collective over all ranks. Items are handed out in index order (the caller orders them,
// longest first); every item is evaluated by exactly one group. Returns every item's result (as
// its group leader saw it) on world rank 0, and an empty vector elsewhere. Once `stopping` says
// so, no more items are handed out: those never started come back with status `interrupted`.
std::vector<train::EvalResult> evaluate_all(const RankGroups& groups, int n, const EvaluateItem& evaluate,
                                            const StopCheck& stopping = {});

}  // namespace star::dist
