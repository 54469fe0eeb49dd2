// The configuration schema: one table of fields per section. Each field is declared here once,
// with its resume rule; parse_config reads through these tables, resume_differences compares
// the must-match fields and `star check --explain` prints them (config_reference.cpp).
#include "io/config_schema.hpp"

#include <limits>
#include <stdexcept>

#include "io/config_fields.hpp"
#include "core/objectives.hpp"
#include "core/task_kinds.hpp"
#include "genome/blocks.hpp"

namespace star::io {
namespace {

using namespace fields;
constexpr Resume must_match = Resume::must_match, may_change = Resume::may_change;

constexpr int64_t kBig = std::numeric_limits<int64_t>::max();
// Bounds that make physical sense (and keep every product of sizes inside 64 bits): examples a
// task makes in memory, tokens one genome trains on, a cache's sequence length.
constexpr int64_t kMaxExamples = int64_t{1} << 24;
constexpr int64_t kMaxTokenBudget = 1'000'000'000'000'000;  // 1e15
constexpr int64_t kMaxCacheSeqLen = int64_t{1} << 31;

using model::ModelConfig;
using train::MetricSettings;
using train::TaskConfig;
using train::TrainSettings;

std::vector<Field<RunSettings>> run_fields() {
  Field<RunSettings> directory = text("directory", &RunSettings::directory, {}, may_change,
                                      "where the results, journal and lock go (moving a run is allowed)");
  directory.read = [](TomlSection& t, RunSettings& s, const Config&) {
    s.directory = t.string("directory", "runs/" + s.name);  // name is read before it
  };
  return {
      text("name", &RunSettings::name, {}, may_change,
           "the run's name: at most 100 characters of A-Z a-z 0-9 . _ - (never . or ..)"),
      with_default(directory, "\"runs/<name>\""),
      integer("seed", &RunSettings::seed, 0, kBig, must_match, "every random choice of the search derives from it"),
      text("device", &RunSettings::device, {"auto", "cpu", "cuda"}, may_change,
           "where genomes train; auto: a GPU when there is one"),
      integer("threads_per_rank", &RunSettings::threads_per_rank, 0, 1024, may_change,
              "torch CPU threads per rank; 0: the node's cores / its ranks"),
  };
}

std::vector<Field<genome::GenomeSpace>> genome_fields() {
  using genome::GenomeSpace;
  return {
      integer("depth", &GenomeSpace::depth, 1, 1024, must_match, "LIVs per genome"),
      integers("classes", &GenomeSpace::classes, 1, 35, must_match, "the LIV classes searched, each once"),
      integer("max_group", &GenomeSpace::max_group, 1, 35, must_match, "sharing groups are 1..max_group"),
      named("level", &GenomeSpace::level, {"backbone", "full"}, &genome::to_string, &genome::search_level_from_string,
            must_match, "what evolution changes: the backbone, or also the classes' operator and featurizer genomes"),
      integer("max_paths", &GenomeSpace::max_paths, 1, genome::kMaxPaths, must_match,
              "LIVs side by side in one block, mixed by learned scalars or per-token gates; 1: none"),
      boolean("routing", &GenomeSpace::routing, must_match,
              "blocks may be routed: a per-token LTC gate on what they add to the residual stream"),
  };
}

std::vector<Field<ModelConfig>> model_fields() {
  return {
      integer("width", &ModelConfig::width, 1, 1 << 20, must_match, "channels of the residual stream"),
      integer("heads", &ModelConfig::heads, 1, 4096, must_match,
              "attention heads; width must divide into heads of an even width"),
      integer("conv_taps", &ModelConfig::conv_taps, 1, 64, must_match, "taps of the gated short convolution"),
      number("mlp_ratio", &ModelConfig::mlp_ratio, 0.01, 64, must_match, "SwiGLU hidden width / width"),
      number("rope_base", &ModelConfig::rope_base, 1, 1e9, must_match, "base of the rotary embedding's frequencies"),
      number("embedding_init_std", &ModelConfig::embedding_init_std, 1e-6, 10, must_match,
             "standard deviation of the token embedding's initial weights (tied to the head)"),
      named("kernels", &ModelConfig::kernels, {"kokkos", "torch"}, &model::to_string,
            &model::kernel_backend_from_string, must_match,
            "the LIV hot paths, gated units, rotary embedding, norms and loss: Kokkos kernels or torch's reference"),
  };
}

// [task] with kind. kind comes first: the other keys' defaults are the kind's MAD baseline.
std::vector<Field<TaskConfig>> all_task_fields() {
  Field<TaskConfig> kind = text("kind", &TaskConfig::kind, train::all_task_kinds(), must_match,
                                "what every genome is trained and scored on (or suite: several MAD tasks)");
  kind.read = [allowed = train::all_task_kinds()](TomlSection& t, TaskConfig& task, const Config&) {
    task = train::default_task(t.string("kind", task.kind, allowed));
  };
  return {
      kind,
      integer("vocab_size", &TaskConfig::vocab_size, 4, 1 << 24, must_match, "tokens of the task's vocabulary"),
      integer("seq_len", &TaskConfig::seq_len, 2, 1 << 24, must_match, "tokens per sequence"),
      integer("train_examples", &TaskConfig::train_examples, 1, kMaxExamples, must_match, "training sequences"),
      integer("test_examples", &TaskConfig::test_examples, 1, kMaxExamples, must_match,
              "held-out sequences (quality is the loss on them)"),
      integer("seed", &TaskConfig::seed, 0, kBig, must_match, "the data set is a pure function of it and the sizes"),
      integer("noise_vocab_size", &TaskConfig::noise_vocab_size, 0, 1 << 24, must_match,
              "noisy in-context recall, compression: the last ids of the vocabulary are noise"),
      number("frac_noise", &TaskConfig::frac_noise, 0, 0.99, must_match,
             "noisy in-context recall, compression: share of noise"),
      integer("k_motif_size", &TaskConfig::k_motif_size, 1, 64, must_match,
              "fuzzy in-context recall: longest key, in tokens"),
      integer("v_motif_size", &TaskConfig::v_motif_size, 1, 64, must_match,
              "fuzzy in-context recall: longest value, in tokens"),
      integer("tokens_to_copy", &TaskConfig::tokens_to_copy, 1, 1 << 20, must_match, "selective copying"),
      text("train_shards", &TaskConfig::train_shards, {}, must_match,
           "shards: glob of the training token shards (llm.c format), relative to where star runs"),
      text("val_shards", &TaskConfig::val_shards, {}, must_match, "shards: glob of the validation token shards"),
  };
}

// The keys of [task] with kind that a suite member's table does not take.
bool kind_only(const std::string& key) { return key == "kind" || key == "train_shards" || key == "val_shards"; }

// [[fraction, percentile], ...]: fractions inside (0, 1) and increasing, percentiles in 0..100.
Field<TrainSettings> hurdles_field() {
  using train::Hurdle;
  const auto text_of = [](const TrainSettings& s) {
    std::string out = "[";
    for (const auto& h : s.hurdles)
      out += (out.size() > 1 ? ", [" : "[") + exact(h.fraction) + ", " + exact(h.percentile) + "]";
    return out + "]";
  };
  return {"hurdles", "array of [fraction, percentile] pairs", "fraction in (0, 1), increasing; percentile 0..100",
          must_match,
          "multi-fidelity: at each fraction of the token budget, a genome that more than that percent of the "
          "run's genomes there rank ahead of (NSGA-II fronts, training loss as quality) stops and ranks behind "
          "those trained to the end; []: none",
          [](TomlSection& t, TrainSettings& s, const Config&) {
            std::vector<std::pair<double, double>> now;
            for (const auto& h : s.hurdles) now.emplace_back(h.fraction, h.percentile);
            const auto pairs = t.number_pairs("hurdles", now, 0, 1, 0, 100);
            s.hurdles.clear();
            for (const auto& [fraction, percent] : pairs) {
              if (fraction <= 0 || fraction >= 1)
                t.fail("hurdles", "fraction " + exact(fraction) + " is not inside (0, 1): a hurdle falls within the "
                                                                   "token budget");
              if (!s.hurdles.empty() && fraction <= s.hurdles.back().fraction)
                t.fail("hurdles", "fraction " + exact(fraction) + " follows " + exact(s.hurdles.back().fraction) +
                                      ": hurdles go in increasing order of the budget");
              s.hurdles.push_back(Hurdle{fraction, percent});
            }
          },
          text_of};
}

std::vector<Field<TrainSettings>> train_fields() {
  return {
      integer("token_budget", &TrainSettings::token_budget, 1, kMaxTokenBudget, must_match,
              "tokens each genome trains on (whole group), rounded down to whole steps"),
      integer("batch_size", &TrainSettings::batch_size, 1, 1 << 24, must_match,
              "sequences per optimizer step (whole group)"),
      integer("micro_batch_size", &TrainSettings::micro_batch_size, 0, 1 << 24, may_change,
              "sequences per forward pass on a rank (gradients accumulate); 0: the rank's whole share; a "
              "training that runs out of memory starts again at half (a group together), down to 1"),
      number("learning_rate", &TrainSettings::learning_rate, 1e-12, 10, must_match, "peak learning rate"),
      number("min_lr_ratio", &TrainSettings::min_lr_ratio, 0, 1, must_match,
             "the cosine schedule decays to this fraction of the peak"),
      number("warmup_fraction", &TrainSettings::warmup_fraction, 0, 1, must_match,
             "share of the steps of linear warmup from 0"),
      number("weight_decay", &TrainSettings::weight_decay, 0, 10, must_match, "AdamW's decoupled weight decay"),
      number("beta1", &TrainSettings::beta1, 0, 0.999999, must_match, "AdamW's first-moment decay"),
      number("beta2", &TrainSettings::beta2, 0, 0.999999, must_match, "AdamW's second-moment decay"),
      number("grad_clip", &TrainSettings::grad_clip, 0, 1e9, must_match, "largest global gradient norm; 0: no clip"),
      number("max_seconds", &TrainSettings::max_seconds, 0, 1e9, may_change,
             "a training still running after this wall time stops as timeout; 0: no limit"),
      number("divergence_loss", &TrainSettings::divergence_loss, 1e-3, 1e30, must_match,
             "a training loss above it (or NaN) stops the genome as diverged"),
      text("precision", &TrainSettings::precision, {"auto", "bf16", "fp32"}, must_match,
           "auto: bf16 autocast on a GPU, fp32 on the CPU"),
      text("cuda_graphs", &TrainSettings::cuda_graphs, {"auto", "off"}, may_change,
           "auto: on a GPU, a one-rank group captures its training step as a CUDA graph and replays it "
           "(the same arithmetic as eager launches); off: eager launches"),
      hurdles_field(),
  };
}

std::vector<Field<MetricSettings>> metrics_fields() {
  return {
      integer("cache_seq_len", &MetricSettings::cache_seq_len, 0, kMaxCacheSeqLen, must_match,
              "sequence length the inference cache objective is measured at; 0: the first task's"),
      integer("cache_bytes_per_value", &MetricSettings::cache_bytes_per_value, 1, 8, must_match,
              "bytes per cached value (2: bf16 inference)"),
      integer("prefill_tokens", &MetricSettings::prefill_tokens, 1, kMaxCacheSeqLen, must_match,
              "prefill_latency: the prompt's tokens"),
      integer("decode_context", &MetricSettings::decode_context, 1, kMaxCacheSeqLen, must_match,
              "decode_latency and inference_memory: tokens in the cache before the timed steps"),
      integer("decode_batch", &MetricSettings::decode_batch, 1, 1 << 20, must_match,
              "sequences prefilled and decoded together when inference is measured"),
      integer("inference_repeats", &MetricSettings::inference_repeats, 1, 1000, must_match,
              "timed repeats of each measurement (the median is kept)"),
      integer("inference_warmup", &MetricSettings::inference_warmup, 0, 1000, must_match,
              "untimed repeats before the timed ones"),
      boolean("inference_requires_gpu", &MetricSettings::inference_requires_gpu, must_match,
              "refuse measured inference objectives or budgets on a run without a GPU"),
  };
}

// "all minimised: quality (held-out loss), params (...), cache (...)", from the objectives' table.
std::string objectives_description() {
  std::string text = "all minimised:";
  for (const auto& o : train::objectives())
    text += std::string(text.back() == ':' ? " " : ", ") + o.name + " (" + o.description + ")";
  return text;
}

std::vector<Field<EvolutionSettings>> evolution_fields() {
  using E = EvolutionSettings;
  Field<E> weights = numbers("weights", &E::weights, 0, 1e300, must_match,
                             "ga and firefly: weight of each objective in the fitness, in the objectives' order");
  weights.read = [](TomlSection& t, E& s, const Config&) {
    std::vector<double> first_alone(s.objectives.size(), 0.0);  // objectives are read before
    if (!first_alone.empty()) first_alone[0] = 1.0;
    s.weights = t.numbers("weights", first_alone, 0, 1e300);
  };
  return {
      integer("population", &E::population, 2, 1 << 24, must_match, "genomes per generation"),
      integer("generations", &E::generations, 1, 1 << 24, may_change, "generations of the search (may grow on resume)"),
      texts("objectives", &E::objectives, must_match, objectives_description()),
      text("algorithm", &E::algorithm, known_algorithms(), must_match, "the evolution algorithm"),
      text("mode", &E::mode, {"generational", "steady_state"}, must_match,
           "steady_state: no generation barrier (nsga2 only)"),
      with_default(weights, "the first objective alone"),
      integer_below("elite_count", &E::elite_count, 0,
                    [](const E& s, const Config&) { return int64_t{s.population} - 1; }, "population - 1", must_match,
                    "ga and firefly: best parents carried over unchanged"),
      number("firefly_beta0", &E::firefly_beta0, 0, 1, must_match, "firefly: attractiveness at distance 0"),
      number("firefly_gamma", &E::firefly_gamma, 0, 1e6, must_match, "firefly: light absorption"),
      number("firefly_alpha", &E::firefly_alpha, 0, 1, must_match,
             "firefly: random step, in units of each position's span"),
      integer("max_params", &E::max_params, 0, kBig, must_match,
              "budget on the parameter count (beyond: infeasible); 0: none"),
      integer("max_cache_bytes", &E::max_cache_bytes, 0, kBig, must_match, "budget on the inference cache; 0: none"),
      number("max_prefill_ms", &E::max_prefill_ms, 0, 1e12, must_match, "budget on the measured prefill latency; 0: none"),
      number("max_decode_ms", &E::max_decode_ms, 0, 1e12, must_match,
             "budget on the measured decode latency per token; 0: none"),
      integer("max_inference_bytes", &E::max_inference_bytes, 0, kBig, must_match,
              "budget on the measured peak memory of decoding; 0: none"),
      with_default(numbers("reference_point", &E::reference_point, 1e-300, 1e300, must_match,
                           "the hypervolume's reference, one value per objective"),
                   "1.1 x the worst of the first generation's feasible genomes"),
      integer("tournament_size", &E::tournament_size, 1, 1 << 20, must_match, "genomes per parent tournament"),
      integer_below("crossover_points", &E::crossover_points, 1,
                    [](const E&, const Config& c) {
                      return genome::genes_per_liv(c.genome) * static_cast<int64_t>(c.genome.depth) - 1;
                    },
                    "5 x [genome] depth - 1 (6 x with max_paths > 1)", must_match, "cut points of the crossover"),
      number("mutation_rate", &E::mutation_rate, 0, 1, must_match, "mutation probability per position"),
      texts("initial_genomes", &E::initial_genomes, must_match, "seeds of the first population (the rest is sampled)"),
  };
}

std::vector<Field<DistSettings>> dist_fields() {
  return {
      integer("ranks_per_group", &DistSettings::ranks_per_group, 1, 1 << 20, may_change,
              "consecutive ranks that train one genome together, data parallel"),
  };
}

}  // namespace

bool task_follows(const Section& section) { return section.name == "model"; }

const std::vector<Section>& config_sections() {
  static const std::vector<Section> sections = {
      section("run", &Config::run, run_fields()),
      section("genome", &Config::genome, genome_fields()),
      section("model", &Config::model, model_fields()),
      section("train", &Config::train, train_fields()),
      section("metrics", &Config::metrics, metrics_fields()),
      section("evolution", &Config::evolution, evolution_fields()),
      section("dist", &Config::dist, dist_fields()),
  };
  return sections;
}

const Section& config_section(const std::string& name) {
  for (const auto& s : config_sections())
    if (s.name == name) return s;
  throw std::out_of_range("no configuration section [" + name + "]");
}

const std::vector<Field<TaskConfig>>& task_fields() {
  static const std::vector<Field<TaskConfig>> fields = all_task_fields();
  return fields;
}

const std::vector<Field<TaskConfig>>& suite_task_fields() {
  static const std::vector<Field<TaskConfig>> sizes = [] {
    std::vector<Field<TaskConfig>> out;
    for (const auto& f : task_fields())
      if (!kind_only(f.key)) out.push_back(f);
    return out;
  }();
  return sizes;
}

const std::vector<Field<TaskSuite>>& task_suite_fields() {
  static const std::vector<Field<TaskSuite>> fields = {
      texts("suite", &TaskSuite::kinds, must_match,
            "instead of kind: MAD tasks, each trained in turn (sizes in [task.<kind>]); quality is their mean"),
      integer("seed", &TaskSuite::seed, 0, kBig, must_match,
              "each member's data seed derives from it and the member's kind"),
  };
  return fields;
}

}  // namespace star::io
