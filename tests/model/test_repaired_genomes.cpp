// The property the evolution relies on, carried through to the model: whatever mutation and
// k-point crossover make of genomes over the whole LIV class table, repair returns a valid genome
// (tests/genome checks that alone at scale), and a valid genome is a model that builds, runs
// forward and backward, and stays finite, with any mix of classes and sharing.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "genome/liv_class.hpp"
#include "genome/repair.hpp"
#include "genome/sampling.hpp"
#include "genome/sharing.hpp"
#include "genome/validity.hpp"
#include "genome/variation.hpp"
#include "model/backbone.hpp"
#include "small_config.hpp"

namespace {

using namespace star;

// Every class of the table, 6 LIVs, 2 sharing groups (so LIVs of one class often share).
genome::GenomeSpace every_class_space() {
  genome::GenomeSpace space;
  space.depth = 6;
  space.classes.clear();
  for (const auto& c : genome::liv_classes()) space.classes.push_back(c.id);
  space.max_group = 2;
  space.max_paths = 3;  // multi-path blocks too
  space.routing = true;  // and routed blocks
  return space;
}

// 20,000 crossovers and mutations, each child repaired and checked; every 50th child (400 in
// all, both kernel paths) is built at width 8 and trained one step's worth: logits, loss and
// every parameter's gradient finite.
// At the full search level every class's operator and featurizer genomes vary too.
class RepairedGenomes : public ::testing::TestWithParam<genome::SearchLevel> {};

INSTANTIATE_TEST_SUITE_P(Levels, RepairedGenomes,
                         ::testing::Values(genome::SearchLevel::backbone, genome::SearchLevel::full),
                         [](const auto& info) { return genome::to_string(info.param); });

TEST_P(RepairedGenomes, SampleBuildsAndRunsForwardAndBackwardOverEveryClass) {
  auto space = every_class_space();
  space.level = GetParam();
  int custom_operators_built = 0;
  const int operations = 20000, every = 50;
  const int64_t B = 2, T = 13, V = 16;
  genome::Rng rng(2025);
  std::set<int> classes_built;
  int built = 0, livs_sharing_a_featurizer = 0, livs_sharing_feature_groups = 0;
  for (int i = 0; i < operations; ++i) {
    const auto a = genome::sample_genome(space, rng), b = genome::sample_genome(space, rng);
    const int points = genome::uniform_int(rng, 1, genome::genes_per_liv(space) * space.depth - 1);
    auto [child, other] = genome::crossover(a, b, points, rng, genome::genes_per_liv(space));
    genome::mutate(child, space, genome::uniform_real(rng), rng);
    genome::repair(child, space, rng);
    genome::repair(other, space, rng);
    const auto text = genome::to_text(child);
    ASSERT_TRUE(genome::is_valid(child, space)) << text;
    ASSERT_TRUE(genome::is_valid(other, space)) << genome::to_text(other);
    if (i % every != 0) continue;

    auto config = model::testing::small_config();
    config.kernels = (i / every) % 2 ? model::KernelBackend::torch : model::KernelBackend::kokkos;
    torch::manual_seed(static_cast<uint64_t>(i));
    model::Backbone net(child, config);
    const auto tokens = torch::randint(0, V, {B, T}, torch::kInt64);
    const auto targets = torch::randint(0, V, {B, T}, torch::kInt64);
    const auto logits = net->forward(tokens);
    ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{B, T, V})) << text;
    ASSERT_TRUE(torch::isfinite(logits).all().item<bool>()) << text;
    const auto loss = torch::nn::functional::cross_entropy(logits.reshape({B * T, V}), targets.reshape({B * T}));
    ASSERT_TRUE(std::isfinite(loss.item<double>())) << text;
    loss.backward();
    for (const auto& p : net->named_parameters()) {
      ASSERT_TRUE(p.value().grad().defined()) << text << ": " << p.key() << " gets no gradient";
      ASSERT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << text << ": " << p.key();
    }

    ++built;
    custom_operators_built += static_cast<int>(child.operators.size());
    for (const auto& liv : child.livs) classes_built.insert(liv.cls);
    const auto f = genome::featurizer_owner(child), g = genome::feature_group_owner(child);
    for (int l = 0; l < space.depth; ++l) {
      if (f[l] != l) ++livs_sharing_a_featurizer;
      if (g[l] != l) ++livs_sharing_feature_groups;
    }
  }
  EXPECT_EQ(built, operations / every);
  EXPECT_EQ(classes_built.size(), space.classes.size()) << "every class of the table was built";
  EXPECT_GT(livs_sharing_a_featurizer, 0);
  EXPECT_GT(livs_sharing_feature_groups, 0);
  if (space.level == genome::SearchLevel::full) EXPECT_GT(custom_operators_built, 100);
  else EXPECT_EQ(custom_operators_built, 0);
}

}  // namespace
