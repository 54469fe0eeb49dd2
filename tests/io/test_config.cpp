// Configuration parsing: defaults, every input file, and errors that name file, line and key.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/config.hpp"
#include "data/token_shard.hpp"

#include "../support/scratch_dir.hpp"

namespace {

using star::io::ConfigError;
using star::io::parse_config;

std::string error_of(const std::string& text) {
  try {
    parse_config(text, "test.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, EmptyTextGivesDefaults) {
  auto c = parse_config("", "test.toml");
  EXPECT_EQ(c.run.name, "run");
  EXPECT_EQ(c.run.directory, "runs/run");
  // The STAR paper's evolution settings.
  EXPECT_EQ(c.evolution.population, 16);
  EXPECT_EQ(c.evolution.generations, 18);
  EXPECT_EQ(c.evolution.crossover_points, 2);
  EXPECT_EQ(c.evolution.mutation_rate, 0.1);
  EXPECT_EQ(c.train.learning_rate, 8e-4);
  EXPECT_EQ(c.model.vocab_size, c.task().vocab_size);
  EXPECT_EQ(c.model.embedding_init_std, 0.02);
}

TEST(Config, ReadsEverySection) {
  auto c = parse_config(R"(
[run]
name = "x"
seed = 7
[genome]
depth = 6
classes = [1, 3]
max_group = 2
[model]
width = 48
heads = 3
kernels = "torch"
embedding_init_std = 0.2
[task]
seq_len = 40
[train]
token_budget = 100000
batch_size = 8
precision = "bf16"
[evolution]
population = 12
objectives = ["quality", "cache"]
initial_genomes = ["11111-11111-11111-11111-11111-11111"]
[dist]
ranks_per_group = 2
)",
                        "test.toml");
  EXPECT_EQ(c.run.seed, 7u);
  EXPECT_EQ(c.genome.depth, 6);
  EXPECT_EQ(c.genome.classes, (std::vector<int>{1, 3}));
  EXPECT_EQ(c.model.width, 48);
  EXPECT_EQ(c.model.kernels, star::model::KernelBackend::torch);
  EXPECT_EQ(c.model.embedding_init_std, 0.2);
  EXPECT_EQ(c.task().seq_len, 40);
  EXPECT_EQ(c.train.precision, "bf16");
  EXPECT_EQ(c.evolution.objectives, (std::vector<std::string>{"quality", "cache"}));
  EXPECT_EQ(c.dist.ranks_per_group, 2);
}

TEST(Config, ErrorsNameFileLineSectionAndKey) {
  auto e = error_of("[train]\n\nbatch_size = -3\n");
  EXPECT_NE(e.find("test.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("[train] batch_size"), std::string::npos) << e;
  EXPECT_NE(e.find("outside"), std::string::npos) << e;

  e = error_of("[train]\nbatch_sise = 3\n");
  EXPECT_NE(e.find("test.toml:2"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;

  e = error_of("[model]\nwidth = \"wide\"\n");
  EXPECT_NE(e.find("expected an integer, got \"wide\""), std::string::npos) << e;

  e = error_of("[trian]\n");
  EXPECT_NE(e.find("unknown section [trian]"), std::string::npos) << e;

  e = error_of("[run\nname = 1\n");
  EXPECT_NE(e.find("test.toml:1"), std::string::npos) << e;

  e = error_of("[evolution]\nobjectives = [\"quality\", \"speed\"]\n");
  EXPECT_NE(e.find("unknown objective \"speed\""), std::string::npos) << e;

  e = error_of("[model]\nwidth = 30\nheads = 4\n");
  EXPECT_NE(e.find("[model] heads"), std::string::npos) << e;

  e = error_of("[run]\ndevice = \"tpu\"\n");
  EXPECT_NE(e.find("\"tpu\" is not one of"), std::string::npos) << e;

  e = error_of("[train]\nprecision = \"fp16\"\n");
  EXPECT_NE(e.find("[train] precision"), std::string::npos) << e;
  EXPECT_NE(e.find("\"fp16\" is not one of"), std::string::npos) << e;

  e = error_of("[genome]\nclasses = [1, 35]\n");
  EXPECT_NE(e.find("[genome] classes"), std::string::npos) << e;

  e = error_of("[train]\ntoken_budget = 10\n");
  EXPECT_NE(e.find("less than one batch"), std::string::npos) << e;
}

TEST(Config, EvolutionAlgorithmWeightsBudgetsAndReference) {
  auto c = parse_config("[evolution]\nobjectives = [\"quality\", \"params\", \"cache\"]\n", "test.toml");
  EXPECT_EQ(c.evolution.algorithm, "nsga2");
  EXPECT_EQ(c.evolution.weights, (std::vector<double>{1, 0, 0}));  // the first objective alone
  EXPECT_EQ(c.evolution.elite_count, 1);
  EXPECT_EQ(c.evolution.max_params, 0);
  EXPECT_EQ(c.evolution.max_cache_bytes, 0);
  EXPECT_TRUE(c.evolution.reference_point.empty());
  c = parse_config(R"(
[evolution]
population = 10
algorithm = "firefly"
weights = [1, 1e-5]
elite_count = 3
firefly_beta0 = 0.5
firefly_gamma = 2
firefly_alpha = 0.2
max_params = 20000
max_cache_bytes = 4096
reference_point = [4.0, 30000]
)",
                   "test.toml");
  EXPECT_EQ(c.evolution.algorithm, "firefly");
  EXPECT_EQ(c.evolution.weights, (std::vector<double>{1, 1e-5}));
  EXPECT_EQ(c.evolution.elite_count, 3);
  EXPECT_EQ(c.evolution.firefly_beta0, 0.5);
  EXPECT_EQ(c.evolution.firefly_gamma, 2.0);
  EXPECT_EQ(c.evolution.firefly_alpha, 0.2);
  EXPECT_EQ(c.evolution.max_params, 20000);
  EXPECT_EQ(c.evolution.max_cache_bytes, 4096);
  EXPECT_EQ(c.evolution.reference_point, (std::vector<double>{4.0, 30000}));
}

TEST(Config, BadEvolutionSettingsAreNamed) {
  auto e = error_of("[evolution]\nalgorithm = \"pso\"\n");
  EXPECT_NE(e.find("test.toml:2: [evolution] algorithm: \"pso\" is not one of \"nsga2\", \"ga\", \"firefly\""),
            std::string::npos) << e;
  e = error_of("[evolution]\nmode = \"async\"\n");
  EXPECT_NE(e.find("test.toml:2: [evolution] mode: \"async\" is not one of \"generational\", \"steady_state\""),
            std::string::npos) << e;
  e = error_of("[evolution]\nalgorithm = \"firefly\"\nmode = \"steady_state\"\n");
  EXPECT_NE(e.find("test.toml:3: [evolution] mode: steady_state runs NSGA-II's survival: it needs algorithm = \"nsga2\""),
            std::string::npos) << e;
  e = error_of("[evolution]\n\nweights = [1, 2, 3]\n");
  EXPECT_NE(e.find("test.toml:3: [evolution] weights: 3 weights for 2 objectives"), std::string::npos) << e;
  e = error_of("[evolution]\nweights = [0, 0]\n");
  EXPECT_NE(e.find("at least one weight must be positive"), std::string::npos) << e;
  e = error_of("[evolution]\nweights = [1, -1]\n");
  EXPECT_NE(e.find("[evolution] weights: -1 is outside"), std::string::npos) << e;
  e = error_of("[evolution]\nweights = [1, \"x\"]\n");
  EXPECT_NE(e.find("expected an array of numbers"), std::string::npos) << e;
  e = error_of("[evolution]\npopulation = 8\nelite_count = 8\n");
  EXPECT_NE(e.find("test.toml:3: [evolution] elite_count: 8 is outside 0..7"), std::string::npos) << e;
  e = error_of("[evolution]\nmax_params = -1\n");
  EXPECT_NE(e.find("[evolution] max_params"), std::string::npos) << e;
  e = error_of("[evolution]\nmax_cache_bytes = 1.5\n");
  EXPECT_NE(e.find("[evolution] max_cache_bytes: expected an integer"), std::string::npos) << e;
  e = error_of("[evolution]\nreference_point = [1.0]\n");
  EXPECT_NE(e.find("[evolution] reference_point: 1 values for 2 objectives"), std::string::npos) << e;
  e = error_of("[evolution]\nreference_point = [1.0, 0]\n");
  EXPECT_NE(e.find("[evolution] reference_point: 0 is outside"), std::string::npos) << e;
  e = error_of("[evolution]\nfirefly_beta0 = 2\n");
  EXPECT_NE(e.find("[evolution] firefly_beta0: 2 is outside 0..1"), std::string::npos) << e;
}

// [train] hurdles: pairs of a fraction inside (0, 1), increasing, and a percentile in 0..100.
TEST(Config, HurdlesAreReadAndBadOnesNamed) {
  const auto config = parse_config("[train]\nhurdles = [[0.25, 50], [0.5, 34]]\n", "test.toml");
  ASSERT_EQ(config.train.hurdles.size(), 2u);
  EXPECT_EQ(config.train.hurdles[1].fraction, 0.5);
  EXPECT_EQ(config.train.hurdles[1].percentile, 34.0);
  EXPECT_TRUE(parse_config("[train]\nhurdles = []\n", "test.toml").train.hurdles.empty());
  auto e = error_of("[train]\nhurdles = [[0.5, 50], [0.25, 50]]\n");
  EXPECT_NE(e.find("test.toml:2: [train] hurdles: fraction 0.25 follows 0.5: hurdles go in increasing order"),
            std::string::npos) << e;
  e = error_of("[train]\nhurdles = [[1, 50]]\n");
  EXPECT_NE(e.find("[train] hurdles: fraction 1 is not inside (0, 1)"), std::string::npos) << e;
  e = error_of("[train]\nhurdles = [[1.5, 50]]\n");
  EXPECT_NE(e.find("[train] hurdles: 1.5 is outside 0..1"), std::string::npos) << e;
  e = error_of("[train]\nhurdles = [[0.5, 101]]\n");
  EXPECT_NE(e.find("[train] hurdles: 101 is outside 0..100"), std::string::npos) << e;
  e = error_of("[train]\nhurdles = [0.5, 50]\n");
  EXPECT_NE(e.find("[train] hurdles: expected a [number, number] pair"), std::string::npos) << e;
}

TEST(Config, BadInitialGenomesAreNamed) {
  auto e = error_of("[evolution]\ninitial_genomes = [\"11111-1x111-11111-11111\"]\n");
  EXPECT_NE(e.find("[evolution] initial_genomes"), std::string::npos) << e;
  EXPECT_NE(e.find("1x111"), std::string::npos) << e;
  e = error_of("[evolution]\ninitial_genomes = [\"11111\"]\n");  // depth 1, space depth 4
  EXPECT_NE(e.find("[evolution] initial_genomes"), std::string::npos) << e;
}

TEST(Config, MissingFileIsAClearError) {
  try {
    star::io::load_config("/nonexistent/x.toml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.toml"), std::string::npos);
  }
}

// The byte shards the presets read (data/bytes/, relative to where star runs), made in a scratch
// folder that becomes the working directory while the configurations load: one shard each for
// training and validation, long enough for a window of 4096 + 1 tokens.
class InputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("STAR_SOURCE_DIR");
    ASSERT_NE(root, nullptr);
    inputs_ = std::filesystem::path(root) / "inputs";
    home_ = std::filesystem::current_path();
    scratch_ = star::test::fresh_dir("inputs");
    std::vector<uint16_t> bytes(5000);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint16_t>((i * 7) % 256);
    for (const char* folder : {"data/bytes", "data/lm"}) {  // the presets' and the LM search's
      std::filesystem::create_directories(scratch_ / folder);
      star::train::write_shard((scratch_ / folder / "train_000000.bin").string(), bytes);
      star::train::write_shard((scratch_ / folder / "val_000000.bin").string(), bytes);
    }
    std::filesystem::current_path(scratch_);
  }
  void TearDown() override {
    std::filesystem::current_path(home_);
    star::test::remove_tree(scratch_);
  }
  star::io::Config load(const std::string& name) { return star::io::load_config((inputs_ / name).string()); }

  std::filesystem::path inputs_, home_, scratch_;
};

// Every ready configuration in inputs/ must load (LAMMPS' rule: every example input runs).
TEST_F(InputFiles, EveryInputFileLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(inputs_)) {
    if (entry.path().extension() != ".toml") continue;
    EXPECT_NO_THROW(star::io::load_config(entry.path().string())) << entry.path();
    ++count;
  }
  EXPECT_GE(count, 4);
}

std::string repeat(const std::string& motif, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += (text.empty() ? "" : "-") + motif;
  return text;
}

// The presets: 24 LIVs at width 768, 12 heads, SwiGLU 8/3, on byte shards of 4096 tokens, each
// seeding its search with the architecture it is named after.
TEST_F(InputFiles, PresetsSeedTheArchitectureTheyName) {
  const std::vector<std::pair<std::string, std::string>> presets = {
      {"transformerpp.toml", repeat("31111-11111", 12)},                                     // SA-1, SwiGLU
      {"striped_mamba.toml", repeat("61111-11111-61111-11111-61111-11111-31111-11111", 3)},  // Rec-1 x 3, SA-1
      {"lfm2.toml", repeat("21111-11111-21111-11111-51111-11111", 4)},                      // GConv-1 x 2, SA-3
  };
  for (const auto& [file, genome] : presets) {
    const auto c = load(file);
    EXPECT_EQ(c.genome.depth, 24) << file;
    EXPECT_EQ(c.model.width, 768) << file;
    EXPECT_EQ(c.model.heads, 12) << file;
    EXPECT_EQ(static_cast<int64_t>(c.model.mlp_ratio * 768 + 0.5), 2048) << file;
    EXPECT_EQ(c.task().kind, "shards") << file;
    EXPECT_EQ(c.model.vocab_size, 256) << file;
    EXPECT_EQ(c.task().seq_len, 4096) << file;
    EXPECT_EQ(c.evolution.initial_genomes, std::vector<std::string>{genome}) << file;
    // The comments give the genome for `star train --genome`.
    EXPECT_NE(c.text.find(genome), c.text.rfind(genome)) << file << ": the genome appears only once";
  }
}

// The searches sized for one GPU: 8 LIVs at width 256 over every base class, on bytes at length
// 1024, population 16, seeded with Transformer++ and two hybrids; quality with cache, or with
// parameters.
TEST_F(InputFiles, LanguageModelSearchesSeedTheBaselines) {
  for (const auto& [file, second] : {std::pair<std::string, std::string>{"star_lm.toml", "cache"},
                                     {"star_lm_params.toml", "params"}}) {
    const auto c = load(file);
    EXPECT_EQ(c.genome.depth, 8) << file;
    EXPECT_EQ(c.genome.classes.size(), 11u) << file;
    EXPECT_EQ(c.model.width, 256) << file;
    EXPECT_EQ(c.task().kind, "shards") << file;
    EXPECT_EQ(c.task().seq_len, 1024) << file;
    EXPECT_EQ(c.evolution.population, 16) << file;
    EXPECT_EQ(c.evolution.objectives, (std::vector<std::string>{"quality", second})) << file;
    ASSERT_EQ(c.evolution.initial_genomes.size(), 3u) << file;
    EXPECT_EQ(c.evolution.initial_genomes[0], repeat("31111-11111", 4)) << file;                        // Transformer++
    EXPECT_EQ(c.evolution.initial_genomes[1], "61111-11111-61111-11111-61111-11111-31111-11111") << file;  // striped
    // The comments' retrain command names the same baselines.
    EXPECT_NE(c.text.find("transformer++=" + repeat("31111-11111", 4)), std::string::npos) << file;
  }
}

TEST(Config, TaskKindsTakeTheirMadBaselineAndSizesAreChecked) {
  auto c = parse_config("[task]\nkind = \"selective_copying\"\n", "test.toml");
  EXPECT_EQ(c.task().seq_len, 256);
  EXPECT_EQ(c.task().tokens_to_copy, 16);
  EXPECT_EQ(c.model.vocab_size, 16);
  c = parse_config("[task]\nkind = \"memorization\"\nseq_len = 64\n", "test.toml");
  EXPECT_EQ(c.task().vocab_size, 256);
  EXPECT_EQ(c.task().seq_len, 64);
  const auto e = error_of("[task]\nkind = \"selective_copying\"\nseq_len = 32\n");
  EXPECT_NE(e.find("[task] selective_copying: seq_len must exceed 2 x tokens_to_copy + 1"), std::string::npos) << e;
  EXPECT_NE(error_of("[task]\nkind = \"compression_of_everything\"\n").find("memorization"), std::string::npos)
      << "an unknown kind lists the known ones";
  c = parse_config("[task]\nkind = \"compression\"\n", "test.toml");
  EXPECT_EQ(c.task().seq_len, 62);
  EXPECT_EQ(c.task().vocab_size, 16);
  const auto odd = error_of("[task]\nkind = \"compression\"\nseq_len = 33\n");
  EXPECT_NE(odd.find("[task] compression: seq_len must be even"), std::string::npos) << odd;
}

}  // namespace

