#pragma once
// The past tokens' features a LIV keeps for incremental inference along one dimension of a
// buffer: attention's keys and values, a long convolution's inputs. Every token's, at slot j for
// position j; or, with a window of w tokens (a band or blocks), the last w in a ring, position j
// at slot j mod w (the block of position p is then slots 0 to p mod w).
//
// The buffer is allocated once for the tokens the caller will consume (a cache's capacity), and
// zero where nothing was written yet; an unwindowed buffer that runs full grows by the token.
#include <cstdint>

#include <torch/torch.h>

namespace star::model {

// A buffer holding `sequence`'s tokens (positions 0 to T - 1 along `dim`), with room for
// `capacity` tokens (at least T; a window caps it), window 0: every token.
torch::Tensor token_history(const torch::Tensor& sequence, int64_t dim, int64_t window, int64_t capacity);

// Writes the features of the token at `position` (size 1 along `dim`) into its slot.
void append_token(torch::Tensor& buffer, const torch::Tensor& token, int64_t dim, int64_t position, int64_t window);

// Slots holding tokens once the token at `position` is written: position + 1, at most the window.
inline int64_t filled_slots(int64_t position, int64_t window) {
  return window > 0 ? std::min(position + 1, window) : position + 1;
}

}  // namespace star::model
