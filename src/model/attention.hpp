#pragma once
// SA-1: multi-head causal softmax attention with rotary positions, T_ij = softmax(q_i . k_j) V.
// Featurizer (shareable): the query, key and value projections. Feature groups (shareable): the
// keys and values; a LIV that borrows them computes only queries, and the KV cache is kept once.
// Cache: keys and values of every past token, 2 * T * d values.
#include "model/liv.hpp"

namespace star::model {

LivBuilder attention_builder();

// Causal attention over [B, H, T, Dh] queries, keys and values.
torch::Tensor causal_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v);

}  // namespace star::model
