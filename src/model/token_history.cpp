#include "model/token_history.hpp"

#include <algorithm>

namespace star::model {

torch::Tensor token_history(const torch::Tensor& sequence, int64_t dim, int64_t window, int64_t capacity) {
  const int64_t T = sequence.size(dim);
  const int64_t slots = window > 0 ? std::min(std::max(capacity, T), window) : std::max(capacity, T);
  auto sizes = sequence.sizes().vec();
  sizes[static_cast<size_t>(dim)] = slots;
  auto buffer = torch::zeros(sizes, sequence.options());
  const int64_t kept = std::min(T, slots);  // the last `kept` tokens, each at its slot
  auto positions = torch::arange(T - kept, T, torch::TensorOptions().dtype(torch::kInt64).device(sequence.device()));
  buffer.index_copy_(dim, window > 0 ? positions.remainder(window) : positions, sequence.narrow(dim, T - kept, kept));
  return buffer;
}

void append_token(torch::Tensor& buffer, const torch::Tensor& token, int64_t dim, int64_t position, int64_t window) {
  const int64_t slot = window > 0 ? position % window : position;
  if (slot >= buffer.size(dim)) buffer = torch::cat({buffer, token.to(buffer.scalar_type())}, dim);
  else buffer.narrow(dim, slot, 1).copy_(token);
}

}  // namespace star::model
