#pragma once
// The small model the model tests build: width 8, 2 heads, 3 taps, vocabulary 16.
#include "core/model_config.hpp"

namespace star::model::testing {

inline ModelConfig small_config() {
  ModelConfig c;
  c.vocab_size = 16;
  c.width = 8;
  c.heads = 2;
  c.conv_taps = 3;
  c.mlp_ratio = 2.0;
  return c;
}

}  // namespace star::model::testing
