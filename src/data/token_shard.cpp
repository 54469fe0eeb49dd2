#include "data/token_shard.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace star::train {

TokenShard::TokenShard(const std::string& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw DataError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw DataError(path + ": not a regular file (a token shard is a file)");
  }
  map_bytes_ = static_cast<size_t>(st.st_size);
  const size_t header_bytes = kShardHeaderInts * sizeof(int32_t);
  if (map_bytes_ < header_bytes) {
    ::close(fd);
    throw DataError(path + ": " + std::to_string(map_bytes_) + " bytes, shorter than the 1024-byte shard header");
  }
  map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    throw DataError(path + ": cannot map: " + std::strerror(errno));
  }
  const auto* header = static_cast<const int32_t*>(map_);
  auto fail = [&](const std::string& problem) {
    ::munmap(map_, map_bytes_);
    map_ = nullptr;
    throw DataError(path + ": " + problem);
  };
  if (header[0] != kShardMagic)
    fail("not a token shard: magic " + std::to_string(header[0]) + ", expected " + std::to_string(kShardMagic));
  if (header[1] != kShardVersion)
    fail("shard version " + std::to_string(header[1]) + ", only version 1 (uint16 tokens) is read");
  tokens_ = header[2];
  const size_t expected = header_bytes + static_cast<size_t>(std::max<int64_t>(tokens_, 0)) * sizeof(uint16_t);
  if (tokens_ < 0 || expected != map_bytes_)
    fail("the header says " + std::to_string(tokens_) + " tokens (" + std::to_string(expected) +
         " bytes) but the file has " + std::to_string(map_bytes_) + " bytes: truncated or damaged");
  data_ = reinterpret_cast<const uint16_t*>(static_cast<const char*>(map_) + header_bytes);
}

TokenShard::~TokenShard() {
  if (map_) ::munmap(map_, map_bytes_);
}

std::vector<std::string> shard_paths(const std::string& pattern) {
  glob_t g{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> paths;
  if (rc == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  if (paths.empty()) throw DataError("no token shards match \"" + pattern + "\"");
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::vector<std::unique_ptr<TokenShard>> open_shards(const std::string& pattern, int64_t seq_len) {
  std::vector<std::unique_ptr<TokenShard>> shards;
  bool holds_window = false;
  for (const auto& path : shard_paths(pattern)) {
    shards.push_back(std::make_unique<TokenShard>(path));
    holds_window = holds_window || shards.back()->size() > seq_len;
  }
  if (!holds_window)
    throw DataError("no shard matching \"" + pattern + "\" holds one window of " + std::to_string(seq_len + 1) +
                    " tokens (seq_len + 1)");
  return shards;
}

std::optional<OutOfVocabulary> first_out_of_vocabulary(const std::string& pattern, int64_t vocab_size) {
  constexpr int64_t kBlock = 1 << 14;  // tokens whose maximum is taken at once (a vectorised loop)
  for (const auto& path : shard_paths(pattern)) {
    const TokenShard shard(path);
    const uint16_t* tokens = shard.tokens();
    for (int64_t start = 0; start < shard.size(); start += kBlock) {
      const int64_t end = std::min(shard.size(), start + kBlock);
      uint16_t largest = 0;
      for (int64_t i = start; i < end; ++i) largest = std::max(largest, tokens[i]);
      if (largest < vocab_size) continue;
      for (int64_t i = start; i < end; ++i)
        if (tokens[i] >= vocab_size) return OutOfVocabulary{path, i, tokens[i]};
    }
  }
  return std::nullopt;
}

void write_shard(const std::string& path, const std::vector<uint16_t>& tokens) {
  int32_t header[kShardHeaderInts] = {kShardMagic, kShardVersion, static_cast<int32_t>(tokens.size())};
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw DataError(tmp + ": cannot create: " + std::strerror(errno));
  const bool ok = std::fwrite(header, sizeof(header), 1, f) == 1 &&
                  (tokens.empty() || std::fwrite(tokens.data(), sizeof(uint16_t), tokens.size(), f) == tokens.size()) &&
                  std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  std::fclose(f);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) throw DataError(path + ": cannot write: " + std::strerror(errno));
}

}  // namespace star::train