namespace {

// [task] suite: the listed MAD tasks, each from its MAD baseline; [task] seed reaches every task,
// each with a data seed of its own; the first task's vocabulary is the model's.
TEST(Config, SuiteListsMadTasksEachFromItsBaseline) {
  auto c = parse_config("[task]\nsuite = [\"selective_copying\", \"memorization\", \"in_context_recall\"]\n", "test.toml");
  EXPECT_TRUE(c.task_suite);
  ASSERT_EQ(c.tasks.size(), 3u);
  EXPECT_EQ(c.tasks[0].kind, "selective_copying");
  EXPECT_EQ(c.tasks[0].seq_len, 256);
  EXPECT_EQ(c.tasks[1].kind, "memorization");
  EXPECT_EQ(c.tasks[1].vocab_size, 256);
  EXPECT_EQ(c.tasks[1].train_examples, 256);
  EXPECT_EQ(c.tasks[2].kind, "in_context_recall");
  EXPECT_EQ(&c.task(), &c.tasks[0]);
  EXPECT_EQ(c.model.vocab_size, 16);
  EXPECT_EQ(star::io::task_model(c, c.tasks[1]).vocab_size, 256);
  EXPECT_EQ(star::io::task_model(c, c.tasks[1]).width, c.model.width);
  EXPECT_NE(c.tasks[0].seed, c.tasks[1].seed);
  EXPECT_NE(c.tasks[1].seed, c.tasks[2].seed);
  // The seeds follow [task] seed.
  auto d = parse_config("[task]\nsuite = [\"selective_copying\", \"memorization\", \"in_context_recall\"]\nseed = 9\n",
                        "test.toml");
  for (size_t i = 0; i < 3; ++i) EXPECT_NE(d.tasks[i].seed, c.tasks[i].seed) << i;

  // A `kind` configuration is one task, as before: its seed is [task] seed itself.
  c = parse_config("[task]\nkind = \"memorization\"\nseed = 9\n", "test.toml");
  EXPECT_FALSE(c.task_suite);
  ASSERT_EQ(c.tasks.size(), 1u);
  EXPECT_EQ(c.task().seed, 9u);
}

TEST(Config, SuiteTableOverridesOnlyItsTask) {
  auto c = parse_config(R"([task]
suite = ["in_context_recall", "memorization"]
[task.memorization]
train_examples = 512
seq_len = 16
seed = 77
[task.in_context_recall]
vocab_size = 32
)",
                        "test.toml");
  ASSERT_EQ(c.tasks.size(), 2u);
  EXPECT_EQ(c.tasks[0].vocab_size, 32);
  EXPECT_EQ(c.tasks[0].seq_len, 128);
  EXPECT_EQ(c.tasks[0].train_examples, 12800);
  EXPECT_EQ(c.tasks[1].vocab_size, 256);
  EXPECT_EQ(c.tasks[1].seq_len, 16);
  EXPECT_EQ(c.tasks[1].train_examples, 512);
  EXPECT_EQ(c.tasks[1].seed, 77u);  // set in its table: used as it is
  EXPECT_EQ(c.model.vocab_size, 32);
}

