#include "io/retrain_file.hpp"

#include <cmath>
#include <limits>

#include "io/hdf5_file.hpp"
#include "io/atomic_file.hpp"

namespace star::io {
namespace {

constexpr const char* kFormat = "star-retrain";
constexpr int64_t kFormatVersion = 1;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same_double(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

std::string RetrainRecord::difference(const RetrainRecord& o) const {
  if (results != o.results) return "the results file (" + results + " there, " + o.results + " here)";
  if (config_text != o.config_text) return "the search's configuration";
  if (heldout != o.heldout) return "--heldout (" + heldout + " there, " + o.heldout + " here)";
  if (heldout_windows != o.heldout_windows) return "--heldout-windows";
  if (token_budget != o.token_budget || !same_double(budget_factor, o.budget_factor)) return "--budget-factor";
  if (top_k != o.top_k) return "--top";
  if (seeds != o.seeds) return "--seeds (" + std::to_string(seeds) + " there, " + std::to_string(o.seeds) + " here)";
  if (genomes.size() != o.genomes.size()) return "the genomes to retrain (--top, --baseline)";
  for (size_t i = 0; i < genomes.size(); ++i)
    if (genomes[i].name != o.genomes[i].name || genomes[i].genome != o.genomes[i].genome ||
        genomes[i].seed != o.genomes[i].seed)
      return "the genomes to retrain (" + genomes[i].name + " " + genomes[i].genome + " there, " + o.genomes[i].name +
             " " + o.genomes[i].genome + " here)";
  return "";
}

void write_retrain(const std::string& path, const RetrainRecord& r) {
  h5::silence_library_errors();
  std::string image;
  {
    auto file = h5::create_file_in_memory(path);
    h5::set_attribute(file, "format", std::string(kFormat));
    h5::set_attribute(file, "format_version", kFormatVersion);
    h5::set_attribute(file, "results", r.results);
    h5::set_attribute(file, "heldout", r.heldout);
    h5::set_attribute(file, "heldout_windows", r.heldout_windows);
    h5::set_attribute(file, "seq_len", r.seq_len);
    h5::set_attribute(file, "token_budget", r.token_budget);
    h5::set_attribute(file, "top_k", r.top_k);
    h5::set_double_attribute(file, "budget_factor", r.budget_factor);
    h5::set_doubles_attribute(file, "cache_lengths",
                              {static_cast<double>(r.cache_lengths[0]), static_cast<double>(r.cache_lengths[1])});
    h5::set_attribute(file, "cache_bytes_per_value", r.cache_bytes_per_value);
    h5::set_attribute(file, "seeds", r.seeds);
    h5::write_strings(h5::open_group(file, "/"), "config", {r.config_text});
    std::vector<std::string> name, role, genome, status, message;
    std::vector<int64_t> seed, front, params, short_cache, long_cache, tokens;
    std::vector<double> search_loss, loss, accuracy, seconds, tps;
    std::vector<std::vector<double>> curves;
    for (const auto& e : r.genomes) {
      name.push_back(e.name);
      role.push_back(e.role);
      genome.push_back(e.genome);
      status.push_back(e.pending ? "pending" : train::to_string(e.result.status));
      message.push_back(e.result.message);
      front.push_back(e.front_rank);
      seed.push_back(e.seed);
      params.push_back(e.result.parameters);
      short_cache.push_back(e.cache_bytes_short);
      long_cache.push_back(e.cache_bytes_long);
      tokens.push_back(e.result.tokens);
      search_loss.push_back(e.search_loss);
      loss.push_back(e.pending ? kNaN : e.result.loss);
      accuracy.push_back(e.pending ? kNaN : e.result.accuracy);
      seconds.push_back(e.result.seconds);
      tps.push_back(e.result.tokens_per_second);
      auto curve = e.result.loss_curve;
      curve.resize(train::kLossCurvePoints, kNaN);
      curves.push_back(curve);
    }
    auto rows = h5::create_group(file, "genomes");
    h5::write_strings(rows, "name", name);
    h5::write_strings(rows, "role", role);
    h5::write_strings(rows, "genome", genome);
    h5::write_strings(rows, "status", status);
    h5::write_strings(rows, "message", message);
    h5::write_int64s(rows, "seed", seed);
    h5::write_int64s(rows, "front_rank", front);
    h5::write_int64s(rows, "parameters", params);
    h5::write_int64s(rows, "cache_bytes_short", short_cache);
    h5::write_int64s(rows, "cache_bytes_long", long_cache);
    h5::write_int64s(rows, "tokens", tokens);
    h5::write_doubles(rows, "search_loss", search_loss);
    h5::write_doubles(rows, "loss", loss);
    h5::write_doubles(rows, "accuracy", accuracy);
    h5::write_doubles(rows, "seconds", seconds);
    h5::write_doubles(rows, "tokens_per_second", tps);
    h5::write_matrix(rows, "loss_curve", curves, train::kLossCurvePoints);
    rows = h5::Handle();  // every group closed before the image is taken
    image = h5::file_image(file);
  }
  // Built in memory, then written, fsync'd and renamed with every step checked (a full disk is a
  // WriteError naming the file).
  write_file_atomically(path, image);
}

RetrainRecord read_retrain(const std::string& path) {
  h5::silence_library_errors();
  try {
    auto file = h5::open_file_readonly(path);
    if (h5::string_attribute(file, "format") != kFormat) throw h5::Error("not a STAR retrain file");
    if (h5::int_attribute(file, "format_version") != kFormatVersion)
      throw h5::Error("retrain format version " + std::to_string(h5::int_attribute(file, "format_version")) +
                      " (this program reads " + std::to_string(kFormatVersion) + ")");
    RetrainRecord r;
    r.results = h5::string_attribute(file, "results");
    r.heldout = h5::string_attribute(file, "heldout");
    r.heldout_windows = h5::int_attribute(file, "heldout_windows");
    r.seq_len = h5::int_attribute(file, "seq_len");
    r.token_budget = h5::int_attribute(file, "token_budget");
    r.top_k = h5::int_attribute(file, "top_k");
    r.budget_factor = h5::double_attribute(file, "budget_factor");
    const auto lengths = h5::doubles_attribute(file, "cache_lengths");
    if (lengths.size() != 2) throw h5::Error("cache_lengths must hold two lengths");
    r.cache_lengths[0] = static_cast<int64_t>(lengths[0]);
    r.cache_lengths[1] = static_cast<int64_t>(lengths[1]);
    r.cache_bytes_per_value = h5::int_attribute(file, "cache_bytes_per_value");
    r.seeds = h5::has_attribute(file, "seeds") ? h5::int_attribute(file, "seeds") : 1;
    const auto config = h5::read_strings(h5::open_group(file, "/"), "config");
    if (config.size() != 1) throw h5::Error("/config must hold one string");
    r.config_text = config[0];
    auto rows = h5::open_group(file, "genomes");
    const auto name = h5::read_strings(rows, "name"), role = h5::read_strings(rows, "role"),
               genome = h5::read_strings(rows, "genome"), status = h5::read_strings(rows, "status"),
               message = h5::read_strings(rows, "message");
    const auto front = h5::read_int64s(rows, "front_rank"), params = h5::read_int64s(rows, "parameters"),
               short_cache = h5::read_int64s(rows, "cache_bytes_short"),
               long_cache = h5::read_int64s(rows, "cache_bytes_long"), tokens = h5::read_int64s(rows, "tokens");
    const auto search_loss = h5::read_doubles(rows, "search_loss"), loss = h5::read_doubles(rows, "loss"),
               accuracy = h5::read_doubles(rows, "accuracy"), seconds = h5::read_doubles(rows, "seconds"),
               tps = h5::read_doubles(rows, "tokens_per_second");
    const auto curves = h5::read_matrix(rows, "loss_curve");
    const size_t n = name.size();
    const auto seed = h5::has_child(rows, "seed") ? h5::read_int64s(rows, "seed") : std::vector<int64_t>(n, 1);
    for (size_t size : {seed.size(), role.size(), genome.size(), status.size(), message.size(), front.size(), params.size(),
                        short_cache.size(), long_cache.size(), tokens.size(), search_loss.size(), loss.size(),
                        accuracy.size(), seconds.size(), tps.size(), curves.size()})
      if (size != n) throw h5::Error("columns of different lengths");
    for (size_t i = 0; i < n; ++i) {
      RetrainEntry e;
      e.name = name[i];
      e.role = role[i];
      e.genome = genome[i];
      e.seed = static_cast<int>(seed[i]);
      e.front_rank = static_cast<int>(front[i]);
      e.search_loss = search_loss[i];
      e.pending = status[i] == "pending";
      if (!e.pending) e.result.status = train::eval_status_from_string(status[i]);
      e.result.message = message[i];
      e.result.parameters = params[i];
      e.cache_bytes_short = short_cache[i];
      e.cache_bytes_long = long_cache[i];
      e.result.tokens = tokens[i];
      e.result.loss = loss[i];
      e.result.accuracy = accuracy[i];
      e.result.seconds = seconds[i];
      e.result.tokens_per_second = tps[i];
      for (double d : curves[i])
        if (!std::isnan(d)) e.result.loss_curve.push_back(d);
      r.genomes.push_back(std::move(e));
    }
    return r;
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": cannot read the retraining: " + e.what());
  }
}

}  // namespace star::io
