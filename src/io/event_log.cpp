#include "io/event_log.hpp"

#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "io/checksum.hpp"
#include "io/durable_append.hpp"
#include "io/journal.hpp"

namespace star::io {
namespace {

constexpr const char* kHandout = "star-event-1\thandout\t";
constexpr const char* kResult = "star-event-1\tresult\t";
constexpr const char* kFileName = "events.log";

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string checksum_text(const std::string& text) {
  char sum[24];
  std::snprintf(sum, sizeof sum, "%016" PRIx64, fnv1a(text));
  return sum;
}

}  // namespace

std::string event_log_path(const std::string& run_dir) { return journal_directory(run_dir) + "/" + kFileName; }

std::string format_event_line(const SteadyEvent& e) {
  if (e.kind == SteadyEvent::Kind::result) return kResult + format_journal_line({e.seq, e.genome, e.result});
  const std::string line = kHandout + std::to_string(e.seq) + '\t' + e.genome + '\t' + e.rng_fingerprint;
  return line + '\t' + checksum_text(line) + '\n';
}

bool parse_event_line(const std::string& raw, SteadyEvent& e) {
  if (starts_with(raw, kResult)) {
    JournalRecord record;
    if (!parse_journal_line(raw.substr(std::string(kResult).size()), record)) return false;
    e.kind = SteadyEvent::Kind::result;
    e.seq = record.generation;
    e.genome = record.genome;
    e.result = record.result;
    return true;
  }
  if (!starts_with(raw, kHandout) || raw.back() != '\n') return false;
  const std::string line = raw.substr(0, raw.size() - 1);
  const size_t sum_tab = line.rfind('\t');
  if (sum_tab == std::string::npos) return false;
  if (line.compare(sum_tab + 1, std::string::npos, checksum_text(line.substr(0, sum_tab))) != 0) return false;
  const std::string fields = line.substr(std::string(kHandout).size(), sum_tab - std::string(kHandout).size());
  const size_t a = fields.find('\t'), b = fields.rfind('\t');
  if (a == std::string::npos || b == a) return false;
  char* end = nullptr;
  const long seq = std::strtol(fields.c_str(), &end, 10);
  if (end != fields.c_str() + a || seq < 0) return false;
  e.kind = SteadyEvent::Kind::handout;
  e.seq = static_cast<int>(seq);
  e.genome = fields.substr(a + 1, b - a - 1);
  e.rng_fingerprint = fields.substr(b + 1);
  return !e.genome.empty();
}

EventLogWriter::EventLogWriter(const std::string& run_dir) : dir_(journal_directory(run_dir)) {}

void EventLogWriter::append(const SteadyEvent& event) { append_durably(dir_, kFileName, format_event_line(event)); }

EventLog read_event_log(const std::string& run_dir) {
  EventLog log;
  const auto lines = read_lines(event_log_path(run_dir));
  for (size_t i = 0; i < lines.size(); ++i) {
    SteadyEvent e;
    if (!parse_event_line(lines[i], e)) {
      log.unread_lines = static_cast<int>(lines.size() - i);
      break;
    }
    log.events.push_back(std::move(e));
  }
  return log;
}

bool has_event_log(const std::string& run_dir) {
  struct stat st {};
  return ::stat(event_log_path(run_dir).c_str(), &st) == 0;
}

}  // namespace star::io
