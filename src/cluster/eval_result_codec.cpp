#include "cluster/eval_result_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace star::cluster {
namespace {

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <class T>
T take(const std::string& in, size_t& pos) {
  if (pos + sizeof(T) > in.size()) throw std::runtime_error("truncated evaluation result message");
  T value;
  std::memcpy(&value, in.data() + pos, sizeof(T));
  pos += sizeof(T);
  return value;
}

// A list's length, checked against the bytes left before anything is allocated for it.
uint64_t take_length(const std::string& in, size_t& pos, size_t element_size, const char* what) {
  const auto length = take<uint64_t>(in, pos);
  if (length > (in.size() - pos) / element_size)
    throw std::runtime_error(std::string("bad ") + what + " in evaluation result message");
  return length;
}

void put_field(std::string& out, const train::EvalResult& r, const train::EvalResultField& field) {
  std::visit(
      [&](auto member) {
        const auto& value = r.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, train::EvalStatus>) {
          put<int32_t>(out, static_cast<int32_t>(value));
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          put<uint64_t>(out, value.size());
          for (double d : value) put(out, d);
        } else if constexpr (std::is_same_v<T, std::string>) {
          put<uint64_t>(out, value.size());
          out += value;
        } else {
          put(out, value);
        }
      },
      field.member);
}

void take_field(const std::string& in, size_t& pos, train::EvalResult& r, const train::EvalResultField& field) {
  std::visit(
      [&](auto member) {
        auto& value = r.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, train::EvalStatus>) {
          const int status = take<int32_t>(in, pos);
          if (status < 0 || status > static_cast<int>(train::EvalStatus::interrupted))
            throw std::runtime_error("bad status in evaluation result message");
          value = static_cast<train::EvalStatus>(status);
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          value.resize(take_length(in, pos, sizeof(double), field.name));
          for (auto& d : value) d = take<double>(in, pos);
        } else if constexpr (std::is_same_v<T, std::string>) {
          const auto length = take_length(in, pos, 1, field.name);
          value = in.substr(pos, length);
          pos += length;
        } else {
          value = take<T>(in, pos);
        }
      },
      field.member);
}

}  // namespace

std::string encode(int item, const train::EvalResult& r) {
  std::string out;
  put<int32_t>(out, item);
  for (const auto& field : train::eval_result_fields()) put_field(out, r, field);
  return out;
}

int decode(const std::string& in, train::EvalResult& r) {
  size_t pos = 0;
  const int item = take<int32_t>(in, pos);
  for (const auto& field : train::eval_result_fields()) take_field(in, pos, r, field);
  if (pos != in.size()) throw std::runtime_error("bad message length in evaluation result message");
  return item;
}

}  // namespace star::cluster
