#include "io/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

#include "genome/excerpt.hpp"
#include "genome/genome.hpp"
#include "genome/validity.hpp"
#include "io/toml_section.hpp"
#include "train/derived_seed.hpp"
#include "train/tasks.hpp"

namespace star::io {
namespace {

constexpr int64_t kBig = std::numeric_limits<int64_t>::max();
// Bounds that make physical sense (and keep every product of sizes inside 64 bits): examples a
// task makes in memory, tokens one genome trains on, a cache's sequence length.
constexpr int64_t kMaxExamples = int64_t{1} << 24;
constexpr int64_t kMaxTokenBudget = 1'000'000'000'000'000;  // 1e15
constexpr int64_t kMaxCacheSeqLen = int64_t{1} << 31;
constexpr size_t kMaxRunName = 100;
constexpr int64_t kMaxConfigBytes = 1 << 20;
constexpr int64_t kMaxTaskTokens = int64_t{1} << 31;  // a task's examples, all of them

// "" when `name` may name a run directory under runs/: [A-Za-z0-9._-], at most 100 characters,
// never "." or "..", else what is wrong with it.
std::string run_name_problem(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return "must be a name, not \"" + name + "\"";
  if (name.size() > kMaxRunName)
    return "has " + std::to_string(name.size()) + " characters, at most " + std::to_string(kMaxRunName) + " allowed";
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-')
      return "\"" + excerpt(name) + "\" may hold only letters, digits, '.', '_' and '-'";
  return "";
}

const toml::table* section_table(const toml::table& root, const std::string& name, const std::string& file) {
  const toml::node* node = root.get(name);
  if (!node) return nullptr;
  if (!node->is_table())
    throw ConfigError(file + ":" + std::to_string(node->source().begin.line) + ": [" + name + "] must be a table");
  return node->as_table();
}

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// The keys that size a task's data, in [task] (kind) and in a suite's [task.<kind>]; `t` holds
// the defaults.
void read_task_sizes(TomlSection& s, train::TaskConfig& t) {
  t.vocab_size = s.integer("vocab_size", t.vocab_size, 4, 1 << 24);
  t.seq_len = s.integer("seq_len", t.seq_len, 2, 1 << 24);
  t.train_examples = s.integer("train_examples", t.train_examples, 1, kMaxExamples);
  t.test_examples = s.integer("test_examples", t.test_examples, 1, kMaxExamples);
  t.seed = static_cast<uint64_t>(s.integer("seed", static_cast<int64_t>(t.seed), 0, kBig));
  t.noise_vocab_size = s.integer("noise_vocab_size", t.noise_vocab_size, 0, 1 << 24);
  t.frac_noise = s.number("frac_noise", t.frac_noise, 0, 0.99);
  t.k_motif_size = s.integer("k_motif_size", t.k_motif_size, 1, 64);
  t.v_motif_size = s.integer("v_motif_size", t.v_motif_size, 1, 64);
  t.tokens_to_copy = s.integer("tokens_to_copy", t.tokens_to_copy, 1, 1 << 20);
}

// Sizes that fit together: one example of the task, before any rank trains. `where` prefixes
// the message ("file: [task] ").
void check_task(const train::TaskConfig& t, const std::string& where) {
  // Every example is held in memory as int64 inputs and targets (16 bytes a token).
  const int64_t tokens = (t.train_examples + t.test_examples) * t.seq_len;  // < 2^25 x 2^24: no overflow
  if (tokens > kMaxTaskTokens)
    throw ConfigError(where + "(train_examples + test_examples) x seq_len = " + std::to_string(tokens) +
                      " tokens, more than " + std::to_string(kMaxTaskTokens) + " (" +
                      std::to_string(kMaxTaskTokens * 16 >> 30) + " GiB held in memory by every rank)");
  try {
    train::TaskConfig probe = t;
    probe.train_examples = probe.test_examples = 1;
    train::make_task(probe);
  } catch (const std::exception& e) {  // std::invalid_argument, or train::DataError for shards
    throw ConfigError(where + e.what());
  }
}

// [task] with kind: one task, each size defaulting to the MAD baseline of the kind.
train::TaskConfig read_single_task(const toml::table* table, TomlSection& task, const std::string& file) {
  const std::string kind = task.string("kind", train::TaskConfig{}.kind, train::all_task_kinds());
  train::TaskConfig t = train::default_task(kind);
  read_task_sizes(task, t);
  // Shard globs, like the configuration's own path, are relative to where star runs.
  t.train_shards = task.string("train_shards", "");
  t.val_shards = task.string("val_shards", "");
  if (table)
    for (const auto& [key, node] : *table)
      if (node.is_table())
        task.fail(std::string(key.str()), "a per-task table [task." + std::string(key.str()) + "] needs [task] suite");
  task.finish();
  check_task(t, file + ": [task] ");
  return t;
}

// [task] with suite: the listed MAD tasks, each from its MAD baseline with the sizes of its own
// [task.<kind>] table. [task] itself holds only suite and seed: sizes written there would apply
// to tasks of different vocabularies and lengths. Each task's data seed derives from [task] seed
// and its kind (so the tasks differ) unless its table sets seed.
std::vector<train::TaskConfig> read_suite(const toml::table& table, TomlSection& task, const std::string& file) {
  if (table.contains("kind")) task.fail("suite", "give either kind (one task) or suite (several), not both");
  const auto suite = task.strings("suite", {});
  const auto& mad = train::task_kinds();
  if (suite.empty()) task.fail("suite", "list at least one task (MAD kinds: " + joined(mad) + ")");
  for (const auto& kind : suite) {
    if (kind == "shards")
      task.fail("suite", "\"shards\" cannot be in a suite: it lists MAD kinds only (" + joined(mad) + ")");
    if (std::find(mad.begin(), mad.end(), kind) == mad.end())
      task.fail("suite", "unknown task \"" + kind + "\" (MAD kinds: " + joined(mad) + ")");
    if (std::count(suite.begin(), suite.end(), kind) > 1) task.fail("suite", "\"" + kind + "\" is listed twice");
  }
  const int64_t default_seed = static_cast<int64_t>(train::TaskConfig{}.seed);
  const auto seed = static_cast<uint64_t>(task.integer("seed", default_seed, 0, kBig));
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (node.is_table() && std::find(suite.begin(), suite.end(), k) == suite.end())
      task.fail(k, "[task." + k + "] is for a task not in suite (" + joined(suite) + ")");
    if (!node.is_table() && k != "suite" && k != "seed")
      task.fail(k, "with suite, [task] takes only suite and seed: set sizes per task, e.g. [task." + suite.front() +
                       "] " + k + " = ...");
  }
  std::vector<train::TaskConfig> tasks;
  for (const auto& kind : suite) {
    train::TaskConfig t = train::mad_baseline(kind);
    t.seed = train::derived_seed(seed, kind);
    TomlSection own(task.table(kind), "task." + kind, file);
    read_task_sizes(own, t);
    own.finish();
    check_task(t, file + ": [task." + kind + "] ");
    tasks.push_back(t);
  }
  task.finish();
  return tasks;
}

void read_tasks(const toml::table* table, const std::string& file, Config& c) {
  TomlSection task(table, "task", file);
  c.task_suite = table && table->contains("suite");
  if (c.task_suite) c.tasks = read_suite(*table, task, file);
  else c.tasks = {read_single_task(table, task, file)};
}

}  // namespace

