#include "io/results_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>
#include <type_traits>
#include <variant>

#include "io/atomic_file.hpp"
#include "io/checksum.hpp"
#include "io/hdf5_file.hpp"
#include "io/sync_path.hpp"

namespace star::io {
namespace {

namespace fs = std::filesystem;
constexpr const char* kFormat = "star-results";
// Version 2 added the columns peak_memory_bytes and loss_curve and the hypervolumes, version 3
// each generation's elapsed_seconds and a steady-state run's /events, version 4 the columns
// fidelity, hurdle_losses and micro_batch_size (record format 3), version 5 the measured inference
// prefill_ms, decode_ms and inference_memory_bytes (record format 4); files of versions 1 to 4 are
// still read.
constexpr int64_t kFormatVersion = 5;
constexpr int64_t kOldestReadableVersion = 1;

std::string generation_name(int index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "g%06d", index);
  return buf;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string p; std::getline(in, p, ',');)
    if (!p.empty()) parts.push_back(p);
  return parts;
}

// The record format (core/eval_result.hpp) of a results file's rows: versions 2 and 3 added no
// column of the record, version 4 added the hurdles' columns.
int record_format(int64_t file_version) {
  return file_version >= 5 ? 4 : file_version >= 4 ? 3 : file_version >= 2 ? 2 : 1;
}

// One column per field of the record (a series: a matrix of rows as wide as the longest, NaN
// after a row's last point), then the objectives and, for a population, its ranking.
void write_individuals(const h5::Handle& group, const std::vector<Individual>& people, bool with_selection,
                       size_t objective_count) {
  std::vector<std::string> genome;
  std::vector<std::vector<double>> objectives;
  std::vector<int64_t> front;
  std::vector<double> crowding;
  for (const auto& p : people) {
    genome.push_back(p.genome);
    objectives.push_back(p.objectives);
    front.push_back(p.front_rank);
    crowding.push_back(p.crowding);
  }
  h5::write_strings(group, "genome", genome);
  for (const auto& field : train::eval_result_fields()) {
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(people.front().result.*member)>;
          std::vector<T> column;
          for (const auto& p : people) column.push_back(p.result.*member);
          if constexpr (std::is_same_v<T, train::EvalStatus>) {
            std::vector<std::string> names;
            for (auto status : column) names.push_back(train::to_string(status));
            h5::write_strings(group, field.name, names);
          } else if constexpr (std::is_same_v<T, double>) {
            h5::write_doubles(group, field.name, column);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            h5::write_int64s(group, field.name, column);
          } else if constexpr (std::is_same_v<T, std::string>) {
            h5::write_strings(group, field.name, column);
          } else {
            size_t width = 1;
            for (const auto& row : column) width = std::max(width, row.size());
            for (auto& row : column) row.resize(width, std::numeric_limits<double>::quiet_NaN());
            h5::write_matrix(group, field.name, column, width);
          }
        },
        field.member);
  }
  h5::write_matrix(group, "objectives", objectives, objective_count);
  if (with_selection) {
    h5::write_int64s(group, "front_rank", front);
    h5::write_doubles(group, "crowding", crowding);
  }
}

