#include "app/data_command.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "train/token_shards.hpp"

namespace star::app {
namespace {

// Writes tokens [begin, end) as shards <dir>/<split>_000000.bin, ...; returns how many.
int write_split(const std::vector<uint16_t>& tokens, size_t begin, size_t end, const std::string& dir,
                const std::string& split, int64_t shard_tokens) {
  int count = 0;
  for (size_t at = begin; at < end; at += static_cast<size_t>(shard_tokens), ++count) {
    const size_t stop = std::min(end, at + static_cast<size_t>(shard_tokens));
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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "star data encode-bytes: %s: cannot open\n", path.c_str());
      return 2;
    }
    for (std::istreambuf_iterator<char> it(in), end; it != end; ++it)
      tokens.push_back(static_cast<unsigned char>(*it));
  }
  const auto val = static_cast<size_t>(static_cast<double>(tokens.size()) * options.val_fraction);
  if (tokens.size() < 2 || val < 1 || val >= tokens.size()) {
    std::fprintf(stderr,
                 "star data encode-bytes: %zu bytes of input cannot be split into train and validation "
                 "(--val-fraction %g)\n",
                 tokens.size(), options.val_fraction);
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.output_dir, ec);
  if (ec) {
    std::fprintf(stderr, "star data encode-bytes: %s: %s\n", options.output_dir.c_str(), ec.message().c_str());
    return 2;
  }
  try {
    const size_t split = tokens.size() - val;
    const int train = write_split(tokens, 0, split, options.output_dir, "train", options.shard_tokens);
    const int valid = write_split(tokens, split, tokens.size(), options.output_dir, "val", options.shard_tokens);
    std::printf("%zu train tokens in %d shard%s, %zu validation tokens in %d shard%s, in %s\n", split, train,
                train == 1 ? "" : "s", val, valid, valid == 1 ? "" : "s", options.output_dir.c_str());
    std::printf("[task] kind = \"shards\", vocab_size = 256, train_shards = \"%s/train_*.bin\", val_shards = \"%s/val_*.bin\"\n",
                options.output_dir.c_str(), options.output_dir.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star data encode-bytes: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace star::app
