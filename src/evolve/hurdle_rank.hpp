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

// What a trainer needs of `reached` to give behind_hurdle's verdict: the rows of one front. With
// k the first front such that the fronts before it hold more than `percentile` percent of
// `reached`, a genome is behind exactly when a row of front k - 1 dominates it (a genome
// dominated by a row of a later front is dominated by one of front k - 1 too: each row of front
// f > 0 is dominated by a row of front f - 1, and domination is transitive). Empty when no
// genome can be behind (nothing reached the hurdle, or no such k). Rank 0 hands out this front
// instead of every row: a few dozen rows, not the whole run's.
ObjectiveMatrix deciding_front(const ObjectiveMatrix& reached, double percentile);

// Whether some row of `rows` dominates `point`: with deciding_front's rows, behind_hurdle's verdict.
bool dominated_by_any(const ObjectiveMatrix& rows, const std::vector<double>& point);

}  // namespace star::evolve