// Reads the rows back; a field newer than the file's record format keeps EvalResult's default.
std::vector<Individual> read_individuals(const h5::Handle& group, bool with_selection, int format) {
  const auto genome = h5::read_strings(group, "genome");
  const size_t n = genome.size();
  std::vector<Individual> people(n);
  const auto same_length = [&](size_t size, const std::string& name) {
    if (size != n) throw h5::Error("column " + name + " holds " + std::to_string(size) + " rows, genome " +
                                   std::to_string(n));
  };
  for (size_t i = 0; i < n; ++i) people[i].genome = genome[i];
  for (const auto& field : train::eval_result_fields()) {
    if (field.since > format) continue;
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(people.front().result.*member)>;
          if constexpr (std::is_same_v<T, train::EvalStatus>) {
            const auto names = h5::read_strings(group, field.name);
            same_length(names.size(), field.name);
            for (size_t i = 0; i < n; ++i) people[i].result.*member = train::eval_status_from_string(names[i]);
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            const auto rows = h5::read_matrix(group, field.name);
            same_length(rows.size(), field.name);
            for (size_t i = 0; i < n; ++i)
              for (double d : rows[i])
                if (!std::isnan(d)) (people[i].result.*member).push_back(d);
          } else {
            std::vector<T> column;
            if constexpr (std::is_same_v<T, double>) column = h5::read_doubles(group, field.name);
            else if constexpr (std::is_same_v<T, int64_t>) column = h5::read_int64s(group, field.name);
            else column = h5::read_strings(group, field.name);
            same_length(column.size(), field.name);
            for (size_t i = 0; i < n; ++i) people[i].result.*member = column[i];
          }
        },
        field.member);
  }
  const auto objectives = h5::read_matrix(group, "objectives");
  same_length(objectives.size(), "objectives");
  for (size_t i = 0; i < n; ++i) people[i].objectives = objectives[i];
  if (with_selection) {
    const auto front = h5::read_int64s(group, "front_rank");
    const auto crowding = h5::read_doubles(group, "crowding");
    same_length(front.size(), "front_rank");
    same_length(crowding.size(), "crowding");
    for (size_t i = 0; i < n; ++i) {
      people[i].front_rank = static_cast<int>(front[i]);
      people[i].crowding = crowding[i];
    }
  }
  return people;
}

// A checksum of everything the file holds, in the order it is written: HDF5 notices a truncated
// file but not a changed byte inside a dataset; this does.
class ContentChecksum {
 public:
  void add(const std::string& s) {
    add(static_cast<uint64_t>(s.size()));
    h_ = fnv1a(s, h_);
  }
  void add(uint64_t v) { h_ = fnv1a(&v, sizeof v, h_); }
  void add(int64_t v) { add(static_cast<uint64_t>(v)); }
  void add(double v) { h_ = fnv1a(&v, sizeof v, h_); }
  explicit ContentChecksum(int64_t version) : version_(version) {}
  void add(const std::vector<Individual>& people, bool with_selection) {
    add(static_cast<uint64_t>(people.size()));
    for (const auto& p : people) {
      add(p.genome);
      if (version_ >= 4) add_fields(p.result);
      else add_fields_before_version_4(p.result);
      add(static_cast<uint64_t>(p.objectives.size()));
      for (double d : p.objectives) add(d);
      if (version_ >= 2 && version_ < 4) {
        add(p.result.peak_memory_bytes);
        add_series(p.result.loss_curve);
      }
      if (with_selection) {
        add(static_cast<int64_t>(p.front_rank));
        add(p.crowding);
      }
    }
  }
  std::string hex() const {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  void add_series(const std::vector<double>& values) {
    add(static_cast<uint64_t>(values.size()));
    for (double d : values) add(d);
  }
  // Every field of the record that the file's format has, in table order.
  void add_fields(const train::EvalResult& r) {
    for (const auto& field : train::eval_result_fields())
      if (field.since <= record_format(version_))
        std::visit(
            [&](auto member) {
              const auto& value = r.*member;
              using T = std::decay_t<decltype(value)>;
              if constexpr (std::is_same_v<T, train::EvalStatus>) add(std::string(train::to_string(value)));
              else if constexpr (std::is_same_v<T, std::vector<double>>) add_series(value);
              else add(value);
            },
            field.member);
  }
  // The sum files of versions 1 to 3 hold: the first record format's fields in the order they
  // were summed then (peak memory and the loss curve follow the objectives).
  void add_fields_before_version_4(const train::EvalResult& r) {
    add(std::string(train::to_string(r.status)));
    add(r.message);
    for (double d : {r.loss, r.accuracy, r.seconds, r.tokens_per_second}) add(d);
    for (int64_t i : {r.parameters, r.cache_bytes, r.tokens}) add(i);
  }

  uint64_t h_ = kFnvOffset;
  int64_t version_;  // the file format's: older files summed fewer columns, in another order
};

std::string content_checksum(const RunHistory& history, int64_t version) {
  ContentChecksum sum(version);
  sum.add(history.config_text);
  sum.add(join(history.objective_names));
  if (version >= 2) {
    sum.add(static_cast<uint64_t>(history.hypervolume_reference.size()));
    for (double r : history.hypervolume_reference) sum.add(r);
  }
  if (version >= 3) {
    sum.add(static_cast<uint64_t>(history.events.size()));
    for (const auto& e : history.events) {
      sum.add(static_cast<int64_t>(e.seq) * 2 + (e.result ? 1 : 0));
      sum.add(e.genome);
    }
  }
  for (const auto& g : history.generations) {
    sum.add(static_cast<int64_t>(g.index));
    sum.add(g.rng_state);
    if (version >= 2) sum.add(g.hypervolume);
    if (version >= 3) sum.add(g.elapsed_seconds);
    sum.add(g.evaluated, false);
    sum.add(g.population, true);
  }
  return sum.hex();
}

}  // namespace

