#pragma once
// Flushes a file's or a directory's contents to stable storage (fsync). A directory is synced
// after a rename or a new file in it, so the new name survives a crash too. Best effort: a path
// that cannot be opened is left alone.
#include <string>

namespace star::io {

void sync_path(const std::string& path);

}  // namespace star::io
