#include "io/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/derived_seed.hpp"
#include "core/objectives.hpp"
#include "core/task_kinds.hpp"
#include "core/task_sizes.hpp"
#include "data/token_shard.hpp"
#include "genome/excerpt.hpp"
#include "genome/genome.hpp"
#include "genome/validity.hpp"
#include "io/config_schema.hpp"
#include "io/toml_section.hpp"

namespace star::io {
namespace {

// Bounds of a key's own value are in the schema (config_schema.cpp); these bound what several
// keys make together, and the file.
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

// Reads every field of `fields` from `section` into `values`, through the schema's table.
template <class S>
void read_fields(const std::vector<Field<S>>& fields, TomlSection& section, S& values, const Config& so_far) {
  for (const auto& f : fields) f.read(section, values, so_far);
}

// Sizes that fit together and shards that open, before any rank trains, without building any
// data: each generator's requirements are core/task_sizes.hpp's, the shards' headers and lengths
// data/token_shard.hpp's. `where` prefixes the message ("file: [task] ").
void check_task(const train::TaskConfig& t, const std::string& where) {
  // Every example is held in memory as int64 inputs and targets (16 bytes a token).
  const int64_t tokens = (t.train_examples + t.test_examples) * t.seq_len;  // < 2^25 x 2^24: no overflow
  if (tokens > kMaxTaskTokens)
    throw ConfigError(where + "(train_examples + test_examples) x seq_len = " + std::to_string(tokens) +
                      " tokens, more than " + std::to_string(kMaxTaskTokens) + " (" +
                      std::to_string(kMaxTaskTokens * 16 >> 30) + " GiB held in memory by every rank)");
  try {
    train::check_task_sizes(t);
    if (t.kind == "shards") {
      train::open_shards(t.train_shards, t.seq_len);
      train::open_shards(t.val_shards, t.seq_len);
    }
  } catch (const std::exception& e) {  // std::invalid_argument, or train::DataError for shards
    throw ConfigError(where + e.what());
  }
}

// [task] with kind: one task, each size defaulting to the MAD baseline of the kind.
train::TaskConfig read_single_task(const toml::table* table, TomlSection& task, const std::string& file,
                                   const Config& so_far) {
  train::TaskConfig t;
  read_fields(task_fields(), task, t, so_far);  // kind first: the sizes default to its baseline
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
std::vector<train::TaskConfig> read_suite(const toml::table& table, TomlSection& task, const std::string& file,
                                          const Config& so_far) {
  if (table.contains("kind")) task.fail("suite", "give either kind (one task) or suite (several), not both");
  TaskSuite members;
  read_fields(task_suite_fields(), task, members, so_far);
  const auto& suite = members.kinds;
  const auto& mad = train::task_kinds();
  if (suite.empty()) task.fail("suite", "list at least one task (MAD kinds: " + joined(mad) + ")");
  for (const auto& kind : suite) {
    if (kind == "shards")
      task.fail("suite", "\"shards\" cannot be in a suite: it lists MAD kinds only (" + joined(mad) + ")");
    if (std::find(mad.begin(), mad.end(), kind) == mad.end())
      task.fail("suite", "unknown task \"" + kind + "\" (MAD kinds: " + joined(mad) + ")");
    if (std::count(suite.begin(), suite.end(), kind) > 1) task.fail("suite", "\"" + kind + "\" is listed twice");
  }
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
    t.seed = train::derived_seed(members.seed, kind);
    TomlSection own(task.table(kind), "task." + kind, file);
    read_fields(suite_task_fields(), own, t, so_far);
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
  if (c.task_suite) c.tasks = read_suite(*table, task, file, c);
  else c.tasks = {read_single_task(table, task, file, c)};
}

// A section of the schema read into `c` through its table: the section's checks follow, then
// finish() (unknown keys).
TomlSection read_section(const toml::table& root, const std::string& name, const std::string& file, Config& c) {
  TomlSection section(section_table(root, name, file), name, file);
  read_fields(config_section(name).fields, section, c, c);
  return section;
}

// [evolution]'s checks across keys and sections, after its table is read.
void check_evolution(const Config& c, const TomlSection& evo) {
  const auto& ev = c.evolution;
  if (ev.objectives.empty()) evo.fail("objectives", "list at least one objective");
  for (const auto& name : ev.objectives) {
    const auto& known = known_objectives();
    if (std::find(known.begin(), known.end(), name) == known.end())
      evo.fail("objectives", "unknown objective \"" + name + "\" (known: " + train::objective_names_text() + ")");
    if (std::count(ev.objectives.begin(), ev.objectives.end(), name) > 1)
      evo.fail("objectives", "\"" + name + "\" is listed twice");
  }
  const size_t objective_count = ev.objectives.size();
  if (ev.algorithm == "firefly" && c.genome.level == genome::SearchLevel::full)
    evo.fail("algorithm", "firefly moves backbone positions only; use nsga2 or ga with [genome] level = \"full\"");
  if (ev.algorithm == "firefly" && (c.genome.max_paths > 1 || c.genome.routing))
    evo.fail("algorithm", "firefly moves the paper's five positions per LIV only; use nsga2 or ga with [genome] "
                          "max_paths > 1 or routing");
  if (ev.mode == "steady_state" && ev.algorithm != "nsga2")
    evo.fail("mode", "steady_state runs NSGA-II's survival: it needs algorithm = \"nsga2\", not \"" + ev.algorithm +
                         "\"");
  if (ev.mode == "steady_state" && static_cast<int64_t>(ev.population) * ev.generations > (1 << 30))
    evo.fail("mode", "steady_state hands out population x generations candidates: at most 2^30");
  if (ev.weights.size() != objective_count)
    evo.fail("weights", std::to_string(ev.weights.size()) + " weights for " + std::to_string(objective_count) +
                            " objectives (one per objective, in the order of objectives)");
  if (std::count(ev.weights.begin(), ev.weights.end(), 0.0) == static_cast<long>(objective_count))
    evo.fail("weights", "at least one weight must be positive");
  if (!ev.reference_point.empty() && ev.reference_point.size() != objective_count)
    evo.fail("reference_point", std::to_string(ev.reference_point.size()) + " values for " +
                                    std::to_string(objective_count) + " objectives (one per objective)");
  for (const auto& text : ev.initial_genomes) {
    try {
      auto g = genome::parse_genome(text);
      auto problems = genome::violations(g, c.genome);
      if (!problems.empty()) evo.fail("initial_genomes", "genome \"" + excerpt(text) + "\": " + problems.front());
    } catch (const genome::GenomeError& e) {
      evo.fail("initial_genomes", e.what());
    }
  }
  if (static_cast<int>(ev.initial_genomes.size()) > ev.population)
    evo.fail("initial_genomes", "more initial genomes than the population size");
  if (c.run.device == "cpu")
    if (const auto problem = inference_device_problem(c, false); !problem.empty()) evo.fail("objectives", problem);
}

}  // namespace

const std::vector<std::string>& known_objectives() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& objective : train::objectives()) out.push_back(objective.name);
    return out;
  }();
  return names;
}

