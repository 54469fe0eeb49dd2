#pragma once
// A steady-state run over the rank groups ([evolution] mode = "steady_state"): rank 0 hands each
// group a new candidate the moment it reports a result (search/steady_state_search.hpp decides
// which), writes every hand-out and result to the event log before acting on it
// (io/event_log.hpp), and checkpoints the results file every `population` results. A resume
// rebuilds the search from the event log, takes the results that groups had journaled but rank 0
// never logged (a kill of rank 0) from the group journals, and trains the rest of the candidates
// that were out again. No barrier: a group waits only at the very end, for the last results.
#include <string>

#include "app/evaluate_genome.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/stop_request.hpp"
#include "io/config.hpp"
#include "io/journal.hpp"
#include "io/run_history.hpp"

namespace star::app {

// Collective over all ranks. `checkpoint`: rank 0's, of a run being resumed (its records' times;
// the event log decides the rest). `journal`: the group leader's journal (null on other ranks).
// Returns the exit status on rank 0 (0 when the search is complete, cluster::kResubmitExitStatus
// when a signal stopped it) and 0 elsewhere. Throws when the event log does not match the
// configuration (rank 0: search::EventLogMismatch).
int run_steady_state(const io::Config& config, const io::RunHistory& checkpoint, const cluster::RankGroups& groups,
                     const EvaluationContext& eval, cluster::StopCoordinator& stop, io::JournalWriter* journal);

}  // namespace star::app
