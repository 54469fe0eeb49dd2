// The configuration schema's resume rules, key by key: a configuration with one must-match key
// changed to another valid value is refused by the resume check, which names the key; one with a
// may-change key changed is accepted. A key added to the schema without another value here
// fails these tests (every field already states its rule: it does not compile without one).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/config_schema.hpp"

namespace {

using namespace star;
using Sections = std::map<std::string, std::map<std::string, std::string>>;  // [section] key = TOML value

// A small valid search: every value below must stay valid with any one key of kOther.
const Sections kBase = {
    {"run", {{"name", "\"base\""}, {"seed", "1"}}},
    {"genome", {{"depth", "3"}, {"max_group", "2"}}},
    {"model", {{"width", "16"}, {"heads", "2"}}},
    {"task", {{"seq_len", "16"}, {"train_examples", "64"}, {"test_examples", "16"}, {"noise_vocab_size", "2"}}},
    {"train", {{"token_budget", "5120"}, {"batch_size", "16"}}},
    {"evolution", {{"population", "6"}, {"generations", "3"}}},
};

// Another valid value of every key, by "[section] key" ([task] keys of a `kind` configuration).
const std::map<std::string, std::string> kOther = {
    {"[run] name", "\"other\""},
    {"[run] directory", "\"elsewhere/base\""},
    {"[run] seed", "2"},
    {"[run] device", "\"cpu\""},
    {"[run] threads_per_rank", "2"},
    {"[genome] depth", "4"},
    {"[genome] classes", "[1, 2]"},
    {"[genome] max_group", "3"},
    {"[genome] level", "\"full\""},
    {"[genome] max_paths", "2"},
    {"[genome] routing", "true"},
    {"[model] width", "32"},
    {"[model] heads", "4"},
    {"[model] conv_taps", "4"},
    {"[model] mlp_ratio", "3.0"},
    {"[model] rope_base", "500.0"},
    {"[model] embedding_init_std", "0.2"},
    {"[model] kernels", "\"torch\""},
    {"[task] kind", "\"memorization\""},
    {"[task] vocab_size", "32"},
    {"[task] seq_len", "32"},
    {"[task] train_examples", "128"},
    {"[task] test_examples", "32"},
    {"[task] seed", "5"},
    {"[task] noise_vocab_size", "4"},
    {"[task] frac_noise", "0.2"},
    {"[task] k_motif_size", "2"},
    {"[task] v_motif_size", "2"},
    {"[task] tokens_to_copy", "4"},
    {"[task] train_shards", "\"data/other/train_*.bin\""},
    {"[task] val_shards", "\"data/other/val_*.bin\""},
    {"[train] token_budget", "10240"},
    {"[train] batch_size", "8"},
    {"[train] micro_batch_size", "4"},
    {"[train] learning_rate", "1e-3"},
    {"[train] min_lr_ratio", "0.2"},
    {"[train] warmup_fraction", "0.5"},
    {"[train] weight_decay", "0.5"},
    {"[train] beta1", "0.8"},
    {"[train] beta2", "0.99"},
    {"[train] grad_clip", "0.0"},
    {"[train] max_seconds", "60.0"},
    {"[train] divergence_loss", "100.0"},
    {"[train] precision", "\"fp32\""},
    {"[train] cuda_graphs", "\"off\""},
    {"[train] hurdles", "[[0.25, 50], [0.5, 40]]"},
    {"[metrics] cache_seq_len", "64"},
    {"[metrics] cache_bytes_per_value", "4"},
    {"[metrics] prefill_tokens", "64"},
    {"[metrics] decode_context", "128"},
    {"[metrics] decode_batch", "2"},
    {"[metrics] inference_repeats", "3"},
    {"[metrics] inference_warmup", "1"},
    {"[metrics] inference_requires_gpu", "false"},
    {"[evolution] population", "8"},
    {"[evolution] generations", "5"},
    {"[evolution] objectives", "[\"quality\", \"cache\"]"},
    {"[evolution] algorithm", "\"ga\""},
    {"[evolution] mode", "\"steady_state\""},
    {"[evolution] weights", "[1.0, 1.0]"},
    {"[evolution] elite_count", "2"},
    {"[evolution] firefly_beta0", "0.5"},
    {"[evolution] firefly_gamma", "2.0"},
    {"[evolution] firefly_alpha", "0.2"},
    {"[evolution] max_params", "100000"},
    {"[evolution] max_cache_bytes", "4096"},
    {"[evolution] max_prefill_ms", "5.0"},
    {"[evolution] max_decode_ms", "0.5"},
    {"[evolution] max_inference_bytes", "1000000000"},
    {"[evolution] reference_point", "[2.0, 30000.0]"},
    {"[evolution] tournament_size", "3"},
    {"[evolution] crossover_points", "3"},
    {"[evolution] mutation_rate", "0.2"},
    {"[evolution] initial_genomes", "[\"11111-11111-11111\"]"},
    {"[dist] ranks_per_group", "2"},
};

std::string toml_text(const Sections& sections) {
  std::string text;
  for (const auto& [name, keys] : sections) {
    text += "[" + name + "]\n";
    for (const auto& [key, value] : keys) text += key + " = " + value + "\n";
  }
  return text;
}

io::Config parsed(const Sections& sections) { return io::parse_config(toml_text(sections), "resume.toml"); }

// The resume check's answer for `base` with [section] key set to its other value (kOther under
// `other_name`), after checking that the value did change.
template <class S, class ValuesOf>
std::vector<std::string> differences(Sections base, const std::string& section, const io::Field<S>& field,
                                     const std::string& other_name, ValuesOf values_of) {
  const auto other = kOther.find(other_name);
  if (other == kOther.end()) {
    ADD_FAILURE() << other_name << " has no other value in kOther: give it one (and check its resume rule)";
    return {};
  }
  const auto then = parsed(base);
  base[section][field.key] = other->second;
  io::Config now;
  try {
    now = parsed(base);
  } catch (const std::exception& e) {
    ADD_FAILURE() << other_name << " = " << other->second << " is not valid here: " << e.what();
    return {};
  }
  EXPECT_NE(field.value(values_of(now)), field.value(values_of(then))) << other_name << ": the value did not change";
  return io::resume_differences(now, then);
}

void expect_rule(const std::vector<std::string>& keys, io::Resume resume, const std::string& name) {
  const bool named = std::find(keys.begin(), keys.end(), name) != keys.end();
  if (resume == io::Resume::must_match)
    EXPECT_TRUE(named) << name << " must match on resume, but a change was accepted (differences: "
                       << ::testing::PrintToString(keys) << ")";
  else
    EXPECT_TRUE(keys.empty()) << name << " may change on resume, but a change was refused: "
                              << ::testing::PrintToString(keys);
}

TEST(ConfigSchema, EveryKeyOfEverySectionFollowsItsResumeRule) {
  int must = 0, may = 0;
  for (const auto& section : io::config_sections())
    for (const auto& field : section.fields) {
      const std::string name = "[" + section.name + "] " + field.key;
      expect_rule(differences(kBase, section.name, field, name, [](const io::Config& c) -> const io::Config& { return c; }),
                  field.resume, name);
      ++(field.resume == io::Resume::must_match ? must : may);
    }
  EXPECT_GE(must, 40);
  EXPECT_GE(may, 6);
}

TEST(ConfigSchema, EveryKeyOfAKindTaskFollowsItsResumeRule) {
  for (const auto& field : io::task_fields()) {
    const std::string name = "[task] " + field.key;
    expect_rule(differences(kBase, "task", field, name, [](const io::Config& c) { return c.task(); }), field.resume,
                name);
  }
}

// A suite's member: each of its keys named as [task.<kind>] key; another member list as
// [task] suite; [task] seed reaches every member's seed.
TEST(ConfigSchema, EveryKeyOfASuiteMemberFollowsItsResumeRule) {
  Sections suite = kBase;
  suite["task"] = {{"suite", "[\"in_context_recall\", \"memorization\"]"}};
  suite["task.in_context_recall"] = kBase.at("task");
  suite["task.memorization"] = {{"seq_len", "8"}, {"train_examples", "64"}, {"test_examples", "16"}};
  for (const auto& field : io::suite_task_fields()) {
    EXPECT_NE(field.key, "kind");
    expect_rule(differences(suite, "task.in_context_recall", field, "[task] " + field.key,
                            [](const io::Config& c) { return c.task(); }),
                field.resume, "[task.in_context_recall] " + field.key);
  }
  const auto then = parsed(suite);
  using Keys = std::vector<std::string>;
  Sections other = suite;
  other["task"]["suite"] = "[\"memorization\", \"in_context_recall\"]";
  EXPECT_EQ(io::resume_differences(parsed(other), then), Keys{"[task] suite"});
  other = suite;
  other["task"]["seed"] = "5";
  EXPECT_EQ(io::resume_differences(parsed(other), then),
            (Keys{"[task.in_context_recall] seed", "[task.memorization] seed"}));
  for (const auto& field : io::task_suite_fields()) EXPECT_EQ(field.resume, io::Resume::must_match) << field.key;
  // A change between kind and suite.
  EXPECT_EQ(io::resume_differences(parsed(kBase), then), Keys{"[task]"});
}

// The keys the issue found unchecked on resume are checked now.
TEST(ConfigSchema, SettingsThatChangeScoresMustMatch) {
  std::map<std::string, io::Resume> rules;
  for (const auto& section : io::config_sections())
    for (const auto& field : section.fields) rules["[" + section.name + "] " + field.key] = field.resume;
  for (const auto& field : io::task_fields()) rules["[task] " + field.key] = field.resume;
  for (const char* key : {"[genome] level", "[evolution] initial_genomes", "[model] rope_base", "[model] kernels",
                          "[train] weight_decay", "[train] warmup_fraction", "[train] min_lr_ratio", "[train] beta1",
                          "[train] beta2", "[train] grad_clip", "[train] precision", "[train] divergence_loss",
                          "[metrics] cache_seq_len", "[metrics] cache_bytes_per_value", "[task] noise_vocab_size",
                          "[task] frac_noise", "[task] tokens_to_copy", "[run] seed"})
    EXPECT_EQ(rules.at(key), io::Resume::must_match) << key;
  for (const char* key : {"[evolution] generations", "[run] threads_per_rank", "[run] device", "[train] max_seconds",
                          "[train] cuda_graphs", "[dist] ranks_per_group"})
    EXPECT_EQ(rules.at(key), io::Resume::may_change) << key;
  for (const auto& [key, value] : kOther) EXPECT_TRUE(rules.count(key)) << key << " is not in the schema";
}

// The reference names every section and key, with its default and rule.
TEST(ConfigSchema, ReferenceListsEveryKey) {
  const std::string text = io::config_reference();
  for (const auto& section : io::config_sections()) {
    EXPECT_NE(text.find("\n[" + section.name + "]\n"), std::string::npos) << section.name;
    for (const auto& field : section.fields) {
      EXPECT_NE(text.find("  " + field.key + " = "), std::string::npos) << field.key;
      EXPECT_FALSE(field.description.empty()) << field.key;
    }
  }
  for (const auto& field : io::task_fields()) EXPECT_NE(text.find("  " + field.key + " = "), std::string::npos);
  EXPECT_NE(text.find("  weight_decay = 0.1  (number, 0..10; must match on resume)"), std::string::npos) << text;
  EXPECT_NE(text.find("  generations = 18  (integer, 1..16777216; may change on resume)"), std::string::npos) << text;
  EXPECT_NE(text.find("  directory = \"runs/<name>\""), std::string::npos) << text;
  EXPECT_NE(text.find("  device = \"auto\"  (string, \"auto\", \"cpu\", \"cuda\"; may change on resume)"),
            std::string::npos) << text;
}

// Every key written at its default reads as the defaults: the schema's defaults are the structs'.
TEST(ConfigSchema, DefaultsWrittenOutReadAsLeftOut) {
  const io::Config defaults = io::parse_config("[run]\n", "defaults.toml");
  std::string text;
  for (const auto& section : io::config_sections()) {
    text += "[" + section.name + "]\n";
    for (const auto& field : section.fields)
      if (field.default_text.empty()) text += field.key + " = " + field.value(defaults) + "\n";
  }
  text += "[task]\n";
  for (const auto& field : io::task_fields()) text += field.key + " = " + field.value(defaults.task()) + "\n";
  const io::Config written = io::parse_config(text, "written.toml");
  EXPECT_TRUE(io::resume_differences(written, defaults).empty())
      << ::testing::PrintToString(io::resume_differences(written, defaults));
  for (const auto& section : io::config_sections())
    for (const auto& field : section.fields) EXPECT_EQ(field.value(written), field.value(defaults)) << field.key;
}

}  // namespace
