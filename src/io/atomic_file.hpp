#pragma once
// Small run files (config.toml, state.toml) written so that a reader finds either the old
// contents or the new, never a part: the text goes to <path>.tmp, is fsync'd, then renamed over
// <path>, and the directory is fsync'd so the new name survives a crash. Every step is checked:
// a full disk, a read-only file system or a quota ends in a WriteError naming the file, and the
// temporary file is removed.
#include <stdexcept>
#include <string>

namespace star::io {

// An I/O failure writing a file the run needs (its message names the file and the system's
// reason). `star evolve` and `star train` exit with status 3 on it.
class WriteError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

void write_file_atomically(const std::string& path, const std::string& contents);

// `contents` as the file `path` (created or truncated), fsync'd; no rename. On a failure the file
// is removed and a WriteError names it.
void write_synced_file(const std::string& path, const std::string& contents);

// fsync of a file or directory; throws WriteError naming it when the open or the fsync fails.
void sync_path_or_throw(const std::string& path);

}  // namespace star::io
