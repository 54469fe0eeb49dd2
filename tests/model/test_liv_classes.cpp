// Every class of the LIV class table, built from a genome: causal, finite forward and backward at
// a few shapes (T = 1 included), parameter count and cache size equal to the closed form, with
// and without featurizer and feature-group sharing.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "liv_closed_forms.hpp"
#include "model/backbone.hpp"
#include "model/model_metrics.hpp"
#include "small_config.hpp"

namespace {

using namespace star;
using model::Backbone;
using model::testing::closed_form;
using model::testing::small_config;

std::string digit(int v) { return std::string(1, "0123456789abcdefghijklmnopqrstuvwxyz"[v]); }

// Two LIVs of one class: "own" (nothing shared), "featurizer" (LIV 2 uses LIV 1's featurizer),
// "groups" (LIV 2 reuses LIV 1's feature groups, with a featurizer of its own).
std::string genome_of(const genome::LivClass& c, const std::string& sharing) {
  const auto x = digit(c.id);
  if (sharing == "featurizer") return x + "1211-" + x + "1211";
  if (sharing == "groups") return x + "1112-" + x + "2112";
  return x + "1111-" + x + "2111";
}

std::vector<std::string> sharings(const genome::LivClass& c) {
  if (c.feature_group_strategies >= 2) return {"own", "featurizer", "groups"};
  return {"own", "featurizer"};
}

// Changing tokens from position t on leaves the logits before t where they were; T = 70 crosses
// the chunk boundaries of SA-2 (64) and Rec-2 (32).
TEST(LivClasses, EveryClassIsCausal) {
  for (const auto& c : genome::liv_classes())
    for (const auto& sharing : sharings(c))
      for (int64_t t : {1, 5, 37}) {
        const auto text = genome_of(c, sharing);
        torch::manual_seed(3);
        Backbone net(genome::parse_genome(text), small_config());
        auto tokens = torch::randint(0, 16, {2, 70}, torch::kInt64);
        auto changed = tokens.clone();
        changed.narrow(1, t, 70 - t).random_(0, 16);
        torch::NoGradGuard no_grad;
        auto a = net->forward(tokens), b = net->forward(changed);
        EXPECT_TRUE(torch::allclose(a.narrow(1, 0, t), b.narrow(1, 0, t), 1e-5, 1e-5)) << text << " t=" << t;
        EXPECT_FALSE(torch::allclose(a.narrow(1, t, 70 - t), b.narrow(1, t, 70 - t))) << text << " t=" << t;
      }
}

TEST(LivClasses, ForwardAndBackwardAreFiniteAtEveryShape) {
  for (const auto& c : genome::liv_classes())
    for (const auto& sharing : sharings(c))
      for (auto [B, T] : std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {2, 5}, {3, 33}}) {
        const auto text = genome_of(c, sharing);
        torch::manual_seed(4);
        Backbone net(genome::parse_genome(text), small_config());
        auto logits = net->forward(torch::randint(0, 16, {B, T}, torch::kInt64));
        ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{B, T, 16})) << text;
        EXPECT_TRUE(torch::isfinite(logits).all().item<bool>()) << text << " T=" << T;
        logits.pow(2).mean().backward();
        for (const auto& p : net->named_parameters()) {
          ASSERT_TRUE(p.value().grad().defined()) << text << ": " << p.key() << " gets no gradient";
          EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << text << " T=" << T << ": " << p.key();
        }
      }
}

TEST(LivClasses, ParametersAndCacheMatchTheClosedForm) {
  const auto config = small_config();
  const int64_t d = config.width, V = config.vocab_size, T = 100, bytes = 2;
  for (const auto& c : genome::liv_classes())
    for (const auto& sharing : sharings(c)) {
      const auto text = genome_of(c, sharing);
      const auto f = closed_form(c.id, config, T);
      Backbone net(genome::parse_genome(text), config);
      const auto s = model::summarize(net, T, bytes);
      ASSERT_EQ(s.livs.size(), 2u);
      const int64_t first = d + f.weights + f.featurizer;
      const int64_t second = d + f.weights + (sharing == "featurizer" ? 0 : sharing == "groups" ? f.query_featurizer
                                                                                                : f.featurizer);
      EXPECT_EQ(s.livs[0].parameters, first) << text;
      EXPECT_EQ(s.livs[1].parameters, second) << text;
      EXPECT_EQ(s.parameters, V * d + d + first + second) << text;
      EXPECT_EQ(s.parameters, model::parameter_count(*net)) << text;
      EXPECT_EQ(s.livs[0].cache_bytes, f.cache_values * bytes) << text;
      EXPECT_EQ(s.livs[1].cache_bytes, sharing == "groups" ? 0 : f.cache_values * bytes) << text;
    }
}

TEST(LivClasses, EveryClassHasABuilder) {
  for (const auto& c : genome::liv_classes())
    EXPECT_NO_THROW(model::liv_builder(c.id, genome::preset_operator(c.id))) << c.short_name;
}

}  // namespace