std::string results_path(const std::string& run_dir) { return (fs::path(run_dir) / "results.h5").string(); }
std::string previous_results_path(const std::string& run_dir) { return (fs::path(run_dir) / "results.prev.h5").string(); }

namespace {

// The checkpoint as the bytes of an HDF5 file.
std::string results_image(const std::string& name, const RunHistory& history) {
  auto file = h5::create_file_in_memory(name);
  {  // every group closed before the image is taken
    h5::set_attribute(file, "format", std::string(kFormat));
    h5::set_attribute(file, "format_version", kFormatVersion);
    h5::set_attribute(file, "objective_names", join(history.objective_names));
    h5::set_attribute(file, "complete_generations", static_cast<int64_t>(history.generations.size()));
    h5::set_attribute(file, "content_checksum", content_checksum(history, kFormatVersion));
    if (!history.hypervolume_reference.empty())
      h5::set_doubles_attribute(file, "hypervolume_reference", history.hypervolume_reference);
    {
      auto root = h5::open_group(file, "/");
      h5::write_strings(root, "config", {history.config_text});
    }
    if (!history.events.empty()) {  // columns: the hand-out's number, handout or result, the genome
      auto events = h5::create_group(file, "events");
      std::vector<int64_t> seq;
      std::vector<std::string> kind, genome;
      for (const auto& e : history.events) {
        seq.push_back(e.seq);
        kind.push_back(e.result ? "result" : "handout");
        genome.push_back(e.genome);
      }
      h5::write_int64s(events, "seq", seq);
      h5::write_strings(events, "kind", kind);
      h5::write_strings(events, "genome", genome);
    }
    auto gens = h5::create_group(file, "generations");
    for (const auto& g : history.generations) {
      auto group = h5::create_group(gens, generation_name(g.index));
      h5::set_attribute(group, "generation", static_cast<int64_t>(g.index));
      h5::set_attribute(group, "rng_state", g.rng_state);
      h5::set_double_attribute(group, "hypervolume", g.hypervolume);
      h5::set_double_attribute(group, "elapsed_seconds", g.elapsed_seconds);
      write_individuals(h5::create_group(group, "evaluated"), g.evaluated, false, history.objective_names.size());
      write_individuals(h5::create_group(group, "population"), g.population, true, history.objective_names.size());
    }
  }
  return h5::file_image(file);
}

}  // namespace

void write_results(const std::string& path, const RunHistory& history) {
  h5::silence_library_errors();
  const std::string tmp = path + ".tmp";
  // Built in memory, then written and fsync'd with every write checked (a full disk is a
  // WriteError naming the file), and only then renamed into place.
  write_synced_file(tmp, results_image(tmp, history));
  const fs::path target(path);
  const fs::path previous = target.parent_path() / (target.stem().string() + ".prev.h5");
  std::error_code ec;
  if (fs::exists(target)) fs::rename(target, previous);
  fs::rename(tmp, target);
  sync_path(target.parent_path().empty() ? "." : target.parent_path().string());
}

