// The model built from a genome: shapes, causality of every LIV class, feature-group sharing,
// and the Kokkos and LibTorch kernel paths agreeing.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "backend_checks.hpp"
#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "model/rms_norm.hpp"
#include "small_config.hpp"

namespace {

using star::genome::parse_genome;
using star::model::Backbone;
using star::model::ModelConfig;

using star::model::testing::small_config;

TEST(Backbone, LogitsHaveTheVocabularyShape) {
  torch::manual_seed(0);
  Backbone net(parse_genome("21211-31112-21221-32112"), small_config());
  auto tokens = torch::randint(0, 16, {3, 10}, torch::kInt64);
  auto logits = net->forward(tokens);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{3, 10, 16}));
  EXPECT_TRUE(torch::isfinite(logits).all().item<bool>());
}

// The token embedding starts at [model] embedding_init_std (GPT-2's 0.02 by default).
TEST(Backbone, EmbeddingStartsAtItsConfiguredScale) {
  torch::manual_seed(0);
  ModelConfig c = small_config();
  c.vocab_size = 256;
  c.width = 64;  // 16384 weights: their std is within 2% of the target
  for (double std : {0.02, 0.2}) {
    c.embedding_init_std = std;
    Backbone net(parse_genome("11111"), c);
    const auto weight = net->named_parameters()["embedding.weight"];
    EXPECT_NEAR(weight.std().item<double>(), std, 0.02 * std) << std;
  }
}

// Every class, alone and with sharing: changing tokens from position 6 on leaves logits before 6.
TEST(Backbone, EveryClassIsCausal) {
  for (const char* text : {"11111-11111", "21111-21111", "31111-31111", "31112-31112", "32112-11111-31112",
                           "21211-31112-21221-32112", "21211-22211-12211-12211"}) {
    torch::manual_seed(1);
    Backbone net(parse_genome(text), small_config());
    auto tokens = torch::randint(0, 16, {2, 12}, torch::kInt64);
    auto changed = tokens.clone();
    changed.narrow(1, 6, 6).random_(0, 16);
    auto a = net->forward(tokens), b = net->forward(changed);
    EXPECT_TRUE(torch::allclose(a.narrow(1, 0, 6), b.narrow(1, 0, 6), 1e-5, 1e-6)) << text;
  }
}

TEST(Backbone, KokkosAndTorchKernelsAgree) {
  star::model::testing::expect_backends_agree("21111-11111-21111", 2, 2, 9);
}

TEST(Backbone, SharedFeaturizerIsOneTensor) {
  // LIVs 1 and 3 (class 2, group 1, strategy 2) share one input projection: a gradient step
  // through either moves the same weights.
  Backbone net(parse_genome("21211-31112-21221-32112"), small_config());
  int64_t owners = 0;
  for (const auto& item : net->named_children())
    if (item.key().rfind("featurizer", 0) == 0) ++owners;
  EXPECT_EQ(owners, 3);  // LIV 1 (shared with 3), LIV 2, LIV 4
}

TEST(Backbone, UnknownClassIsAClearError) {
  try {
    Backbone net(parse_genome("z1111"), small_config());
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("35"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

// RMSNorm's definition, forward and gradients, on every device this machine has (on the GPU,
// LibTorch 2.8+ runs it as one fused kernel, which must agree with the formula).
void expect_rms_norm_matches_formula(torch::Device device) {
  torch::manual_seed(5);
  star::model::RMSNorm norm(48);
  norm->to(device);
  torch::NoGradGuard no_grad_setup;
  for (auto& p : norm->parameters()) p.uniform_(0.5, 1.5);
  auto x = torch::randn({3, 7, 48}, torch::TensorOptions().device(device)).requires_grad_(true);
  auto x_ref = x.detach().clone().requires_grad_(true);
  auto gain = norm->parameters()[0];
  auto gain_ref = gain.detach().clone().requires_grad_(true);
  torch::Tensor y, y_ref;
  {
    torch::AutoGradMode enable(true);
    y = norm(x);
    y_ref = x_ref * torch::rsqrt(x_ref.pow(2).mean(-1, true) + 1e-6) * gain_ref;
    auto dy = torch::randn_like(y);
    y.backward(dy);
    y_ref.backward(dy);
  }
  EXPECT_TRUE(torch::allclose(y, y_ref, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(x.grad(), x_ref.grad(), 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(gain.grad(), gain_ref.grad(), 1e-4, 1e-4));
}

TEST(RMSNorm, MatchesItsFormula) { expect_rms_norm_matches_formula(torch::kCPU); }

TEST(RMSNorm, MatchesItsFormulaOnGpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no GPU";
  expect_rms_norm_matches_formula(torch::Device(torch::kCUDA, 0));
}

}  // namespace