const std::vector<std::string>& known_algorithms() {
  static const std::vector<std::string> names = {"nsga2", "ga", "firefly"};
  return names;
}

bool measures_inference(const Config& c) {
  const auto& ev = c.evolution;
  for (const auto& name : ev.objectives)
    if (const auto* objective = train::find_objective(name); objective && objective->measured_inference) return true;
  return ev.max_prefill_ms > 0 || ev.max_decode_ms > 0 || ev.max_inference_bytes > 0;
}

std::string inference_device_problem(const Config& c, bool device_is_gpu) {
  if (!measures_inference(c) || !c.metrics.inference_requires_gpu || device_is_gpu) return "";
  return "the measured inference objectives and budgets are timed on a GPU ([metrics] inference_requires_gpu = true), "
         "and this run has none; set inference_requires_gpu = false to time them on the CPU";
}

std::string token_budget_problem(const Config& c) {
  for (const auto& t : c.tasks)
    if (c.train.token_budget < c.train.batch_size * t.seq_len)
      return std::to_string(c.train.token_budget) + " tokens is less than one batch (batch_size " +
             std::to_string(c.train.batch_size) + " x seq_len " + std::to_string(t.seq_len) +
             (c.task_suite ? " of " + t.kind : "") + ")";
  return "";
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
  std::vector<std::string> sections;  // in the order of the reference: [task] after [model]
  for (const auto& section : config_sections()) {
    sections.push_back(section.name);
    if (task_follows(section)) sections.push_back("task");
  }
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

  TomlSection run = read_section(root, "run", file, c);
  if (const auto problem = run_name_problem(c.run.name); !problem.empty()) run.fail("name", problem);
  run.finish();

  TomlSection gen = read_section(root, "genome", file, c);
  const auto& classes = c.genome.classes;
  for (size_t i = 0; i < classes.size(); ++i)
    if (std::count(classes.begin(), classes.begin() + static_cast<std::ptrdiff_t>(i), classes[i]) > 0)
      gen.fail("classes", "class " + std::to_string(classes[i]) + " is listed twice");
  try {
    genome::check_space(c.genome);
  } catch (const std::exception& e) {
    gen.fail("classes", e.what());
  }
  gen.finish();

  TomlSection model = read_section(root, "model", file, c);
  if (c.model.width % c.model.heads != 0 || (c.model.width / c.model.heads) % 2 != 0)
    model.fail("heads", "width " + std::to_string(c.model.width) + " must divide into " +
                            std::to_string(c.model.heads) + " heads of an even width (rotary embedding)");
  model.finish();

  read_tasks(section_table(root, "task", file), file, c);
  c.model.vocab_size = c.task().vocab_size;

  TomlSection tr = read_section(root, "train", file, c);
  if (const auto problem = token_budget_problem(c); !problem.empty()) tr.fail("token_budget", problem);
  tr.finish();

  read_section(root, "metrics", file, c).finish();

  TomlSection evo = read_section(root, "evolution", file, c);
  check_evolution(c, evo);
  evo.finish();

  read_section(root, "dist", file, c).finish();
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
