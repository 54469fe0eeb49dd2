#pragma once
// Scratch folders for tests that write files. torch's libraries export a broken copy of
// std::filesystem::remove_all (it crashes), so trees are removed entry by entry here.
#include <filesystem>
#include <string>

#include <unistd.h>

namespace star::test {

inline void remove_tree(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(dir)) return;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (fs::is_directory(entry.path())) remove_tree(entry.path());
    else fs::remove(entry.path());
  }
  fs::remove(dir);
}

// An empty folder <tmp>/star_test_<name>_<pid>.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("star_test_" + name + "_" + std::to_string(::getpid()));
  remove_tree(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace star::test
