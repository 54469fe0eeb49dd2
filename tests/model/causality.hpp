#pragma once
// The causality check the model tests share: changing the tokens from position t on changes no
// output before t, and does change some output from t on.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "small_config.hpp"

namespace star::model::testing {

inline void expect_causal_at(const std::string& text, int64_t T, int64_t t) {
  torch::manual_seed(5);
  Backbone net(genome::parse_genome(text), small_config());
  auto tokens = torch::randint(0, 16, {1, T}, torch::kInt64);
  auto changed = tokens.clone();
  changed.narrow(1, t, T - t).random_(0, 16);
  torch::NoGradGuard no_grad;
  auto a = net->forward(tokens), b = net->forward(changed);
  EXPECT_TRUE(torch::allclose(a.narrow(1, 0, t), b.narrow(1, 0, t), 1e-5, 1e-5)) << text << " t=" << t;
  EXPECT_FALSE(torch::allclose(a.narrow(1, t, T - t), b.narrow(1, t, T - t))) << text << " t=" << t;
}

}  // namespace star::model::testing
