#pragma once
// A tensor's data as a kernel's element type (float, or kernels::Bf16 for bf16: the same 16 bits
// as at::BFloat16), for tests that call the kernels on either type through one template.
#include <torch/torch.h>

namespace star::kernels::testing {

template <class Elem>
const Elem* data(const torch::Tensor& t) {
  return reinterpret_cast<const Elem*>(t.data_ptr());
}
template <class Elem>
Elem* data(torch::Tensor& t) {
  return reinterpret_cast<Elem*>(t.data_ptr());
}

}  // namespace star::kernels::testing
