#include "app/genome_command.hpp"

#include <cstdio>

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
    std::printf("  %-4s %-6s %-12s %-22s %-22s %12s %14s\n", "LIV", "gene", "class", "featurizer", "feature groups",
                "params", "cache[B]");
    for (const auto& liv : s.livs) {
      auto sharing = [&](int owner) {
        return owner == liv.index ? std::string("own") : "shared from LIV " + std::to_string(owner + 1);
      };
      const auto& gene = g.livs[liv.index];
      genome::Genome one;
      one.livs = {gene};
      std::printf("  %-4d %-6s %-12s %-22s %-22s %12lld %14lld\n", liv.index + 1, genome::to_text(one).c_str(),
                  liv.class_name.c_str(), sharing(liv.featurizer_owner).c_str(),
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

}  // namespace star::app
