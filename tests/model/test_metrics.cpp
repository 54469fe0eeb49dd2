// Parameter count and cache size against the closed form, with shared weights counted once.
#include <gtest/gtest.h>

#include "genome/genome.hpp"
#include "model/model_metrics.hpp"

namespace {

using star::genome::parse_genome;
using star::model::Backbone;
using star::model::summarize;

constexpr int64_t V = 16, d = 8, K = 3, h = 16;  // h = mlp_ratio 2 * d

star::model::ModelConfig config() {
  star::model::ModelConfig c;
  c.vocab_size = V;
  c.width = d;
  c.heads = 2;
  c.conv_taps = K;
  c.mlp_ratio = 2.0;
  return c;
}

TEST(Metrics, PaperExampleGenomeMatchesClosedForm) {
  // 21211 GConv-1 owning the featurizer LIV 3 shares; 31112 SA-1 owning keys/values;
  // 21221 GConv-1 using LIV 1's featurizer; 32112 SA-1 borrowing LIV 2's keys and values.
  Backbone net(parse_genome("21211-31112-21221-32112"), config());
  const int64_t T = 100, bytes = 2;
  const auto s = summarize(net, T, bytes);
  const int64_t gconv_own = d + 3 * d * d + d * K + d * d;
  const int64_t attention_own = d + 3 * d * d + d * d;
  const int64_t gconv_shared = d + d * K + d * d;
  const int64_t attention_query_only = d + d * d + d * d;
  ASSERT_EQ(s.livs.size(), 4u);
  EXPECT_EQ(s.livs[0].parameters, gconv_own);
  EXPECT_EQ(s.livs[1].parameters, attention_own);
  EXPECT_EQ(s.livs[2].parameters, gconv_shared);
  EXPECT_EQ(s.livs[3].parameters, attention_query_only);
  EXPECT_EQ(s.parameters, V * d + d + gconv_own + attention_own + gconv_shared + attention_query_only);

  EXPECT_EQ(s.livs[0].cache_bytes, (K - 1) * d * bytes);
  EXPECT_EQ(s.livs[1].cache_bytes, 2 * T * d * bytes);
  EXPECT_EQ(s.livs[2].cache_bytes, (K - 1) * d * bytes);
  EXPECT_EQ(s.livs[3].cache_bytes, 0);  // the KV cache is LIV 2's
  EXPECT_EQ(s.cache_bytes, 2 * (K - 1) * d * bytes + 2 * T * d * bytes);
  EXPECT_EQ(s.livs[2].featurizer_owner, 0);
  EXPECT_EQ(s.livs[3].feature_group_owner, 1);
}

TEST(Metrics, SwigluIsMemorylessAndSharesItsProjection) {
  Backbone own(parse_genome("11111-11111"), config());
  Backbone shared(parse_genome("11211-11211"), config());
  const int64_t swiglu = d + 3 * h * d;
  EXPECT_EQ(summarize(own, 64, 2).parameters, V * d + d + 2 * swiglu);
  EXPECT_EQ(summarize(shared, 64, 2).parameters, V * d + d + swiglu + (d + h * d));
  EXPECT_EQ(summarize(own, 64, 2).cache_bytes, 0);
}

TEST(Metrics, ParameterCountEqualsWhatTheOptimizerSees) {
  Backbone net(parse_genome("21211-31112-21221-32112"), config());
  int64_t total = 0;
  std::set<const void*> seen;
  for (const auto& p : net->parameters())
    if (seen.insert(p.unsafeGetTensorImpl()).second) total += p.numel();
  EXPECT_EQ(star::model::parameter_count(*net), total);
}

}  // namespace
