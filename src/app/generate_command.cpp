#include "app/generate_command.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "app/trained_model.hpp"
#include "model/inference_cache.hpp"
#include "train/device_memory.hpp"
#include "train/precision.hpp"

namespace star::app {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kByteVocabulary = 256;

// The prompt as token ids: --prompt's bytes, or --prompt-tokens' ids. Throws naming the problem.
std::vector<int64_t> prompt_ids(const GenerateOptions& o, int64_t vocab_size) {
  if (o.prompt.empty() == o.prompt_tokens.empty())
    throw std::invalid_argument("give the prompt as --prompt TEXT or as --prompt-tokens IDS (one of them)");
  if (!o.prompt.empty()) {
    if (vocab_size < kByteVocabulary)
      throw std::invalid_argument("--prompt is text read as bytes, and this model's vocabulary has " +
                                  std::to_string(vocab_size) + " tokens, not 256: give --prompt-tokens");
    std::vector<int64_t> bytes;
    for (unsigned char c : o.prompt) bytes.push_back(c);
    return bytes;
  }
  for (int64_t id : o.prompt_tokens)
    if (id < 0 || id >= vocab_size)
      throw std::invalid_argument("--prompt-tokens: \"" + std::to_string(id) + "\" is not a token id of this model (0 to " +
                                  std::to_string(vocab_size - 1) + ")");
  return o.prompt_tokens;
}

// The next token from the last position's logits [1, 1, V].
int64_t sample(const torch::Tensor& logits, const GenerateOptions& o, at::Generator& generator) {
  auto scores = logits.reshape({-1}).to(torch::kCPU, torch::kFloat32);
  if (o.temperature == 0) return scores.argmax().item<int64_t>();
  scores = scores / o.temperature;
  if (o.top_k > 0 && o.top_k < scores.size(0)) {
    const auto kth = std::get<0>(scores.topk(o.top_k)).min();
    scores = scores.masked_fill(scores < kth, -std::numeric_limits<float>::infinity());
  }
  return torch::multinomial(torch::softmax(scores, 0), 1, false, generator).item<int64_t>();
}

// A byte as text: printable ASCII, newline and tab as they are, anything else as \xNN.
std::string shown(int64_t byte) {
  if ((byte >= 32 && byte < 127) || byte == '\n' || byte == '\t') return std::string(1, static_cast<char>(byte));
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02x", static_cast<unsigned>(byte & 0xff));
  return text;
}

}  // namespace

int run_generate(const GenerateOptions& o) {
  SavedModel saved;
  std::vector<int64_t> prompt;
  try {
    if (o.temperature < 0) throw std::invalid_argument("--temperature must be at least 0");
    saved = load_saved_model(o.config_path, o.task, o.checkpoint);
    prompt = prompt_ids(o, saved.setup.config.model.vocab_size);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star generate: %s\n", e.what());
    return 2;
  }
  const auto& config = saved.setup.config;
  const auto device = saved.compute.device;
  const bool bytes = config.model.vocab_size >= kByteVocabulary && !o.prompt.empty();
  auto generator = at::detail::createCPUGenerator(o.seed);

  saved.net->eval();
  torch::NoGradGuard no_grad;
  train::AutocastScope autocast(device, train::uses_bf16(config.train.precision, device));
  const auto P = static_cast<int64_t>(prompt.size());
  model::InferenceCache cache(P + o.tokens);
  const auto prompt_tensor = torch::tensor(prompt, torch::kInt64).view({1, P}).to(device);

  train::synchronize(device);
  auto start = Clock::now();
  auto logits = saved.net->prefill(prompt_tensor, cache);
  std::vector<int64_t> generated{sample(logits, o, generator)};  // waits for the prefill
  const double prefill_s = std::chrono::duration<double>(Clock::now() - start).count();
  start = Clock::now();
  while (static_cast<int64_t>(generated.size()) < o.tokens) {
    logits = saved.net->decode(torch::full({1, 1}, generated.back(), torch::kInt64).to(device), cache);
    generated.push_back(sample(logits, o, generator));
  }
  const double decode_s = std::chrono::duration<double>(Clock::now() - start).count();

  std::string text;
  for (int64_t id : prompt) text += bytes ? shown(id) : std::to_string(id) + " ";
  text += bytes ? "" : "| ";
  for (int64_t id : generated) text += bytes ? shown(id) : std::to_string(id) + " ";
  std::printf("%s\n", text.c_str());
  const auto decoded = static_cast<double>(generated.size() - 1);
  std::printf("%s on %s: prefill %lld tokens in %.2f ms (%.0f tokens/s); decode %lld tokens in %.2f ms (%.0f tokens/s, "
              "%.3f ms per token); cache %lld bytes\n",
              saved.state.genome.c_str(), device.str().c_str(), static_cast<long long>(P), 1e3 * prefill_s,
              P / prefill_s, static_cast<long long>(decoded), 1e3 * decode_s, decode_s > 0 ? decoded / decode_s : 0.0,
              decoded > 0 ? 1e3 * decode_s / decoded : 0.0, static_cast<long long>(cache.bytes()));
  return 0;
}

void add_generate_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<GenerateOptions>();
  auto* cmd = star.add_subcommand("generate", "Sample text from a model saved by star train (prefill, then decode)");
  cmd->add_option("config", o->config_path, "Run configuration (TOML) the model was trained with")->required();
  cmd->add_option("--checkpoint", o->checkpoint, "Checkpoint directory written by star train")->required();
  cmd->add_option("--task", o->task, "The task of a [task] suite it was trained on (its kind)");
  cmd->add_option("--prompt", o->prompt, "Prompt text, read as bytes (a byte-level model)");
  cmd->add_option("--prompt-tokens", o->prompt_tokens, "Prompt as token ids, e.g. 3,1,4")->delimiter(',');
  cmd->add_option("--tokens", o->tokens, "New tokens to generate (default 200)")->check(CLI::PositiveNumber);
  cmd->add_option("--temperature", o->temperature, "Sampling temperature; 0: the most likely token (default 1)");
  cmd->add_option("--top-k", o->top_k, "Sample among the k most likely tokens; 0: all (default 0)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", o->seed, "Seed of the sampling (default 0)");
  out.push_back({cmd, [o](int*, char***) { return run_generate(*o); }});
}

}  // namespace star::app
