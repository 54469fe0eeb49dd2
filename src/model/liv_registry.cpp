// The one table mapping genome LIV class ids to their model builders. Differential classes (the
// class table's differential_of) all get the one generic wrapper around their base class.
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
namespace {

std::map<int, LivBuilder> all_builders() {
  std::map<int, LivBuilder> builders = {
      {1, swiglu_builder()},                   // GMemless
      {2, gated_conv_builder()},               // GConv-1
      {3, attention_builder()},                // SA-1
      {4, linear_attention_builder()},         // SA-2
      {5, grouped_query_attention_builder()},  // SA-3
      {6, recurrence_builder()},               // Rec-1
      {7, chunked_recurrence_builder()},       // Rec-2
      {8, long_conv_builder()},                // GConv-2
      {9, geglu_builder()},                    // GMemless-2
      {10, s4d_builder()},                     // S4-1
      {11, liquid_s4_builder()},               // S4-2
  };
  for (const auto& c : genome::liv_classes())
    if (c.differential_of != 0) builders[c.id] = differential_builder(c.differential_of);
  return builders;
}

}  // namespace

const LivBuilder& liv_builder(int class_id) {
  static const std::map<int, LivBuilder> builders = all_builders();
  auto it = builders.find(class_id);
  if (it == builders.end())
    throw std::invalid_argument("no model builder for LIV class " + std::to_string(class_id) + " (" +
                                genome::liv_class(class_id).short_name + ")");
  return it->second;
}

}  // namespace star::model