const std::vector<std::string>& known_objectives() {
  // quality: held-out loss; params: parameter count; cache: inference cache bytes per sequence.
  static const std::vector<std::string> names = {"quality", "params", "cache"};
  return names;
}

const std::vector<std::string>& known_algorithms() {
  static const std::vector<std::string> names = {"nsga2", "ga", "firefly"};
  return names;
}

Config parse_config(const std::string& text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << file << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    throw ConfigError(out.str());
  }
  const std::vector<std::string> sections = {"run", "genome", "model", "task", "train", "metrics", "evolution", "dist"};
  for (const auto& [key, node] : root) {
    if (std::find(sections.begin(), sections.end(), std::string(key.str())) == sections.end()) {
      std::string list;
      for (const auto& s : sections) list += (list.empty() ? "[" : ", [") + s + "]";
      throw ConfigError(file + ":" + std::to_string(node.source().begin.line) + ": unknown section [" +
                        excerpt(key.str()) + "] (known: " + list + ")");
    }
  }

  Config c;
  c.source = file;
  c.text = text;

  TomlSection run(section_table(root, "run", file), "run", file);
  c.run.name = run.string("name", c.run.name);
  if (const auto problem = run_name_problem(c.run.name); !problem.empty()) run.fail("name", problem);
  c.run.directory = run.string("directory", "runs/" + c.run.name);
  c.run.seed = static_cast<uint64_t>(run.integer("seed", 0, 0, kBig));
  c.run.device = run.string("device", c.run.device, {"auto", "cpu", "cuda"});
  c.run.threads_per_rank = static_cast<int>(run.integer("threads_per_rank", 0, 0, 1024));
  run.finish();

  TomlSection gen(section_table(root, "genome", file), "genome", file);
  c.genome.depth = static_cast<int>(gen.integer("depth", c.genome.depth, 1, 1024));
  std::vector<int64_t> default_classes(c.genome.classes.begin(), c.genome.classes.end());
  auto classes = gen.integers("classes", default_classes, 1, 35);
  for (size_t i = 0; i < classes.size(); ++i)
    if (std::count(classes.begin(), classes.begin() + static_cast<std::ptrdiff_t>(i), classes[i]) > 0)
      gen.fail("classes", "class " + std::to_string(classes[i]) + " is listed twice");
  c.genome.classes.assign(classes.begin(), classes.end());
  c.genome.max_group = static_cast<int>(gen.integer("max_group", c.genome.max_group, 1, 35));
  // Which genome levels evolution changes: the backbone only, or also the classes' operator and
  // featurizer genomes.
  c.genome.level = genome::search_level_from_string(
      gen.string("level", genome::to_string(c.genome.level), {"backbone", "full"}));
  try {
    genome::check_space(c.genome);
  } catch (const std::exception& e) {
    gen.fail("classes", e.what());
  }
  gen.finish();

  TomlSection model(section_table(root, "model", file), "model", file);
  c.model.width = model.integer("width", c.model.width, 1, 1 << 20);
  c.model.heads = model.integer("heads", c.model.heads, 1, 4096);
  if (c.model.width % c.model.heads != 0 || (c.model.width / c.model.heads) % 2 != 0)
    model.fail("heads", "width " + std::to_string(c.model.width) + " must divide into " +
                            std::to_string(c.model.heads) + " heads of an even width (rotary embedding)");
  c.model.conv_taps = model.integer("conv_taps", c.model.conv_taps, 1, 64);
  c.model.mlp_ratio = model.number("mlp_ratio", c.model.mlp_ratio, 0.01, 64);
  c.model.rope_base = model.number("rope_base", c.model.rope_base, 1, 1e9);
  c.model.embedding_init_std = model.number("embedding_init_std", c.model.embedding_init_std, 1e-6, 10);
  c.model.kernels = model::kernel_backend_from_string(model.string("kernels", "kokkos", {"kokkos", "torch"}));
  model.finish();

  read_tasks(section_table(root, "task", file), file, c);
  c.model.vocab_size = c.task().vocab_size;

  TomlSection tr(section_table(root, "train", file), "train", file);
  c.train.token_budget = tr.integer("token_budget", c.train.token_budget, 1, kMaxTokenBudget);
  c.train.batch_size = tr.integer("batch_size", c.train.batch_size, 1, 1 << 24);
  c.train.micro_batch_size = tr.integer("micro_batch_size", c.train.micro_batch_size, 0, 1 << 24);
  c.train.learning_rate = tr.number("learning_rate", c.train.learning_rate, 1e-12, 10);
  c.train.min_lr_ratio = tr.number("min_lr_ratio", c.train.min_lr_ratio, 0, 1);
  c.train.warmup_fraction = tr.number("warmup_fraction", c.train.warmup_fraction, 0, 1);
  c.train.weight_decay = tr.number("weight_decay", c.train.weight_decay, 0, 10);
  c.train.beta1 = tr.number("beta1", c.train.beta1, 0, 0.999999);
  c.train.beta2 = tr.number("beta2", c.train.beta2, 0, 0.999999);
  c.train.grad_clip = tr.number("grad_clip", c.train.grad_clip, 0, 1e9);
  c.train.max_seconds = tr.number("max_seconds", c.train.max_seconds, 0, 1e9);
  c.train.divergence_loss = tr.number("divergence_loss", c.train.divergence_loss, 1e-3, 1e30);
  c.train.precision = tr.string("precision", c.train.precision, {"auto", "bf16", "fp32"});
  for (const auto& t : c.tasks)
    if (c.train.token_budget < c.train.batch_size * t.seq_len)
      tr.fail("token_budget", std::to_string(c.train.token_budget) + " tokens is less than one batch (batch_size " +
                                  std::to_string(c.train.batch_size) + " x seq_len " + std::to_string(t.seq_len) +
                                  (c.task_suite ? " of " + t.kind : "") + ")");
  tr.finish();

  TomlSection metrics(section_table(root, "metrics", file), "metrics", file);
  c.metrics.cache_seq_len = metrics.integer("cache_seq_len", c.metrics.cache_seq_len, 0, kMaxCacheSeqLen);
  c.metrics.cache_bytes_per_value = metrics.integer("cache_bytes_per_value", c.metrics.cache_bytes_per_value, 1, 8);
  metrics.finish();

  TomlSection evo(section_table(root, "evolution", file), "evolution", file);
  c.evolution.population = static_cast<int>(evo.integer("population", c.evolution.population, 2, 1 << 24));
  c.evolution.generations = static_cast<int>(evo.integer("generations", c.evolution.generations, 1, 1 << 24));
  c.evolution.objectives = evo.strings("objectives", c.evolution.objectives);
  if (c.evolution.objectives.empty()) evo.fail("objectives", "list at least one objective");
  for (const auto& name : c.evolution.objectives) {
    const auto& known = known_objectives();
    if (std::find(known.begin(), known.end(), name) == known.end())
      evo.fail("objectives", "unknown objective \"" + name + "\" (known: quality, params, cache)");
    if (std::count(c.evolution.objectives.begin(), c.evolution.objectives.end(), name) > 1)
      evo.fail("objectives", "\"" + name + "\" is listed twice");
  }
  const size_t objective_count = c.evolution.objectives.size();
  c.evolution.algorithm = evo.string("algorithm", c.evolution.algorithm, known_algorithms());
  if (c.evolution.algorithm == "firefly" && c.genome.level == genome::SearchLevel::full)
    evo.fail("algorithm", "firefly moves backbone positions only; use nsga2 or ga with [genome] level = \"full\"");
  std::vector<double> first_alone(objective_count, 0.0);
  first_alone[0] = 1.0;
  c.evolution.mode = evo.string("mode", c.evolution.mode, {"generational", "steady_state"});
  if (c.evolution.mode == "steady_state" && c.evolution.algorithm != "nsga2")
    evo.fail("mode", "steady_state runs NSGA-II's survival: it needs algorithm = \"nsga2\", not \"" +
                         c.evolution.algorithm + "\"");
  if (c.evolution.mode == "steady_state" &&
      static_cast<int64_t>(c.evolution.population) * c.evolution.generations > (1 << 30))
    evo.fail("mode", "steady_state hands out population x generations candidates: at most 2^30");
  c.evolution.weights = evo.numbers("weights", first_alone, 0, 1e300);
  if (c.evolution.weights.size() != objective_count)
    evo.fail("weights", std::to_string(c.evolution.weights.size()) + " weights for " + std::to_string(objective_count) +
                            " objectives (one per objective, in the order of objectives)");
  if (std::count(c.evolution.weights.begin(), c.evolution.weights.end(), 0.0) == static_cast<long>(objective_count))
    evo.fail("weights", "at least one weight must be positive");
  c.evolution.elite_count =
      static_cast<int>(evo.integer("elite_count", c.evolution.elite_count, 0, c.evolution.population - 1));
  c.evolution.firefly_beta0 = evo.number("firefly_beta0", c.evolution.firefly_beta0, 0, 1);
  c.evolution.firefly_gamma = evo.number("firefly_gamma", c.evolution.firefly_gamma, 0, 1e6);
  c.evolution.firefly_alpha = evo.number("firefly_alpha", c.evolution.firefly_alpha, 0, 1);
  c.evolution.max_params = evo.integer("max_params", 0, 0, kBig);
  c.evolution.max_cache_bytes = evo.integer("max_cache_bytes", 0, 0, kBig);
  c.evolution.reference_point = evo.numbers("reference_point", {}, 1e-300, 1e300);
  if (!c.evolution.reference_point.empty() && c.evolution.reference_point.size() != objective_count)
    evo.fail("reference_point", std::to_string(c.evolution.reference_point.size()) + " values for " +
                                    std::to_string(objective_count) + " objectives (one per objective)");
  c.evolution.tournament_size = static_cast<int>(evo.integer("tournament_size", c.evolution.tournament_size, 1, 1 << 20));
  c.evolution.crossover_points = static_cast<int>(
      evo.integer("crossover_points", c.evolution.crossover_points, 1, 5 * static_cast<int64_t>(c.genome.depth) - 1));
  c.evolution.mutation_rate = evo.number("mutation_rate", c.evolution.mutation_rate, 0, 1);
  c.evolution.initial_genomes = evo.strings("initial_genomes", {});
  for (size_t i = 0; i < c.evolution.initial_genomes.size(); ++i) {
    const std::string& text = c.evolution.initial_genomes[i];
    try {
      auto g = genome::parse_genome(text);
      auto problems = genome::violations(g, c.genome);
      if (!problems.empty()) evo.fail("initial_genomes", "genome \"" + excerpt(text) + "\": " + problems.front());
    } catch (const genome::GenomeError& e) {
      evo.fail("initial_genomes", e.what());
    }
  }
  if (static_cast<int>(c.evolution.initial_genomes.size()) > c.evolution.population)
    evo.fail("initial_genomes", "more initial genomes than the population size");
  evo.finish();

  TomlSection dist(section_table(root, "dist", file), "dist", file);
  c.dist.ranks_per_group = static_cast<int>(dist.integer("ranks_per_group", c.dist.ranks_per_group, 1, 1 << 20));
  dist.finish();
  return c;
}