TEST(Config, BadSuitesAreNamed) {
  auto e = error_of("[task]\nkind = \"memorization\"\nsuite = [\"memorization\"]\n");
  EXPECT_NE(e.find("test.toml:3: [task] suite: give either kind (one task) or suite (several), not both"),
            std::string::npos) << e;
  e = error_of("[task]\nsuite = [\"in_context_recall\", \"recall\"]\n");
  EXPECT_NE(e.find("test.toml:2: [task] suite: unknown task \"recall\" (MAD kinds: in_context_recall,"),
            std::string::npos) << e;
  e = error_of("[task]\nsuite = [\"memorization\", \"compression\", \"memorization\"]\n");
  EXPECT_NE(e.find("[task] suite: \"memorization\" is listed twice"), std::string::npos) << e;
  e = error_of("[task]\nsuite = []\n");
  EXPECT_NE(e.find("[task] suite: list at least one task"), std::string::npos) << e;
  e = error_of("[task]\nsuite = [\"in_context_recall\", \"shards\"]\n");
  EXPECT_NE(e.find("[task] suite: \"shards\" cannot be in a suite"), std::string::npos) << e;
  e = error_of("[task]\nsuite = [1]\n");
  EXPECT_NE(e.find("[task] suite: expected an array of strings"), std::string::npos) << e;
  // Sizes in [task] itself would reach tasks of other vocabularies: refused.
  e = error_of("[task]\nsuite = [\"memorization\", \"compression\"]\nvocab_size = 64\n");
  EXPECT_NE(e.find("test.toml:3: [task] vocab_size: with suite, [task] takes only suite and seed"), std::string::npos)
      << e;
  EXPECT_NE(e.find("[task.memorization] vocab_size"), std::string::npos) << e;
  // A table for a task not in the suite, or without a suite.
  e = error_of("[task]\nsuite = [\"memorization\"]\n[task.compression]\nseq_len = 40\n");
  EXPECT_NE(e.find("[task] compression: [task.compression] is for a task not in suite (memorization)"),
            std::string::npos) << e;
  e = error_of("[task]\nkind = \"memorization\"\n[task.memorization]\nseq_len = 40\n");
  EXPECT_NE(e.find("[task] memorization: a per-task table [task.memorization] needs [task] suite"), std::string::npos)
      << e;
  // A task's table is checked like [task]: ranges, unknown keys, sizes that fit together.
  e = error_of("[task]\nsuite = [\"memorization\"]\n[task.memorization]\nseq_len = 1\n");
  EXPECT_NE(e.find("test.toml:4: [task.memorization] seq_len: 1 is outside 2.."), std::string::npos) << e;
  e = error_of("[task]\nsuite = [\"memorization\"]\n[task.memorization]\ntrain_shards = \"x\"\n");
  EXPECT_NE(e.find("[task.memorization] train_shards: unknown key"), std::string::npos) << e;
  e = error_of("[task]\nsuite = [\"selective_copying\"]\n[task.selective_copying]\nseq_len = 32\n");
  EXPECT_NE(e.find("test.toml: [task.selective_copying] selective_copying: seq_len must exceed 2 x tokens_to_copy + 1"),
            std::string::npos) << e;
  // Every task must fit a batch.
  e = error_of("[task]\nsuite = [\"memorization\", \"selective_copying\"]\n[train]\nbatch_size = 4\ntoken_budget = 512\n");
  EXPECT_NE(e.find("[train] token_budget: 512 tokens is less than one batch (batch_size 4 x seq_len 256 of "
                   "selective_copying)"),
            std::string::npos) << e;
}

