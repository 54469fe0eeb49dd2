// Incremental inference (model/inference_cache.hpp): a prefill of a prompt and then one decode
// step per token give the logits of the full forward pass, for every class of the table, the
// operators no class presets, and random genomes at the full level with shared featurizers and
// feature groups; and what the cache holds is the `cache` objective's formula.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "genome/sampling.hpp"
#include "genome/sharing.hpp"
#include "model/backbone.hpp"
#include "model/derived_sizes.hpp"
#include "model/model_metrics.hpp"
#include "operator_variants.hpp"
#include "small_config.hpp"

namespace {

using namespace star;
using model::Backbone;
using model::InferenceCache;

constexpr int64_t V = 16;  // small_config's vocabulary

// Two LIVs of class `id` with SwiGLU between them.
genome::Genome two_of(int id) {
  const std::string c(1, "0123456789abcdefghijklmnopqrstuvwxyz"[id]);
  return genome::parse_genome(c + "1111-11111-" + c + "1111");
}

// The logits of a prefill of tokens[:, :P] and a decode step for each later token: what the
// forward pass gives at positions P - 1 to T - 1, [B, T - P + 1, V]. `after` runs after the
// prefill and after each step.
torch::Tensor generated(Backbone& net, const torch::Tensor& tokens, int64_t P, InferenceCache& cache,
                        const std::function<void()>& after = [] {}) {
  std::vector<torch::Tensor> logits{net->prefill(tokens.narrow(1, 0, P), cache)};
  after();
  for (int64_t t = P; t < tokens.size(1); ++t) {
    logits.push_back(net->decode(tokens.narrow(1, t, 1), cache));
    after();
  }
  return torch::cat(logits, 1);
}

// Checks that every prompt length in `prompts` then decoding to T tokens gives forward's logits.
// On a GPU (fp32; cuDNN's convolutions may round as TF32) within 2e-3, on the CPU within 1e-4.
void expect_decodes_as_forward(const genome::Genome& genome, model::KernelBackend kernels, int64_t B, int64_t T,
                               const std::vector<int64_t>& prompts, const std::string& what,
                               const torch::Device& device = torch::kCPU) {
  auto config = model::testing::small_config();
  config.kernels = kernels;
  torch::manual_seed(11);
  Backbone net(genome, config);
  net->to(device);
  const double tolerance = device.is_cuda() ? 2e-3 : 1e-4;
  const auto tokens = torch::randint(0, V, {B, T}, torch::kInt64).to(device);
  torch::Tensor full;
  {
    torch::NoGradGuard no_grad;
    full = net->forward(tokens);
  }
  for (int64_t P : prompts) {
    InferenceCache cache;
    const auto incremental = generated(net, tokens, P, cache);
    const auto expected = full.narrow(1, P - 1, T - P + 1);
    EXPECT_TRUE(torch::allclose(incremental, expected, tolerance, tolerance))
        << what << ", prompt " << P << " of " << T << ": largest difference "
        << (incremental - expected).abs().max().item<double>();
  }
}

TEST(IncrementalInference, EveryClassDecodesAsItsForwardPass) {
  for (const auto& cls : genome::liv_classes()) {
    const auto genome = two_of(cls.id);
    for (auto kernels : {model::KernelBackend::kokkos, model::KernelBackend::torch})
      expect_decodes_as_forward(genome, kernels, 2, 24, {1, 9}, cls.short_name);
  }
}

// The same on the GPU build's device: every class, and the operator variants past the window.
TEST(IncrementalInference, EveryClassAndVariantDecodesAsItsForwardPassOnGpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  const torch::Device gpu(torch::kCUDA, 0);
  for (const auto& cls : genome::liv_classes())
    expect_decodes_as_forward(two_of(cls.id), model::KernelBackend::kokkos, 2, 24, {1, 9}, cls.short_name, gpu);
  const int64_t W = model::kSparsityWindow;
  for (const auto& text : model::testing::kOperatorVariants)
    expect_decodes_as_forward(genome::parse_genome(text), model::KernelBackend::kokkos, 1, W + 40, {W + 20}, text, gpu);
}

// Past the window: a band keeps only its last keys or inputs, blocks start afresh at 256.
TEST(IncrementalInference, OperatorVariantsDecodeAcrossTheSparsityWindow) {
  const int64_t W = model::kSparsityWindow;
  for (const auto& text : model::testing::kOperatorVariants)
    expect_decodes_as_forward(genome::parse_genome(text), model::KernelBackend::kokkos, 1, W + 40, {W - 10, W + 20},
                              text);
}

// Whatever the sampled genome shares: a borrower reads the feature groups its owner keeps.
TEST(IncrementalInference, RandomGenomesWithSharingDecodeAsTheirForwardPass) {
  genome::GenomeSpace space;
  space.depth = 6;
  space.classes.clear();
  for (const auto& c : genome::liv_classes()) space.classes.push_back(c.id);
  space.max_group = 2;
  space.level = genome::SearchLevel::full;
  space.max_paths = 3;  // with multi-path blocks
  space.routing = true;  // and routed ones
  genome::Rng rng(7);
  int borrowers = 0;
  for (int i = 0; i < 120; ++i) {
    // Half of them over the classes whose feature groups may be shared, so that many are.
    if (i == 60) space.classes = {3, 4, 5, 6, 7, 13, 14, 15, 16, 17};
    const auto g = genome::sample_genome(space, rng);
    const auto owners = genome::feature_group_owner(g);
    for (int l = 0; l < space.depth; ++l) borrowers += owners[l] != l;
    expect_decodes_as_forward(g, model::KernelBackend::kokkos, 2, 14, {4}, genome::to_text(g));
  }
  EXPECT_GT(borrowers, 10) << "the sample shares feature groups";
}

// The bytes held, with no capacity given (each buffer grows by the token), equal the formula at
// every length: after the prefill and after each step.
void expect_cache_is_its_formula(const genome::Genome& genome, int64_t T, int64_t P, const std::string& what) {
  const int64_t B = 2;
  torch::manual_seed(3);
  Backbone net(genome, model::testing::small_config());
  const auto tokens = torch::randint(0, V, {B, T}, torch::kInt64);
  InferenceCache cache;
  generated(net, tokens, P, cache, [&] {
    const int64_t formula = model::summarize(net, cache.tokens, sizeof(float)).cache_bytes;
    EXPECT_EQ(cache.bytes(), B * formula) << what << " at " << cache.tokens << " tokens";
  });
  // With the capacity given up front, the buffers are allocated once and hold the formula's bytes at the end.
  InferenceCache reserved(T);
  generated(net, tokens, P, reserved);
  EXPECT_EQ(reserved.bytes(), B * model::summarize(net, T, sizeof(float)).cache_bytes) << what << ", reserved";
}

TEST(IncrementalInference, CacheHoldsTheBytesOfTheCacheObjective) {
  for (const auto& cls : genome::liv_classes()) {
    expect_cache_is_its_formula(two_of(cls.id), 12, 5, cls.short_name);
  }
  const int64_t W = model::kSparsityWindow;
  for (const auto& text : model::testing::kOperatorVariants)
    expect_cache_is_its_formula(genome::parse_genome(text), W + 6, W - 3, text);
  // Shared feature groups are held once, by their owner.
  for (const char* text : {"51112-52112", "41112-42112", "61112-62112", "71112-72112", "f1112-f2112"})
    expect_cache_is_its_formula(genome::parse_genome(text), 12, 5, text);
}

TEST(IncrementalInference, DecodeWithoutAPrefillIsRefused) {
  Backbone net(genome::parse_genome("31111-11111"), model::testing::small_config());
  InferenceCache cache;
  EXPECT_THROW(net->decode(torch::zeros({1, 1}, torch::kInt64), cache), c10::Error);
  net->prefill(torch::zeros({1, 3}, torch::kInt64), cache);
  EXPECT_THROW(net->prefill(torch::zeros({1, 3}, torch::kInt64), cache), c10::Error);
  EXPECT_THROW(net->decode(torch::zeros({1, 2}, torch::kInt64), cache), c10::Error);
}

}  // namespace
