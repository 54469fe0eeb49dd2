#pragma once
// The attention family (input-dependent featurization, dense token mixing): T_ij =
// softmax(q_i . k_j) V, causal, with rotary positions. The operator genome's options:
//   channel mixing  multi-head: [model] heads; dense: one head of width d
//   sparsity        none; banded: each query sees the last kSparsityWindow keys (sliding-window
//                   attention); block-diagonal: only the keys of its own block of that many
//   featurizer      the keys' and values' repeat factor r: Hkv = kv_heads_for(H, r) key-value
//                   heads, each serving H / Hkv query heads (derived_sizes.hpp)
// Presets: SA-1 multi-head attention (r = 1); SA-3 grouped-query attention (r = 4).
// Featurizer (shareable): the query projection [d, d] and the key and value projections
// [Hkv Dh, d] each. Feature groups (shareable): the keys and values; a LIV that borrows them
// computes only queries, and the KV cache is kept once.
// Cache: keys and values of every past token, 2 * T * Hkv * Dh values (SA-1: 2 * T * d); with
// sparsity at most kSparsityWindow tokens instead of T.
// The rotary embedding of queries and keys follows [model] kernels (src/model/ops/rotary.hpp: one
// fused Kokkos kernel each way, or LibTorch); the rest is LibTorch (SDPA).
#include "model/liv.hpp"

namespace star::model {

LivBuilder attention_builder();

// Causal attention over [B, H, T, Dh] queries and [B, Hkv, T, Dh] keys and values, Hkv dividing H
// (grouped queries: key-value head j serves query heads j H / Hkv to (j + 1) H / Hkv - 1); `mask`
// ([T, T] bool, true: attend) replaces plain causality where a sparsity masks more (undefined:
// causal only).
torch::Tensor causal_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& mask = {});

}  // namespace star::model
