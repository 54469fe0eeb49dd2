#include "dist/eval_result_codec.hpp"

#include <cstring>
#include <stdexcept>

namespace star::dist {
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

}  // namespace

std::string encode(int item, const train::EvalResult& r) {
  std::string out;
  put<int32_t>(out, item);
  put<int32_t>(out, static_cast<int32_t>(r.status));
  for (double d : {r.loss, r.accuracy, r.seconds, r.tokens_per_second}) put(out, d);
  for (int64_t i : {r.parameters, r.cache_bytes, r.tokens, r.peak_memory_bytes}) put(out, i);
  put<uint64_t>(out, r.loss_curve.size());
  for (double d : r.loss_curve) put(out, d);
  put<uint64_t>(out, r.message.size());
  out += r.message;
  return out;
}

int decode(const std::string& in, train::EvalResult& r) {
  size_t pos = 0;
  const int item = take<int32_t>(in, pos);
  const int status = take<int32_t>(in, pos);
  if (status < 0 || status > static_cast<int>(train::EvalStatus::interrupted))
    throw std::runtime_error("bad status in evaluation result message");
  r.status = static_cast<train::EvalStatus>(status);
  r.loss = take<double>(in, pos);
  r.accuracy = take<double>(in, pos);
  r.seconds = take<double>(in, pos);
  r.tokens_per_second = take<double>(in, pos);
  r.parameters = take<int64_t>(in, pos);
  r.cache_bytes = take<int64_t>(in, pos);
  r.tokens = take<int64_t>(in, pos);
  r.peak_memory_bytes = take<int64_t>(in, pos);
  const auto points = take<uint64_t>(in, pos);
  if (points > (in.size() - pos) / sizeof(double)) throw std::runtime_error("bad loss curve in evaluation result message");
  r.loss_curve.resize(points);
  for (auto& d : r.loss_curve) d = take<double>(in, pos);
  const auto len = take<uint64_t>(in, pos);
  if (pos + len != in.size()) throw std::runtime_error("bad message length in evaluation result message");
  r.message = in.substr(pos, len);
  return item;
}

}  // namespace star::dist