RunHistory read_results(const std::string& path) {
  h5::silence_library_errors();
  try {
    auto file = h5::open_file_readonly(path);
    if (h5::string_attribute(file, "format") != kFormat) throw h5::Error("not a STAR results file");
    const auto version = h5::int_attribute(file, "format_version");
    if (version < kOldestReadableVersion || version > kFormatVersion)
      throw h5::Error("results format version " + std::to_string(version) + " (this program reads " +
                      std::to_string(kOldestReadableVersion) + " to " + std::to_string(kFormatVersion) + ")");
    RunHistory history;
    history.objective_names = split(h5::string_attribute(file, "objective_names"));
    auto root = h5::open_group(file, "/");
    auto config = h5::read_strings(root, "config");
    if (config.size() != 1) throw h5::Error("/config must hold one string");
    history.config_text = config[0];
    if (version >= 2 && h5::has_attribute(file, "hypervolume_reference"))
      history.hypervolume_reference = h5::doubles_attribute(file, "hypervolume_reference");
    const auto complete = h5::int_attribute(file, "complete_generations");
    if (version >= 3 && h5::has_child(file, "events")) {
      auto events = h5::open_group(file, "events");
      const auto seq = h5::read_int64s(events, "seq");
      const auto kind = h5::read_strings(events, "kind"), genome = h5::read_strings(events, "genome");
      if (kind.size() != seq.size() || genome.size() != seq.size()) throw h5::Error("/events columns differ in length");
      for (size_t i = 0; i < seq.size(); ++i)
        history.events.push_back({static_cast<int>(seq[i]), kind[i] == "result", genome[i]});
    }
    auto gens = h5::open_group(file, "generations");
    auto names = h5::child_names(gens);
    if (static_cast<int64_t>(names.size()) != complete)
      throw h5::Error("it lists " + std::to_string(complete) + " complete generations but holds " +
                      std::to_string(names.size()));
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] != generation_name(static_cast<int>(i))) throw h5::Error("generation " + names[i] + " is out of order");
      auto group = h5::open_group(gens, names[i]);
      GenerationRecord g;
      g.index = static_cast<int>(h5::int_attribute(group, "generation"));
      g.rng_state = h5::string_attribute(group, "rng_state");
      if (version >= 2) g.hypervolume = h5::double_attribute(group, "hypervolume");
      if (version >= 3) g.elapsed_seconds = h5::double_attribute(group, "elapsed_seconds");
      g.evaluated = read_individuals(h5::open_group(group, "evaluated"), false, record_format(version));
      g.population = read_individuals(h5::open_group(group, "population"), true, record_format(version));
      history.generations.push_back(std::move(g));
    }
    // Files written before the checksum existed have none; those are taken as HDF5 reads them.
    if (H5Aexists(file.id(), "content_checksum") > 0 &&
        h5::string_attribute(file, "content_checksum") != content_checksum(history, version))
      throw h5::Error("its contents do not match their checksum (damaged)");
    return history;
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": cannot read the results: " + e.what());
  }
}

bool has_results(const std::string& run_dir) {
  std::error_code ec;  // a path the system cannot hold (a name too long) holds no results
  return fs::exists(results_path(run_dir), ec) || fs::exists(previous_results_path(run_dir), ec);
}

RunHistory read_latest_results(const std::string& run_dir, std::string* note) {
  const std::string newest = results_path(run_dir), previous = previous_results_path(run_dir);
  std::string newest_error;
  if (fs::exists(newest)) {
    try {
      return read_results(newest);
    } catch (const std::exception& e) {
      newest_error = e.what();
    }
  } else {
    newest_error = newest + " is missing";
  }
  if (!fs::exists(previous)) throw std::runtime_error(newest_error + "; and there is no previous checkpoint");
  RunHistory history = read_results(previous);
  if (note) *note = newest_error + "; using the previous checkpoint " + previous;
  return history;
}

}  // namespace star::io
