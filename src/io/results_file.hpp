#pragma once
// The run's HDF5 results file, which is also its checkpoint.
//
//   /                      attrs: format = "star-results", format_version, objective_names (comma separated),
//                          hypervolume_reference (doubles, one per objective; absent while no
//                          generation has a feasible genome)
//   /config                the TOML text of the run (string)
//   /generations/gNNNNNN/  attrs: generation, rng_state, hypervolume (double: of the population's
//                          feasible members against hypervolume_reference; format version 2 on)
//       evaluated/         one row per genome trained in this generation
//       population/        one row per survivor (the next generation's parents)
//         genome status message (strings), loss accuracy seconds tokens_per_second (double),
//         parameters cache_bytes tokens (int64); population also front_rank (int64), crowding
//         (double), objectives [n, m] (double, minimised, columns as objective_names)
//
// Files are written whole to <path>.tmp, synced, and renamed into place; the file they replace
// is kept as <stem>.prev.h5, so a crash at any moment leaves one complete checkpoint.
#include <string>

#include "io/run_history.hpp"

namespace star::io {

// Writes format version 2. Reads versions 1 (no hypervolumes: they read as 0, reference empty)
// and 2.
void write_results(const std::string& path, const RunHistory& history);
RunHistory read_results(const std::string& path);  // throws h5::Error / std::runtime_error naming the file

// The run directory's results file and its previous version.
std::string results_path(const std::string& run_dir);
std::string previous_results_path(const std::string& run_dir);

// Reads the newest readable checkpoint of a run directory. When the newest is damaged, the
// previous one is used and `note` says so. Throws when neither can be read.
RunHistory read_latest_results(const std::string& run_dir, std::string* note);

// True when the run directory has a results file (readable or not).
bool has_results(const std::string& run_dir);

}  // namespace star::io
