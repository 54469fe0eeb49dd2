#pragma once
// bfloat16 as the kernels' interface carries it: the 16 high bits of an IEEE float, the layout of
// torch's at::BFloat16 (so torch's data pointers pass straight through). Kernels read it into fp32,
// accumulate in fp32 and round the result back to nearest even.
#include <cstdint>

namespace star::kernels {

struct Bf16 {
  uint16_t bits;
};
static_assert(sizeof(Bf16) == 2, "Bf16 must be 16 bits, like at::BFloat16");

}  // namespace star::kernels
