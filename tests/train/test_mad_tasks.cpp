// The MAD task generators beyond plain in-context recall: noisy and fuzzy recall, selective
// copying, memorization, compression, and the kind registry with the MAD baseline sizes.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "train/compression.hpp"
#include "train/fuzzy_in_context_recall.hpp"
#include "train/in_context_recall.hpp"
#include "train/memorization.hpp"
#include "train/selective_copying.hpp"
#include "train/tasks.hpp"

namespace {

using namespace star::train;

std::vector<int64_t> row(const torch::Tensor& t, int64_t n) {
  auto r = t[n].contiguous();
  return std::vector<int64_t>(r.data_ptr<int64_t>(), r.data_ptr<int64_t>() + r.numel());
}

TEST(NoisyInContextRecall, NoisePairsComeFromTheNoiseVocabularyAndAreNeverScored) {
  TaskConfig c = mad_baseline("noisy_in_context_recall");  // vocab 32, 16 of them noise, 20% noise
  c.seq_len = 64;
  auto d = make_in_context_recall(c, 200, 5);
  const int64_t K = c.vocab_size - c.noise_vocab_size;
  int64_t noise_pairs = 0, pairs = 0;
  for (int64_t n = 0; n < 200; ++n) {
    auto x = row(d.inputs, n), y = row(d.targets, n);
    std::map<int64_t, int64_t> value_of;
    for (int64_t t = 0; t + 1 < 64; t += 2) {
      ++pairs;
      if (x[t] >= K) {  // a noise pair: both tokens noise, nothing scored
        ++noise_pairs;
        EXPECT_GE(x[t + 1], K);
        EXPECT_EQ(y[t], kIgnoreTarget);
        continue;
      }
      ASSERT_LT(x[t], K / 2);
      ASSERT_GE(x[t + 1], K / 2);
      ASSERT_LT(x[t + 1], K);
      EXPECT_EQ(y[t], value_of.count(x[t]) ? value_of[x[t]] : kIgnoreTarget);
      value_of[x[t]] = x[t + 1];
    }
  }
  EXPECT_NEAR(static_cast<double>(noise_pairs) / pairs, 0.2, 0.03);
}

TEST(NoisyInContextRecall, WithoutNoiseItIsPlainRecall) {
  TaskConfig plain = mad_baseline("in_context_recall");
  plain.seq_len = 32;
  auto a = make_in_context_recall(plain, 20, 9);
  TaskConfig noisy = plain;
  noisy.kind = "noisy_in_context_recall";
  auto b = make_in_context_recall(noisy, 20, 9);
  EXPECT_TRUE(torch::equal(a.inputs, b.inputs));
  EXPECT_TRUE(torch::equal(a.targets, b.targets));
}

TEST(FuzzyInContextRecall, EverySequenceEndsByRecallingItsProbe) {
  TaskConfig c = mad_baseline("fuzzy_in_context_recall");  // vocab 16, motifs up to 3 tokens
  c.seq_len = 64;
  auto d = make_fuzzy_in_context_recall(c, 300, 3);
  const int64_t K = c.vocab_size - 1, pad = c.vocab_size - 1;
  for (int64_t n = 0; n < 300; ++n) {
    auto x = row(d.inputs, n), y = row(d.targets, n);
    int64_t t = 0;
    while (t < 64 && x[t] == pad) ++t;  // left padding only
    for (int64_t u = t; u < 64; ++u) ASSERT_NE(x[u], pad) << "sequence " << n;
    ASSERT_NE(y[63], kIgnoreTarget) << "the last position recalls the probe's last value token";
    for (int64_t u = 0; u < 64; ++u) {
      if (y[u] == kIgnoreTarget) continue;
      EXPECT_GE(y[u], K / 2);  // values only
      EXPECT_LT(y[u], K);
      if (u + 1 < 64) {
        EXPECT_EQ(y[u], x[u + 1]) << "a target is the next token";
      }
    }
    // The probe: the scored run at the end is a value that followed the same key earlier.
    int64_t v_start = 63;
    while (v_start > 0 && y[v_start - 1] != kIgnoreTarget) --v_start;
    std::vector<int64_t> value(y.begin() + v_start, y.end());
    bool shown_before = false;
    for (int64_t u = 0; u + static_cast<int64_t>(value.size()) <= v_start && !shown_before; ++u)
      shown_before = std::equal(value.begin(), value.end(), x.begin() + u + 1) && x[u] < K / 2;
    EXPECT_TRUE(shown_before) << "sequence " << n << ": the recalled value never appeared after a key";
  }
}

TEST(SelectiveCopying, HandCheckedLayout) {
  TaskConfig c = mad_baseline("selective_copying");
  c.vocab_size = 8;  // data 0..5, blank 6, copy 7
  c.seq_len = 12;
  c.tokens_to_copy = 3;
  auto d = make_selective_copying(c, 100, 1);
  for (int64_t n = 0; n < 100; ++n) {
    auto x = row(d.inputs, n), y = row(d.targets, n);
    // Positions 0..7 hold 3 data tokens among blanks, 8 is the copy token, 9..11 blanks whose
    // targets are the data tokens in order.
    std::vector<int64_t> data;
    for (int64_t t = 0; t < 8; ++t) {
      if (x[t] != 6) data.push_back(x[t]);
      EXPECT_EQ(y[t], kIgnoreTarget);
    }
    ASSERT_EQ(data.size(), 3u) << "sequence " << n;
    EXPECT_EQ(x[8], 7);
    EXPECT_EQ(y[8], kIgnoreTarget);
    for (int64_t i = 0; i < 3; ++i) {
      EXPECT_EQ(x[9 + i], 6);
      EXPECT_EQ(y[9 + i], data[i]);
    }
  }
}

TEST(SelectiveCopying, TooShortASequenceIsRejected) {
  TaskConfig c = mad_baseline("selective_copying");
  c.seq_len = 32;  // needs more than 2 x 16 + 1
  EXPECT_THROW(make_selective_copying(c, 1, 1), std::invalid_argument);
}

TEST(Memorization, OneFixedMappingForTrainAndTest) {
  TaskConfig c = mad_baseline("memorization");  // vocab 256, seq 32
  const auto value_of = memorization_map(c);
  ASSERT_EQ(value_of.size(), 127u);
  auto data = make_task(c);
  for (const auto* set : {&data.train, &data.test}) {
    for (int64_t n = 0; n < 20; ++n) {
      auto x = row(set->inputs, n), y = row(set->targets, n);
      for (int64_t t = 0; t < 32; t += 2) {
        ASSERT_LT(x[t], 127);
        EXPECT_EQ(x[t + 1], 255);  // the insert token
        EXPECT_EQ(y[t], kIgnoreTarget);
        EXPECT_EQ(y[t + 1], value_of[x[t]]);
      }
    }
  }
  EXPECT_FALSE(torch::equal(data.train.inputs.narrow(0, 0, 20), data.test.inputs.narrow(0, 0, 20)));
}

TEST(Compression, HandCheckedLayout) {
  TaskConfig c = mad_baseline("compression");
  c.vocab_size = 5;  // data 0..3, compression token 4
  c.seq_len = 8;     // 4 tokens to compress, then 4 outputs
  auto d = make_compression(c, 100, 1);
  std::map<int64_t, int64_t> uses;
  for (int64_t n = 0; n < 100; ++n) {
    auto x = row(d.inputs, n), y = row(d.targets, n);
    // x: a b c d 4 4 4 4     y: - - - - a b c d
    for (int64_t t = 0; t < 4; ++t) {
      ASSERT_GE(x[t], 0);
      ASSERT_LT(x[t], 4);
      ++uses[x[t]];
      EXPECT_EQ(y[t], kIgnoreTarget);
      EXPECT_EQ(x[4 + t], 4) << "after the sequence, only the compression token";
      EXPECT_EQ(y[4 + t], x[t]) << "sequence " << n << ": output " << t << " is token " << t;
    }
  }
  EXPECT_EQ(uses.size(), 4u) << "every data token is drawn";
  // One sequence written out: with seq_len 4, x = [a b C C] and y = [- - a b].
  c.seq_len = 4;
  auto small = make_compression(c, 1, 7);
  auto x = row(small.inputs, 0), y = row(small.targets, 0);
  EXPECT_EQ(x, (std::vector<int64_t>{x[0], x[1], 4, 4}));
  EXPECT_EQ(y, (std::vector<int64_t>{kIgnoreTarget, kIgnoreTarget, x[0], x[1]}));
}

TEST(Compression, NoiseTokensAreKeptOutOfTheScore) {
  TaskConfig c = mad_baseline("compression");
  c.vocab_size = 8;  // data 0..3, noise 4..6, compression 7
  c.noise_vocab_size = 3;
  c.frac_noise = 0.3;
  c.seq_len = 40;
  auto d = make_compression(c, 200, 2);
  int64_t noise = 0;
  for (int64_t n = 0; n < 200; ++n) {
    auto x = row(d.inputs, n), y = row(d.targets, n);
    for (int64_t t = 0; t < 20; ++t) {
      ASSERT_LT(x[t], 7);
      EXPECT_EQ(x[20 + t], 7);
      if (x[t] >= 4) {
        ++noise;
        EXPECT_EQ(y[20 + t], kIgnoreTarget) << "a noise token is not to be reproduced";
      } else {
        EXPECT_EQ(y[20 + t], x[t]);
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(noise) / (200 * 20), 0.3, 0.03);
}

TEST(Compression, SizesThatDoNotFitAreRejected) {
  TaskConfig c = mad_baseline("compression");
  c.seq_len = 33;  // odd: no equal halves
  EXPECT_THROW(make_compression(c, 1, 1), std::invalid_argument);
  c.seq_len = 2;
  EXPECT_THROW(make_compression(c, 1, 1), std::invalid_argument);
  c.seq_len = 62;
  c.noise_vocab_size = 14;  // 16 - 14 - 1: one data token
  EXPECT_THROW(make_compression(c, 1, 1), std::invalid_argument);
  c.noise_vocab_size = 0;
  c.frac_noise = 0.1;  // noise with no noise tokens
  EXPECT_THROW(make_compression(c, 1, 1), std::invalid_argument);
}

// The kinds and their sizes are core data (tests/core/test_task_kinds.cpp); here, their datasets.
TEST(TaskKinds, EveryMadBaselineBuildsItsDatasets) {
  TaskConfig unknown;
  unknown.kind = "compression_of_everything";
  EXPECT_THROW(make_task(unknown), std::invalid_argument);
  for (const auto& kind : task_kinds()) {
    TaskConfig c = mad_baseline(kind);
    c.train_examples = 4;
    c.test_examples = 2;
    auto data = make_task(c);
    EXPECT_EQ(data.train.inputs.size(0), 4) << kind;
    EXPECT_EQ(data.test.inputs.size(1), c.seq_len) << kind;
    EXPECT_GT((data.train.targets != kIgnoreTarget).sum().item<int64_t>(), 0) << kind << " scores something";
    EXPECT_LT(data.train.inputs.max().item<int64_t>(), c.vocab_size) << kind;
  }
}

}  // namespace
