// Sharing between LIVs of the new classes: a LIV that borrows feature groups really computes with
// the owner's (keys and values, linear-attention state, recurrent state), and a shared featurizer
// is one module.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <tuple>
#include <vector>

#include "genome/genome.hpp"
#include "model/backbone.hpp"

namespace {

using namespace star;

model::ModelConfig config() {
  model::ModelConfig c;
  c.width = 8;
  c.heads = 2;
  return c;
}

// With LIV 1's output projections zeroed, LIV 1 adds nothing to the residual stream itself: a
// change of its feature-group weights can reach the logits only through a LIV that borrows them.
bool owner_groups_reach_the_logits(const char* text, const std::vector<std::string>& owner_out,
                                   const std::string& owner_group_weight) {
  torch::manual_seed(9);
  model::Backbone net(genome::parse_genome(text), config());
  auto params = net->named_parameters();
  torch::NoGradGuard no_grad;
  for (const auto& name : owner_out) params[name].zero_();
  auto tokens = torch::randint(0, 16, {2, 11}, torch::kInt64);
  auto before = net->forward(tokens);
  params[owner_group_weight].add_(torch::randn_like(params[owner_group_weight]));
  return !torch::allclose(before, net->forward(tokens));
}

TEST(Sharing, BorrowersComputeWithTheOwnersFeatureGroups) {
  const std::vector<std::string> out{"liv0.out.weight"};
  for (auto [shared, unshared, weight] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"51112-52112", "51111-52111", "featurizer0.key.weight"},
        {"51112-52112", "51111-52111", "featurizer0.value.weight"},
        {"41112-42112", "41111-42111", "featurizer0.key.weight"},
        {"61112-62112", "61111-62111", "featurizer0.state_inputs.weight"},
        {"71112-72112", "71111-72111", "featurizer0.state_inputs.weight"}}) {
    EXPECT_TRUE(owner_groups_reach_the_logits(shared, out, weight)) << shared << " " << weight;
    EXPECT_FALSE(owner_groups_reach_the_logits(unshared, out, weight)) << unshared << " " << weight;
  }
  // Differential SA-3: each copy of the borrower reads its own counterpart's keys.
  const std::vector<std::string> both{"liv0.first.out.weight", "liv0.second.out.weight"};
  for (const char* weight : {"featurizer0.first.key.weight", "featurizer0.second.key.weight"}) {
    EXPECT_TRUE(owner_groups_reach_the_logits("f1112-f2112", both, weight)) << weight;
    EXPECT_FALSE(owner_groups_reach_the_logits("f1111-f2111", both, weight)) << weight;
  }
}

TEST(Sharing, SharedFeaturizerIsOneModule) {
  for (const char* text : {"51211-61111-51211", "81211-61111-81211", "b1211-61111-b1211", "j1211-61111-j1211"}) {
    model::Backbone net(genome::parse_genome(text), config());
    std::vector<std::string> featurizers;
    for (const auto& item : net->named_children())
      if (item.key().rfind("featurizer", 0) == 0) featurizers.push_back(item.key());
    EXPECT_EQ(featurizers, (std::vector<std::string>{"featurizer0", "featurizer1"})) << text;
  }
}

}  // namespace
