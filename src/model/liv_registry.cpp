// The one place mapping what a LIV computes to the code that computes it: the operator genome's
// family picks the builder (each builder reads the spec's other positions); differential classes
// (the class table's differential_of) get the one generic wrapper around that builder.
#include <stdexcept>
#include <string>

#include "genome/liv_class.hpp"
#include "model/attention.hpp"
#include "model/differential.hpp"
#include "model/gated_conv.hpp"
#include "model/linear_attention.hpp"
#include "model/liv.hpp"
#include "model/long_conv.hpp"
#include "model/recurrence.hpp"
#include "model/state_space.hpp"
#include "model/swiglu.hpp"

namespace star::model {

LivBuilder liv_builder(int class_id, const genome::OperatorSpec& spec) {
  const auto& cls = genome::liv_class(class_id);
  const auto problems = genome::operator_violations(spec, class_id);
  if (!problems.empty()) throw std::invalid_argument("cannot build: " + problems.front());
  const int base_class = cls.differential_of != 0 ? cls.differential_of : class_id;
  using F = genome::Family;
  LivBuilder builder;
  switch (genome::family_of(spec.op)) {
    case F::memoryless: builder = gated_mlp_builder(); break;
    case F::convolution: builder = gated_conv_builder(); break;
    case F::attention: builder = attention_builder(); break;
    case F::linear_attention: builder = linear_attention_builder(); break;
    // Rec-2 (and its differential) runs the same operator by the chunked scan.
    case F::recurrence: builder = base_class == 7 ? chunked_recurrence_builder() : recurrence_builder(); break;
    case F::long_convolution: builder = long_conv_builder(); break;
    case F::state_space:
      builder = spec.op.token_mixing == genome::kSemiSeparable ? liquid_s4_builder() : s4d_builder();
      break;
  }
  return cls.differential_of != 0 ? differential_builder(builder) : builder;
}

}  // namespace star::model
