// The one table mapping genome LIV class ids to their model builders.
#include <stdexcept>
#include <string>

#include "genome/liv_class.hpp"
#include "model/attention.hpp"
#include "model/gated_conv.hpp"
#include "model/liv.hpp"
#include "model/swiglu.hpp"

namespace star::model {

const LivBuilder& liv_builder(int class_id) {
  static const std::map<int, LivBuilder> builders = {
      {1, swiglu_builder()},      // GMemless
      {2, gated_conv_builder()},  // GConv-1
      {3, attention_builder()},   // SA-1
  };
  auto it = builders.find(class_id);
  if (it == builders.end())
    throw std::invalid_argument("no model builder for LIV class " + std::to_string(class_id) + " (" +
                                genome::liv_class(class_id).short_name + ")");
  return it->second;
}

}  // namespace star::model
