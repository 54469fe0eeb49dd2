// Operators no named class computes, built from their operator and featurizer genomes: each is
// causal (also past the sparsity window, where bands and blocks differ from plain causality),
// finite forward and backward, and has the cache its structure implies.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "model/derived_sizes.hpp"
#include "model/model_metrics.hpp"
#include "causality.hpp"
#include "operator_variants.hpp"
#include "small_config.hpp"

namespace {

using namespace star;
using model::Backbone;


TEST(OperatorVariants, EveryVariantIsCausalPastTheWindow) {
  const int64_t T = model::kSparsityWindow + 40;
  for (const auto& text : model::testing::kOperatorVariants)
    for (int64_t t : {int64_t{7}, model::kSparsityWindow + 10}) model::testing::expect_causal_at(text, T, t);
}

// Bands and blocks cut the past: with one token-mixing LIV, a change to token 0 reaches no
// output from token kSparsityWindow on (plain causal operators reach them all).
TEST(OperatorVariants, SparsityCutsOffTheDistantPast) {
  const int64_t W = model::kSparsityWindow, T = W + 40;
  const std::vector<std::pair<std::string, bool>> cases = {
      {"31111-11111", false},                                  // attention: sees everything
      {"31111-11111;3=11223:1111.1111.1111", true},            // sliding window
      {"31111-11111;3=11323:1111.1111.1111", true},            // blocks
      {"41111-11111;4=12333:1111.1111.1111", true},            // linear attention in blocks
      {"61111-11111;6=13361:1111.1111.1111.1111", true},       // recurrence reset per block
      {"81111-11111;8=34211:1111.1111.1111", true},            // long convolution, 256 lags
  };
  for (const auto& [text, cut] : cases) {
    torch::manual_seed(2);
    Backbone net(genome::parse_genome(text), model::testing::small_config());
    auto tokens = torch::randint(1, 16, {1, T}, torch::kInt64);
    auto changed = tokens.clone();
    changed[0][0] = 0;
    torch::NoGradGuard no_grad;
    auto late = [&](const torch::Tensor& t) { return net->forward(t).narrow(1, W, T - W); };
    EXPECT_EQ(torch::allclose(late(tokens), late(changed), 1e-5, 1e-5), cut) << text;
  }
}

TEST(OperatorVariants, ForwardAndBackwardAreFinite) {
  for (const auto& text : model::testing::kOperatorVariants) {
    torch::manual_seed(1);
    Backbone net(genome::parse_genome(text), model::testing::small_config());
    auto logits = net->forward(torch::randint(0, 16, {2, 300}, torch::kInt64));
    ASSERT_TRUE(torch::isfinite(logits).all().item<bool>()) << text;
    logits.pow(2).mean().backward();
    for (const auto& p : net->named_parameters()) {
      ASSERT_TRUE(p.value().grad().defined()) << text << ": " << p.key();
      ASSERT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << text << ": " << p.key();
    }
  }
}

// A band bounds the keys (and the long filter's history) a sequence keeps; a block of the
// recurrence changes outputs, not the state's size.
TEST(OperatorVariants, SparsityBoundsTheCache) {
  const auto config = model::testing::small_config();
  const int64_t d = config.width, W = model::kSparsityWindow, bytes = 2;
  auto cache = [&](const std::string& text, int64_t seq) {
    Backbone net(genome::parse_genome(text), config);
    return model::summarize(net, seq, bytes).livs[0].cache_bytes;
  };
  EXPECT_EQ(cache("31111-11111", 4096), 2 * 4096 * d * bytes);
  EXPECT_EQ(cache("31111-11111;3=11223:1111.1111.1111", 4096), 2 * W * d * bytes);
  EXPECT_EQ(cache("31111-11111;3=11223:1111.1111.1111", 100), 2 * 100 * d * bytes);
  // Repeat 2 over 2 heads: one key-value head of d / 2.
  EXPECT_EQ(cache("31111-11111;3=11123:1111.1112.1112", 4096), 2 * 4096 * (d / 2) * bytes);
  EXPECT_EQ(cache("81111-11111", 4096), 4096 * d * bytes);
  EXPECT_EQ(cache("81111-11111;8=34211:1111.1111.1111", 4096), W * d * bytes);
  EXPECT_EQ(cache("31111-11111;3=13361:1111.1111.1111.1111", 4096), d * bytes);
}

// Convolved feature groups keep their last K - 1 features and add a [width, K] filter each.
TEST(OperatorVariants, FeaturizerConvolutionAddsItsFilterAndCache) {
  const auto config = model::testing::small_config();
  const int64_t d = config.width, K = config.conv_taps, T = 64, bytes = 2;
  auto summary = [&](const std::string& text) {
    Backbone net(genome::parse_genome(text), config);
    return model::summarize(net, T, bytes).livs[0];
  };
  const auto plain = summary("31111-11111"), convolved = summary("31111-11111;3=11123:2111.2111.2111");
  EXPECT_EQ(convolved.parameters - plain.parameters, 3 * d * K);
  EXPECT_EQ(convolved.cache_bytes - plain.cache_bytes, 3 * (K - 1) * d * bytes);
}

// A diagonal feature group has d weights instead of a d x d projection.
TEST(OperatorVariants, DiagonalFeatureGroupsReplaceTheirProjection) {
  const auto config = model::testing::small_config();
  const int64_t d = config.width;
  auto params = [&](const std::string& text) {
    Backbone net(genome::parse_genome(text), config);
    return model::summarize(net, 16, 2).livs[0].parameters;
  };
  EXPECT_EQ(params("31111-11111") - params("31111-11111;3=11123:1211.1211.1211"), 3 * (d * d - d));
  EXPECT_EQ(params("31111-11111") - params("31111-11111;3=11123:1211.1111.1111"), d * d - d);
}

// A wider gated MLP has more parameters: the featurizer genome's expansion reaches the model.
TEST(OperatorVariants, ExpansionSetsTheHiddenWidth) {
  const auto config = model::testing::small_config();
  auto params = [&](const std::string& text) {
    Backbone net(genome::parse_genome(text), config);
    return model::summarize(net, 16, 2).livs[0].parameters;
  };
  const int64_t d = config.width, h = static_cast<int64_t>(config.mlp_ratio * d);
  EXPECT_EQ(params("11111"), 3 * d * h + d);
  EXPECT_EQ(params("11111;1=15142:1121.1121"), 3 * d * 2 * h + d);
  EXPECT_EQ(params("11111;1=15142:1131.1131"), 3 * d * (h / 2) + d);
}

}  // namespace