model::ModelConfig task_model(const Config& config, const train::TaskConfig& task) {
  model::ModelConfig m = config.model;
  m.vocab_size = task.vocab_size;
  return m;
}

const train::TaskConfig& pick_task(const Config& config, const std::string& kind) {
  if (kind.empty() && !config.task_suite) return config.task();
  std::vector<std::string> kinds;
  for (const auto& t : config.tasks) {
    if (t.kind == kind) return t;
    kinds.push_back(t.kind);
  }
  if (kind.empty())
    throw ConfigError(config.source + ": [task] suite trains on several tasks (" + joined(kinds) +
                      "): pick one with --task <kind>");
  throw ConfigError(config.source + ": --task " + kind + " is not " +
                    (config.task_suite ? "in [task] suite (" : "the configuration's task (") + joined(kinds) + ")");
}

Config load_config(const std::string& path) {
  // A directory, a device (/dev/null, /dev/zero) or a FIFO is no configuration: never read it
  // as an empty one (a default search) or wait on it.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw ConfigError(path + ": cannot open the configuration file");
  if (!S_ISREG(st.st_mode)) throw ConfigError(path + ": not a regular file (a configuration is a TOML file)");
  if (st.st_size > kMaxConfigBytes)
    throw ConfigError(path + ": " + std::to_string(st.st_size) + " bytes, more than a configuration (at most " +
                      std::to_string(kMaxConfigBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  Config config = parse_config(text.str(), path);
  // A file of comments only is a mistake (a wrong or emptied file), not a request for defaults.
  if (toml::parse(config.text, path).empty())
    throw ConfigError(path + ": no settings (the file has no [section]; start from inputs/quickstart.toml)");
  return config;
}

}  // namespace star::io
