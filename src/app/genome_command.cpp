#include "app/genome_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli_checks.hpp"
#include "genome/blocks.hpp"
#include "genome/excerpt.hpp"
#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "genome/operator_genome.hpp"
#include "genome/random.hpp"
#include "genome/repair.hpp"
#include "genome/sampling.hpp"
#include "genome/validity.hpp"
#include "genome/variation.hpp"
#include "io/config.hpp"
#include "model/backbone.hpp"
#include "model/model_metrics.hpp"

namespace star::app {
namespace {

// The configuration's settings, or the defaults; without a configuration the genome's own
// length is the depth of the space.
io::Config settings_for(const GenomeOptions& o, int depth_if_default) {
  if (!o.config_path.empty()) return io::load_config(o.config_path);
  io::Config c = io::parse_config("", "<defaults>");
  if (depth_if_default > 0) c.genome.depth = depth_if_default;
  return c;
}

genome::Genome valid_genome(const std::string& text, const io::Config& c) {
  auto g = genome::parse_genome(text);
  const auto problems = genome::violations(g, c.genome);
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? " " : "; ") + p;  // one line
    throw genome::GenomeError("genome \"" + excerpt(text) + "\" is not valid in this search space:" + all);
  }
  return g;
}

template <class Body>
int guarded(const char* what, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star genome %s: %s\n", what, e.what());
    return 2;
  }
}

}  // namespace

int run_genome_describe(const GenomeOptions& o) {
  return guarded("describe", [&] {
    const auto parsed = genome::parse_genome(o.genome);
    const auto c = settings_for(o, static_cast<int>(parsed.livs.size()));
    const auto g = valid_genome(o.genome, c);
    const int64_t seq = o.seq_len > 0 ? o.seq_len : (c.metrics.cache_seq_len > 0 ? c.metrics.cache_seq_len : c.task().seq_len);
    model::Backbone net(g, c.model);
    const auto s = model::summarize(net, seq, c.metrics.cache_bytes_per_value);
    std::printf("genome %s: %zu LIVs, width %lld, vocabulary %lld; cache at %lld tokens, %lld bytes per value\n",
                genome::to_text(g).c_str(), g.livs.size(), static_cast<long long>(c.model.width),
                static_cast<long long>(c.model.vocab_size), static_cast<long long>(seq),
                static_cast<long long>(c.metrics.cache_bytes_per_value));
    // Each LIV's block: its number, and in a multi-path block its path and the mixer.
    std::vector<std::string> block_of(g.livs.size());
    const auto blocks = genome::blocks_of(g);
    for (size_t b = 0; b < blocks.size(); ++b)
      for (int p = 0; p < blocks[b].paths; ++p)
        block_of[static_cast<size_t>(blocks[b].first + p)] =
            std::to_string(b + 1) +
            (blocks[b].paths == 1 ? "" : "." + std::to_string(p + 1) + " " + genome::to_string(blocks[b].mixer)) +
            (blocks[b].routed ? " routed" : "");
    std::printf("  %-4s %-7s %-12s %-17s %-22s %-22s %12s %14s\n", "LIV", "gene", "class", "block", "featurizer",
                "feature groups", "params", "cache[B]");
    for (const auto& liv : s.livs) {
      auto sharing = [&](int owner) {
        return owner == liv.index ? std::string("own") : "shared from LIV " + std::to_string(owner + 1);
      };
      const auto& gene = g.livs[liv.index];
      genome::Genome one;
      one.livs = {gene};
      std::printf("  %-4d %-7s %-12s %-17s %-22s %-22s %12lld %14lld\n", liv.index + 1, genome::to_text(one).c_str(),
                  liv.class_name.c_str(), block_of[static_cast<size_t>(liv.index)].c_str(), sharing(liv.featurizer_owner).c_str(),
                  sharing(liv.feature_group_owner).c_str(), static_cast<long long>(liv.parameters),
                  static_cast<long long>(liv.cache_bytes));
    }
    std::printf("  total: %lld parameters (embedding %lld, tied with the output head), cache %lld bytes per sequence\n",
                static_cast<long long>(s.parameters), static_cast<long long>(c.model.vocab_size * c.model.width),
                static_cast<long long>(s.cache_bytes));
    std::printf("operator and featurizer genomes of the classes used:\n");
    for (int cls : genome::classes_in(g))
      std::printf("  %-12s %s%s\n", genome::liv_class(cls).short_name, genome::describe_operator(genome::operator_for(g, cls)).c_str(),
                  g.operators.count(cls) ? "" : " (preset)");
    return 0;
  });
}

int run_genome_sample(const GenomeOptions& o) {
  return guarded("sample", [&] {
    const auto c = settings_for(o, 0);
    genome::Rng rng(o.seed);
    for (int i = 0; i < o.count; ++i) std::printf("%s\n", genome::to_text(genome::sample_genome(c.genome, rng)).c_str());
    return 0;
  });
}

int run_genome_mutate(const GenomeOptions& o) {
  return guarded("mutate", [&] {
    const auto parsed = genome::parse_genome(o.genome);
    const auto c = settings_for(o, static_cast<int>(parsed.livs.size()));
    auto g = valid_genome(o.genome, c);
    genome::Rng rng(o.seed);
    genome::mutate(g, c.genome, o.rate, rng);
    const int repaired = genome::repair(g, c.genome, rng);
    std::printf("%s\n", genome::to_text(g).c_str());
    if (repaired > 0) std::fprintf(stderr, "(repair re-sampled %d position%s)\n", repaired, repaired == 1 ? "" : "s");
    return 0;
  });
}

void add_genome_commands(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<GenomeOptions>();
  auto* genome_cmd = star.add_subcommand("genome", "Describe, sample and mutate genomes");
  genome_cmd->require_subcommand(1);
  auto* describe = genome_cmd->add_subcommand("describe", "Per-LIV classes, sharing, parameters and cache of a genome");
  describe->add_option("genome", o->genome, "Genome text, e.g. 21211-31112-21221-32112")->required();
  describe->add_option("--config", o->config_path, "Take sizes from this run configuration");
  describe->add_option("--seq-len", o->seq_len, "Sequence length for the cache size (1 to 2^31)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 31));
  auto* sample = genome_cmd->add_subcommand("sample", "Print random valid genomes");
  sample->add_option("--config", o->config_path, "Take the search space from this run configuration");
  sample->add_option("-n,--count", o->count, "How many")->check(CLI::PositiveNumber);
  sample->add_option("--seed", o->seed, "Random seed");
  auto* mutate = genome_cmd->add_subcommand("mutate", "Mutate and repair a genome");
  mutate->add_option("genome", o->genome, "Genome text")->required();
  mutate->add_option("--config", o->config_path, "Take the search space from this run configuration");
  mutate->add_option("--rate", o->rate, "Per-position mutation probability")->check(number_in(0.0, 1.0));
  mutate->add_option("--seed", o->seed, "Random seed");
  out.push_back({describe, [o](int*, char***) { return run_genome_describe(*o); }});
  out.push_back({sample, [o](int*, char***) { return run_genome_sample(*o); }});
  out.push_back({mutate, [o](int*, char***) { return run_genome_mutate(*o); }});
}

}  // namespace star::app
