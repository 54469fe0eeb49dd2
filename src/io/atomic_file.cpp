#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace star::io {
namespace {

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
  throw WriteError("cannot " + what + " " + path + ": " + std::strerror(error));
}

// write_synced_file, whose errors name `named` (the file the caller means to write).
void write_synced(const std::string& tmp, const std::string& contents, const std::string& named) {
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create", tmp, errno);
  auto give_up = [&](const char* what) {
    const int error = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(what, named, error);
  };
  for (size_t written = 0; written < contents.size();) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      give_up("write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("sync");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail("write", named, error);
  }
}

}  // namespace

void sync_path_or_throw(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open", path, errno);
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("sync", path, error);
  }
  ::close(fd);
}

void write_synced_file(const std::string& path, const std::string& contents) { write_synced(path, contents, path); }

void write_file_atomically(const std::string& path, const std::string& contents) {
  const std::string tmp = path + ".tmp";
  write_synced(tmp, contents, path);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail("rename " + tmp + " to", path, error);
  }
  sync_path_or_throw(parent_of(path));
}

}  // namespace star::io
