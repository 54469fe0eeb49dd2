#pragma once
// Everything a run has decided so far: per generation, the genomes evaluated and the surviving
// population, and the state of the run's random generator. This is what the HDF5 results file
// holds and what a restart needs.
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::io {

struct Individual {
  std::string genome;          // canonical text form
  train::EvalResult result;
  int front_rank = -1;         // NSGA-II front, 0 = non-dominated (population only)
  double crowding = 0;         // crowding distance (population only; inf at the front's ends)
  std::vector<double> objectives;  // the minimised objective values used for selection
};

struct GenerationRecord {
  int index = 0;
  std::vector<Individual> evaluated;   // trained in this generation (generation 0: the initial population)
  std::vector<Individual> population;  // survivors: the parents of the next generation
  std::string rng_state;               // the run's generator after this generation's draws
  // Of the population's feasible members against the run's reference point (0 before it exists).
  double hypervolume = 0;
  // The search's wall time when this record was complete, in seconds, summed over the pieces of
  // a resumed run (each piece from its first record on); 0 in files before format version 3.
  double elapsed_seconds = 0;
};

// One event of a steady-state run (io/event_log.hpp holds the full log): a candidate handed out
// or a result received, in the order rank 0 acted on them.
struct SearchEvent {
  int seq = 0;          // the hand-out's number, from 0
  bool result = false;  // false: handed out; true: its result entered the population
  std::string genome;
};

struct RunHistory {
  std::string config_text;                 // the TOML the run was started with
  std::vector<std::string> objective_names;
  // The hypervolume's reference point, one value per objective; empty until a generation has a
  // feasible genome (see search/hypervolume_record.hpp for the rule).
  std::vector<double> hypervolume_reference;
  std::vector<GenerationRecord> generations;  // complete generations, in order
  // A steady-state run's events so far when the file was written (empty for a generational run).
  std::vector<SearchEvent> events;
};

}  // namespace star::io
