#pragma once
// Softmax attention LIVs, T_ij = softmax(q_i . k_j) V, causal, with rotary positions.
//   SA-1: multi-head attention, every query head has its own key-value head.
//   SA-3: grouped-query attention, Hkv = grouped_kv_heads(H) key-value heads (derived_sizes.hpp),
//         each serving H / Hkv query heads.
// Featurizer (shareable): the query projection [d, d] and the key and value projections
// [Hkv Dh, d] each. Feature groups (shareable): the keys and values; a LIV that borrows them
// computes only queries, and the KV cache is kept once.
// Cache: keys and values of every past token, 2 * T * Hkv * Dh values (SA-1: 2 * T * d).
// Pure LibTorch (the kernels option does not apply).
#include "model/liv.hpp"

namespace star::model {

LivBuilder attention_builder();                // SA-1
LivBuilder grouped_query_attention_builder();  // SA-3

// Causal attention over [B, H, T, Dh] queries, keys and values.
torch::Tensor causal_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v);

}  // namespace star::model
