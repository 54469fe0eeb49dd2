// Multi-path blocks (genome/blocks.hpp): 2 or 3 LIVs read one normed input and a path mixer adds
// their outputs. Causal past the chunk and window boundaries, finite forward and backward with a
// gradient for every weight, and the parameters and cache of their closed forms: the LIVs' own,
// one norm per block, and the mixer's k (scalars) or k d + k (token gates).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "genome/blocks.hpp"
#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "model/derived_sizes.hpp"
#include "model/model_metrics.hpp"
#include "causality.hpp"
#include "small_config.hpp"

namespace {

using namespace star;
using model::Backbone;

// Each multi-path genome beside the same LIVs one after another (every block of one path).
const std::vector<std::pair<std::string, std::string>> kPairs = {
    {"31111-611112-11111", "31111-61111-11111"},                // attention and a recurrence, scalars
    {"31111-611113-211113-11111", "31111-61111-21111-11111"},    // three paths, token gates
    {"41111-811112-11111-a11113", "41111-81111-11111-a1111"},    // linear attention and a long convolution; SwiGLU and S4
    {"51112-521122-11111", "51112-52112-11111"},                // SA-3 paths sharing keys and values inside the block
    {"51112-11111-521123", "51112-11111-52112"},                // ... and across blocks
    {"31111-11111;3=11223:1111.1111.1111", "31111-11111;3=11223:1111.1111.1111"},  // (a plain genome, as a check)
    {"d1111-611112-11111", "d1111-61111-11111"},                // a differential path
};

TEST(MultiPath, CausalPastChunkAndWindowBoundaries) {
  const int64_t T = model::kSparsityWindow + 40;
  for (const auto& [text, _] : kPairs)
    for (int64_t t : {int64_t{31}, int64_t{65}, model::kSparsityWindow + 10}) model::testing::expect_causal_at(text, T, t);
}

TEST(MultiPath, FiniteForwardAndBackwardWithAGradientForEveryWeight) {
  for (const auto& [text, _] : kPairs)
    for (auto kernels : {model::KernelBackend::kokkos, model::KernelBackend::torch}) {
      auto config = model::testing::small_config();
      config.kernels = kernels;
      torch::manual_seed(1);
      Backbone net(genome::parse_genome(text), config);
      const auto tokens = torch::randint(0, 16, {2, 37}, torch::kInt64);
      const auto logits = net->forward(tokens);
      ASSERT_TRUE(torch::isfinite(logits).all().item<bool>()) << text;
      const auto loss = torch::nn::functional::cross_entropy(logits.reshape({-1, 16}), tokens.reshape({-1}));
      loss.backward();
      for (const auto& p : net->named_parameters()) {
        ASSERT_TRUE(p.value().grad().defined()) << text << ": " << p.key() << " gets no gradient";
        ASSERT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << text << ": " << p.key();
      }
    }
}

TEST(MultiPath, ParametersAndCacheAreTheLivsOwnOneNormPerBlockAndTheMixer) {
  const auto config = model::testing::small_config();
  const int64_t d = config.width;
  for (const auto& [text, sequential_text] : kPairs) {
    const auto g = genome::parse_genome(text);
    Backbone multi(g, config), sequential(genome::parse_genome(sequential_text), config);
    int64_t expected = model::parameter_count(*sequential);
    for (const auto& b : genome::blocks_of(g)) {
      if (b.paths == 1) continue;
      expected -= (b.paths - 1) * d;  // the joined LIVs' norms are gone
      expected += b.mixer == genome::Mixer::scalars ? b.paths : b.paths * d + b.paths;
    }
    const auto summary = model::summarize(multi, 300, 2);
    EXPECT_EQ(summary.parameters, expected) << text;
    EXPECT_EQ(model::parameter_count(*multi), expected) << text;
    int64_t per_liv = 0;  // the summary's split adds up: LIVs, featurizers, norms, mixers, the embedding
    for (const auto& s : summary.livs) per_liv += s.parameters;
    EXPECT_EQ(per_liv + config.vocab_size * d + d, expected) << text;  // + embedding and final norm
    EXPECT_EQ(summary.cache_bytes, model::summarize(sequential, 300, 2).cache_bytes) << text;
  }
}

// The mixers start at equal weights: a block starts as the mean of its paths.
TEST(MultiPath, MixersStartAsTheMeanOfThePaths) {
  for (const char* text : {"61111-611112", "61111-611113"}) {
    torch::manual_seed(4);
    Backbone net(genome::parse_genome(text), model::testing::small_config());
    const auto* mixer = net->owned_mixer(0);
    ASSERT_NE(mixer, nullptr) << text;
    for (const auto& p : mixer->parameters()) EXPECT_EQ(p.abs().sum().item<double>(), 0.0) << text;
    EXPECT_EQ(net->norm(1), nullptr) << text;
  }
}

}  // namespace
