#pragma once
// An evaluation record with every field of eval_result_fields() set to a value that is not its
// default (and that a careless text or binary form would not keep bit for bit), and a check that
// two records agree on every field. A serialiser tested with these carries a field added to the
// table without its test changing.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <variant>

#include "core/eval_result.hpp"

namespace star::test {

inline train::EvalResult every_field_set() {
  train::EvalResult r;
  int i = 0;
  for (const auto& field : train::eval_result_fields()) {
    ++i;
    std::visit(
        [&](auto member) {
          auto& value = r.*member;
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, train::EvalStatus>) value = train::EvalStatus::stopped;
          else if constexpr (std::is_same_v<T, double>) value = i + 1.0 / 3.0;
          else if constexpr (std::is_same_v<T, int64_t>) value = (int64_t{1} << 40) + i;
          else if constexpr (std::is_same_v<T, std::vector<double>>) value = {i + 0.1, 1.0 / 7.0, -2.5};
          else value = "field " + std::to_string(i) + "\twith\ta tab, a\nnewline and a \\ backslash";
        },
        field.member);
  }
  return r;
}

inline void expect_same_fields(const train::EvalResult& a, const train::EvalResult& b) {
  for (const auto& field : train::eval_result_fields())
    std::visit([&](auto member) { EXPECT_TRUE(a.*member == b.*member) << "field " << field.name; }, field.member);
}

}  // namespace star::test