// star train and star eval train one model: a suite's member is named, a `kind` task needs no name.
TEST(Config, PickTaskNamesTheSuite) {
  const auto suite = parse_config("[task]\nsuite = [\"memorization\", \"compression\"]\n", "suite.toml");
  auto pick_error = [&](const std::string& kind) {
    try {
      star::io::pick_task(suite, kind);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(star::io::pick_task(suite, "compression").kind, "compression");
  auto e = pick_error("");
  EXPECT_NE(e.find("suite.toml: [task] suite trains on several tasks (memorization, compression): pick one with "
                   "--task <kind>"),
            std::string::npos) << e;
  e = pick_error("in_context_recall");
  EXPECT_NE(e.find("--task in_context_recall is not in [task] suite (memorization, compression)"), std::string::npos)
      << e;
  const auto one = parse_config("[task]\nkind = \"memorization\"\n", "one.toml");
  EXPECT_EQ(star::io::pick_task(one, "").kind, "memorization");
  EXPECT_EQ(star::io::pick_task(one, "memorization").kind, "memorization");
  EXPECT_THROW(star::io::pick_task(one, "compression"), ConfigError);
}

// Every size has a bound that makes physical sense; names and class lists are checked.
TEST(Config, BoundsNamesAndDuplicates) {
  auto e = error_of("[metrics]\ncache_seq_len = 4611686018427387904\n");
  EXPECT_NE(e.find("[metrics] cache_seq_len: 4611686018427387904 is outside 0..2147483648"), std::string::npos) << e;
  EXPECT_EQ(parse_config("[metrics]\ncache_seq_len = 2147483648\n", "t.toml").metrics.cache_seq_len, int64_t{1} << 31);
  e = error_of("[train]\ntoken_budget = 9223372036854775807\n");
  EXPECT_NE(e.find("outside 1..1000000000000000"), std::string::npos) << e;
  e = error_of("[task]\ntrain_examples = 9223372036854775807\n");
  EXPECT_NE(e.find("[task] train_examples"), std::string::npos) << e;
  e = error_of("[task]\ntrain_examples = 16777216\nseq_len = 1024\n");
  EXPECT_NE(e.find("(train_examples + test_examples) x seq_len = 17181179904 tokens, more than 2147483648"),
            std::string::npos) << e;
  for (const auto& name : std::vector<std::string>{"..", ".", "a/b", "sp ace", "", std::string(101, 'a'), "\u00e9t\u00e9"}) {
    e = error_of("[run]\nname = \"" + name + "\"\n");
    EXPECT_NE(e.find("[run] name"), std::string::npos) << name << ": " << e;
  }
  EXPECT_EQ(parse_config("[run]\nname = \"a-Z_0.9\"\n", "t.toml").run.directory, "runs/a-Z_0.9");
  EXPECT_EQ(parse_config("[run]\nname = \"" + std::string(100, 'n') + "\"\n", "t.toml").run.name.size(), 100u);
  e = error_of("[genome]\nclasses = [1, 1]\n");
  EXPECT_NE(e.find("class 1 is listed twice"), std::string::npos) << e;
  // Input quoted in a message: at most 80 characters of it.
  e = error_of("[run]\ndevice = \"" + std::string(100000, 'x') + "\"\n");
  EXPECT_LT(e.size(), 300u) << e.substr(0, 300);
  EXPECT_NE(e.find("(100000 characters)"), std::string::npos) << e.substr(0, 300);
}

// A configuration is a regular file with at least one section: a directory, /dev/null, a FIFO or
// a file of comments only is refused, never read as "all defaults".
TEST(Config, OnlyRegularFilesWithSettings) {
  const auto dir = star::test::fresh_dir("config_files");
  auto load_error = [](const std::string& path) {
    try {
      star::io::load_config(path);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(load_error(dir.string()).find("not a regular file"), std::string::npos);
  EXPECT_NE(load_error("/dev/null").find("not a regular file"), std::string::npos);
  const auto fifo = (dir / "fifo.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(load_error(fifo).find("not a regular file"), std::string::npos);  // and returns: no wait
  const auto comments = (dir / "comments.toml").string();
  std::ofstream(comments) << "# nothing but a comment\n\n";
  EXPECT_NE(load_error(comments).find("no settings"), std::string::npos) << load_error(comments);
  const auto one = (dir / "one.toml").string();
  std::ofstream(one) << "[run]\n";
  EXPECT_EQ(load_error(one), "");
  star::test::remove_tree(dir);
}

}  // namespace
