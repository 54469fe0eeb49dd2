#pragma once
// SA-2: multi-head causal linear attention (Katharopoulos et al. 2020), T_ij = C_i B_j: a low-rank
// operator with feature map phi(z) = elu(z) + 1 > 0 on queries and keys,
//   y_t = phi(q_t) S_t / (phi(q_t) . z_t),  S_t = sum_{j<=t} phi(k_j) v_j^T,  z_t = sum_{j<=t} phi(k_j)
// computed in chunks of kLinearAttentionChunk tokens: quadratic inside a chunk, cumulative sums
// of the chunks' states across them. No positional encoding: order comes from causality alone.
// Featurizer (shareable): query, key, value projections [d, d] each; output [d, d].
// Feature groups (shareable): phi(k) and v; a LIV that borrows them computes only queries, and the
// state is kept once. Cache: per head S (Dh x Dh) and z (Dh): H Dh (Dh + 1) = d (Dh + 1) values.
// Operator genome options: channel mixing multi-head ([model] heads) or dense (one head of width
// d); sparsity none or block-diagonal (blocks of kSparsityWindow tokens carry no state onward).
// Pure LibTorch (the kernels option does not apply).
#include "model/liv.hpp"

namespace star::model {

LivBuilder linear_attention_builder();

// phi(q), phi(k): [B, H, T, Dk] (positive), v: [B, H, T, Dv] -> [B, H, T, Dv], chunk tokens per chunk.
// carry = false: chunks are independent blocks (block-diagonal sparsity), no state crosses them.
torch::Tensor causal_linear_attention(const torch::Tensor& phi_q, const torch::Tensor& phi_k, const torch::Tensor& v,
                                      int64_t chunk, bool carry = true);

}  // namespace star::model
