#pragma once
// The event log of a steady-state run: <run>/journal/events.log, written by rank 0 alone, one
// event per line in the order rank 0 acted on them. Results arrive in an order that depends on
// timing; with this order the search (search/steady_state_search.hpp) is rebuilt bit for bit, on a
// resume or by `star replay`. Two kinds of line:
//
//   star-event-1 handout <seq> <genome> <generator fingerprint> <fnv1a-64 of the line so far, hex>
//   star-event-1 result  <a journal line (io/journal.hpp) whose generation field is the seq>
//
// fields separated by tabs. <seq> numbers the hand-outs from 0; a result names the hand-out it
// answers. Every line is fsync'd before rank 0 acts on it. A reader stops at the first torn or
// damaged line: what follows it cannot be placed in order.
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::io {

struct SteadyEvent {
  enum class Kind { handout, result } kind = Kind::handout;
  int seq = 0;
  std::string genome;
  std::string rng_fingerprint;  // handout: the generator after drawing the genome
  train::EvalResult result;     // result
};

std::string event_log_path(const std::string& run_dir);

std::string format_event_line(const SteadyEvent& event);
bool parse_event_line(const std::string& line, SteadyEvent& event);

// Appends events to the run's log. Throws io::WriteError naming the file when it cannot.
class EventLogWriter {
 public:
  explicit EventLogWriter(const std::string& run_dir);
  void append(const SteadyEvent& event);

 private:
  std::string dir_;
};

struct EventLog {
  std::vector<SteadyEvent> events;  // the intact events, in order
  int unread_lines = 0;             // the damaged line where reading stopped, and all after it
};

EventLog read_event_log(const std::string& run_dir);
bool has_event_log(const std::string& run_dir);

}  // namespace star::io
