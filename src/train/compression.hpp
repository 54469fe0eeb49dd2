#pragma once
// MAD's compression task as next-token prediction: a random sequence of n = seq_len / 2 data
// tokens, then a compression token; from the compression token on, the model must output the
// sequence again, one token per position, while its inputs carry no information (the
// compression token repeated), so every output comes from what the model kept of the sequence.
//
//   ids: data [0, V-1-noise), noise [V-1-noise, V-1) (noise_vocab_size of them), compression V-1
//   x:  a b c d [C] C C C        y at the last n positions:  a b c d
//
// MAD (Poli et al. 2024) trains compression as an auto-encoder: the backbone encodes the
// sequence, its output at the compression token is the code, and a separate position-wise MLP
// decoder must rebuild every token from that one vector. Our trainer has one causal backbone and
// a next-token loss, so here the decoding is done by the backbone itself after the compression
// token. The bottleneck is the model's memory of the sequence, not a single vector: a model with
// a fixed state (recurrences, S4, short convolutions) must squeeze n tokens into that state and
// replay them in order; attention can look back at the sequence through its cache, so for it the
// task is a positional copy. The sequence to compress is MAD's (31 tokens and the compression
// token at the baseline's length 62), and MAD's noise is kept: with frac_noise > 0, each data
// token is replaced with that probability by a noise token whose copy is not scored.
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

TokenDataset make_compression(const TaskConfig& config, int64_t examples, uint64_t seed);

}  // namespace star::train
