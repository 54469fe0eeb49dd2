#include "app/data_command.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>

#include "app/cli_checks.hpp"
#include "data/token_shard.hpp"

namespace star::app {
namespace {

constexpr const char* kSplitNames[] = {"train", "val", "test"};

// Appends the bytes of `path` to `tokens`; gzip files (.gz, dictzip's .dz) are decompressed,
// other files read as they are (zlib passes them through).
bool read_bytes(const std::string& path, std::vector<uint16_t>& tokens) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (!in) return false;
  std::array<unsigned char, 1 << 16> buffer;
  int got = 0;
  while ((got = gzread(in, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0)
    tokens.insert(tokens.end(), buffer.begin(), buffer.begin() + got);
  const bool ok = got == 0;
  gzclose(in);
  return ok;
}

// Which split each stretch of the input goes to: [begin, end) of the input, split index.
struct Stretch {
  size_t begin, end;
  int split;
};

// Whole tails (block_bytes 0: train, then validation, then test), or blocks dealt so that each
// split's share of the blocks so far stays as close as it can to its fraction.
std::vector<Stretch> assign_stretches(size_t total, size_t val, size_t test, int64_t block_bytes) {
  if (block_bytes <= 0) {
    const size_t train = total - val - test;
    return {{0, train, 0}, {train, train + val, 1}, {train + val, total, 2}};
  }
  const auto block = static_cast<size_t>(block_bytes);
  const size_t blocks = (total + block - 1) / block;
  const double share[3] = {static_cast<double>(total - val - test) / total, static_cast<double>(val) / total,
                           static_cast<double>(test) / total};
  std::vector<Stretch> out;
  double dealt[3] = {0, 0, 0};
  for (size_t b = 0; b < blocks; ++b) {
    int pick = 0;  // the split furthest behind its share
    for (int s = 1; s < 3; ++s)
      if (share[s] * (b + 1) - dealt[s] > share[pick] * (b + 1) - dealt[pick]) pick = s;
    dealt[pick] += 1;
    out.push_back({b * block, std::min(total, (b + 1) * block), pick});
  }
  return out;
}

// Writes one split's tokens as shards <dir>/<split>_000000.bin, ...; returns how many.
int write_split(const std::vector<uint16_t>& tokens, const std::string& dir, const std::string& split,
                int64_t shard_tokens) {
  int count = 0;
  for (size_t at = 0; at < tokens.size(); at += static_cast<size_t>(shard_tokens), ++count) {
    const size_t stop = std::min(tokens.size(), at + static_cast<size_t>(shard_tokens));
    char name[64];
    std::snprintf(name, sizeof(name), "%s_%06d.bin", split.c_str(), count);
    train::write_shard(dir + "/" + name,
                       std::vector<uint16_t>(tokens.begin() + static_cast<std::ptrdiff_t>(at),
                                             tokens.begin() + static_cast<std::ptrdiff_t>(stop)));
  }
  return count;
}

}  // namespace

int run_encode_bytes(const EncodeBytesOptions& options) {
  std::vector<uint16_t> tokens;
  for (const auto& path : options.inputs) {
    // /dev/zero would be read until memory runs out, and a FIFO waits forever.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      std::fprintf(stderr, "star data encode-bytes: %s: not a regular file\n", path.c_str());
      return 2;
    }
    if (!read_bytes(path, tokens)) {
      std::fprintf(stderr, "star data encode-bytes: %s: cannot read (unreadable, or damaged gzip)\n", path.c_str());
      return 2;
    }
  }
  const auto part = [&](double fraction) {
    return static_cast<size_t>(static_cast<double>(tokens.size()) * fraction);
  };
  const size_t val = part(options.val_fraction), test = part(options.test_fraction);
  const bool wants_test = options.test_fraction > 0;
  if (tokens.size() < 2 || val < 1 || (wants_test && test < 1) || val + test >= tokens.size()) {
    std::fprintf(stderr,
                 "star data encode-bytes: %zu bytes of input cannot be split into train, validation and test "
                 "(--val-fraction %g, --test-fraction %g)\n",
                 tokens.size(), options.val_fraction, options.test_fraction);
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.output_dir, ec);
  if (ec) {
    std::fprintf(stderr, "star data encode-bytes: %s: %s\n", options.output_dir.c_str(), ec.message().c_str());
    return 2;
  }
  std::vector<uint16_t> splits[3];
  for (const auto& s : assign_stretches(tokens.size(), val, test, options.block_bytes))
    splits[s.split].insert(splits[s.split].end(), tokens.begin() + static_cast<std::ptrdiff_t>(s.begin),
                           tokens.begin() + static_cast<std::ptrdiff_t>(s.end));
  tokens.clear();
  tokens.shrink_to_fit();
  try {
    const std::string& dir = options.output_dir;
    for (int s = 0; s < (wants_test ? 3 : 2); ++s) {
      const int shards = write_split(splits[s], dir, kSplitNames[s], options.shard_tokens);
      std::printf("%-5s %zu tokens in %d shard%s\n", kSplitNames[s], splits[s].size(), shards, shards == 1 ? "" : "s");
    }
    std::printf("in %s\n[task] kind = \"shards\", vocab_size = 256, train_shards = \"%s/train_*.bin\", val_shards = "
                "\"%s/val_*.bin\"\n",
                dir.c_str(), dir.c_str(), dir.c_str());
    if (wants_test)
      std::printf("held out from every search and training: star retrain ... --heldout \"%s/test_*.bin\"\n", dir.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star data encode-bytes: %s\n", e.what());
    return 2;
  }
  return 0;
}

void add_data_commands(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<EncodeBytesOptions>();
  auto* data_cmd = star.add_subcommand("data", "Prepare data sets");
  data_cmd->require_subcommand(1);
  auto* cmd = data_cmd->add_subcommand(
      "encode-bytes",
      "Text files (plain or gzip, e.g. /usr/share/dictd/gcide.dict.dz) as byte-level token shards (vocabulary 256)");
  cmd->add_option("files", o->inputs, "Text files, concatenated in order")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output_dir, "Directory for train_*.bin, val_*.bin (and test_*.bin)")->required();
  cmd->add_option("--val-fraction", o->val_fraction, "Share of the bytes for validation (what a search selects on)")
      ->check(number_in(0.0, 0.9));
  cmd->add_option("--test-fraction", o->test_fraction,
                  "Share of the bytes for test_*.bin, never trained on nor selected on (star retrain --heldout)")
      ->check(number_in(0.0, 0.9));
  cmd->add_option("--block-bytes", o->block_bytes,
                  "Deal blocks of this many bytes to the splits, spread over the whole input (default 0: each "
                  "held-out split is one stretch at the end)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  cmd->add_option("--shard-tokens", o->shard_tokens, "Tokens per shard")->check(CLI::Range(1024, 1 << 30));
  out.push_back({cmd, [o](int*, char***) { return run_encode_bytes(*o); }});
}

}  // namespace star::app
