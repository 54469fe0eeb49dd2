// LTC routing (model/ltc_router.hpp): a routed block's residual contribution scaled by a per-token
// gate from a routing state carried across depth. Causal past chunk and window boundaries,
// finite forward and backward with a gradient for every weight, the parameters of its closed
// form, and the gate statistics and skipping the evaluation records.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "genome/blocks.hpp"
#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "model/cost_estimate.hpp"
#include "model/derived_sizes.hpp"
#include "model/model_metrics.hpp"
#include "causality.hpp"
#include "small_config.hpp"

namespace {

using namespace star;
using model::Backbone;

// Routed genomes beside the same genome unrouted.
const std::vector<std::pair<std::string, std::string>> kRouted = {
    {"311114-11111-311114-11111", "31111-11111-31111-11111"},  // a routed Transformer++
    {"311114-611112-111114", "31111-611112-11111"},            // a routed two-path block, a routed SwiGLU
    {"61111-811114-11111", "61111-81111-11111"},               // routed long convolution
};

TEST(Routing, CausalPastChunkAndWindowBoundaries) {
  for (const auto& [text, _] : kRouted)
    for (int64_t t : {int64_t{31}, int64_t{65}, model::kSparsityWindow + 10})
      model::testing::expect_causal_at(text, model::kSparsityWindow + 40, t);
}

TEST(Routing, FiniteForwardAndBackwardWithAGradientForEveryWeight) {
  for (const auto& [text, _] : kRouted) {
    torch::manual_seed(1);
    Backbone net(genome::parse_genome(text), model::testing::small_config());
    const auto tokens = torch::randint(0, 16, {2, 37}, torch::kInt64);
    const auto logits = net->forward(tokens);
    ASSERT_TRUE(torch::isfinite(logits).all().item<bool>()) << text;
    torch::nn::functional::cross_entropy(logits.reshape({-1, 16}), tokens.reshape({-1})).backward();
    for (const auto& p : net->named_parameters()) {
      ASSERT_TRUE(p.value().grad().defined()) << text << ": " << p.key() << " gets no gradient";
      ASSERT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << text << ": " << p.key();
    }
  }
}

// Each routed block adds m^2 + d m + 4 m + 1 weights (W; U and c; tau; A; v and e); the cache is the
// unrouted genome's (the routing state lives across depth, not time).
TEST(Routing, ParametersAreTheUnroutedOnesAndTheRoutersClosedForm) {
  const auto config = model::testing::small_config();
  const int64_t d = config.width, m = model::kRoutingState;
  for (const auto& [text, unrouted] : kRouted) {
    const auto g = genome::parse_genome(text);
    Backbone routed(g, config), plain(genome::parse_genome(unrouted), config);
    int64_t routers = 0;
    for (const auto& b : genome::blocks_of(g)) routers += b.routed;
    EXPECT_EQ(model::parameter_count(*routed), model::parameter_count(*plain) + routers * (m * m + d * m + 4 * m + 1))
        << text;
    EXPECT_EQ(model::summarize(routed, 300, 2).cache_bytes, model::summarize(plain, 300, 2).cache_bytes) << text;
    EXPECT_DOUBLE_EQ(model::training_flops_per_token(g, config, 64) -
                         model::training_flops_per_token(genome::parse_genome(unrouted), config, 64),
                     6.0 * static_cast<double>(routers * (m * m + m * d + m)))
        << text;
  }
}

// The gates start near sigmoid(3); gates below the threshold count as skipped, and skipping sets
// them to 0: with every gate of a block pushed below it, all its tokens skip, the compute saved is
// that block's share, and the logits are those of the model without the block.
TEST(Routing, GateStatisticsAndSkipping) {
  const auto config = model::testing::small_config();
  torch::manual_seed(2);
  Backbone net(genome::parse_genome("61111-111114"), config);
  const auto tokens = torch::randint(0, 16, {2, 20}, torch::kInt64);
  torch::NoGradGuard no_grad;
  net->collect_routing(true);
  net->forward(tokens);
  auto stats = net->routing_stats();
  EXPECT_EQ(stats.gates, 40);
  EXPECT_NEAR(stats.gate_sum / 40, 0.95, 0.04);
  EXPECT_EQ(stats.below, 0);
  EXPECT_EQ(stats.tokens, 40);

  for (auto& p : net->named_parameters())
    if (p.key() == "router1.gate.bias") p.value().fill_(-20.0);  // every gate ~ 2e-9
  const auto kept = net->forward(tokens);
  net->collect_routing(true);
  net->skip_low_gates(true);
  const auto skipped = net->forward(tokens);
  stats = net->routing_stats();
  EXPECT_EQ(stats.below, 40);
  const auto per_liv = model::forward_macs_per_liv(genome::parse_genome("61111-111114"), config, 20);
  EXPECT_NEAR(stats.skipped_macs / stats.model_macs,
              per_liv[1] / (model::training_flops_per_token(genome::parse_genome("61111-111114"), config, 20) / 6), 1e-9);
  EXPECT_TRUE(torch::allclose(kept, skipped, 1e-5, 1e-5));  // a gate of 2e-9 added almost nothing
  net->collect_routing(false);
  net->skip_low_gates(false);
}

}  // namespace
