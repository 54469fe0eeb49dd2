#pragma once
// The verdict at a hurdle ([train] hurdles, core/hurdles.hpp): whether a genome ranks behind too
// many of the genomes that reached the same hurdle before it.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// `reached`: the objective rows of the genomes that reached the hurdle (quality: their training
// loss there); `point`: this genome's row. Its front is the first after every front holding a
// row that dominates it (NSGA-II's fronts of `reached`, which rows it dominates do not change),
// and the rows ahead of it are those in earlier fronts. True when they are more than `percentile`
// percent of `reached`: with one objective, when more than that share of the losses are lower;
// never when nothing reached the hurdle yet.
bool behind_hurdle(const ObjectiveMatrix& reached, const std::vector<double>& point, double percentile);

}  // namespace star::evolve
