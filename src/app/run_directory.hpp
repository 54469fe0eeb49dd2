#pragma once
// Rank 0's checks of the run directory before any training: a new run never overwrites results,
// a resumed run finds a checkpoint that belongs to the same search.
#include <memory>
#include <string>

#include "io/config.hpp"
#include "io/run_history.hpp"
#include "io/run_lock.hpp"

namespace star::app {

// none: a new run (refuses a directory with results or a journal); strict (`--resume`): continue
// a run, and fail when there is nothing to continue; automatic (`--resume auto`, what a requeued
// batch job runs): continue when there is something to continue, else start a new run.
enum class ResumeMode { none, strict, automatic };

// Rank 0's exclusive lock on the run directory, held for the whole run (io/run_lock.hpp): taken
// before the directory is looked at, so two runs started together never both pass the checks
// below. Creates the directory when a run may start in it; returns null for a --resume of a
// directory that does not exist (prepare_run_directory then says there is nothing to resume).
// Throws io::RunLockedError naming the holder's host and PID when another run holds it.
std::unique_ptr<io::RunLock> lock_run_directory(const io::Config& config, ResumeMode resume);

// Returns an empty string when the run can go on (and fills `history` when resuming), or the
// reason it cannot. `note` receives what the user should know (e.g. a damaged checkpoint was
// skipped, or `--resume auto` found nothing and starts afresh). A run killed before its first
// checkpoint has only a journal: it resumes from generation 0 with the journal's results. A
// configuration that differs from the stored one in a must-match key (io/config_schema.hpp) is refused.
// Throws io::WriteError when a new run's config.toml cannot be written.
std::string prepare_run_directory(const io::Config& config, ResumeMode resume, io::RunHistory& history,
                                  std::string& note);

}  // namespace star::app
