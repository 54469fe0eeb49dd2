#pragma once
// Language-model token shards in the format llm.c writes: a header of 256 int32 (magic 20240520,
// version 1, token count, the rest zero) followed by that many uint16 tokens. Shards are read
// through a memory map, so a data set larger than memory costs only the windows drawn from it.
// Plain files and no torch: the configuration's checks (io/) open shards as the training (train/
// token_shards.hpp, which draws windows from them) does. The namespace is that of its users.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace star::train {

constexpr int32_t kShardMagic = 20240520;
constexpr int32_t kShardVersion = 1;
constexpr int64_t kShardHeaderInts = 256;

class DataError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One shard, mapped read-only. Throws DataError naming the file for a missing file, a short or
// damaged header, the wrong magic or version, or a size that disagrees with the token count.
class TokenShard {
 public:
  explicit TokenShard(const std::string& path);
  ~TokenShard();
  TokenShard(const TokenShard&) = delete;
  TokenShard& operator=(const TokenShard&) = delete;

  const std::string& path() const { return path_; }
  int64_t size() const { return tokens_; }
  const uint16_t* tokens() const { return data_; }

 private:
  std::string path_;
  void* map_ = nullptr;
  size_t map_bytes_ = 0;
  const uint16_t* data_ = nullptr;
  int64_t tokens_ = 0;
};

// The files a glob pattern names, sorted; DataError when it names none.
std::vector<std::string> shard_paths(const std::string& pattern);

// Every shard matching `pattern`, opened (their headers checked). Throws DataError when none
// matches, one is damaged, or no shard holds a whole window of seq_len + 1 tokens.
std::vector<std::unique_ptr<TokenShard>> open_shards(const std::string& pattern, int64_t seq_len);

// A token not below the vocabulary: its shard, its index among the shard's tokens (its byte
// offset in the file is 1024 + 2 x index), and its value.
struct OutOfVocabulary {
  std::string path;
  int64_t index = 0;
  uint16_t token = 0;
};

// Scans every token of every shard matching `pattern` (in sorted order, through the memory map,
// the maximum of each block first) and returns the first one not below vocab_size, or nothing.
// Throws DataError like TokenShard.
std::optional<OutOfVocabulary> first_out_of_vocabulary(const std::string& pattern, int64_t vocab_size);

// Writes `tokens` as one shard (to a temporary name, then renamed into place).
void write_shard(const std::string& path, const std::vector<uint16_t>& tokens);

}  // namespace star::train
